import type { Session } from 'electron';

// The app needs no web permission at all, and neither does Microsoft's sign-in page in the popup (EL-5, OA-P5).

type RequestHandler = NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>;
type CheckHandler = NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>;
/** Every permission name Electron's installed typings know, e.g. 'media', 'openExternal', 'notifications'. */
export type PermissionName = Parameters<RequestHandler>[1];

/** The pure pair: every request is answered "no", every check says "not granted", whatever the name. */
export const denyAllPermissions: { request: RequestHandler; check: CheckHandler } = {
  request: (_webContents, _permission, callback) => callback(false),
  check: () => false,
};

/** Installs the pair on a session: the default session and each sign-in partition. */
export function denyPermissionsOn(ses: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  ses.setPermissionRequestHandler(denyAllPermissions.request);
  ses.setPermissionCheckHandler(denyAllPermissions.check);
}
