import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { denyAllPermissions, denyPermissionsOn, type PermissionName } from './permission-policy';

// The names come from the installed typings, so an Electron upgrade that adds a permission is covered at once.
const typings = readFileSync(join(import.meta.dirname, '../../node_modules/electron/electron.d.ts'), 'utf8');

function permissionUnionOf(method: 'setPermissionRequestHandler' | 'setPermissionCheckHandler'): string[] {
  const signature = new RegExp(`^\\s*${method}\\(handler: .*?permission: ((?:'[^']+'(?: \\| )?)+)`, 'm').exec(typings);
  if (!signature?.[1]) throw new Error(`${method} not found in electron.d.ts`);
  return [...signature[1].matchAll(/'([^']+)'/g)].map((m) => m[1] as string);
}

const requestNames = permissionUnionOf('setPermissionRequestHandler');
const checkNames = permissionUnionOf('setPermissionCheckHandler');
const webContents = {} as unknown as WebContents;

describe('denyAllPermissions (EL-5)', () => {
  it('reads the full permission list from the installed typings', () => {
    expect(requestNames.length).toBeGreaterThan(40);
    expect(checkNames.length).toBeGreaterThan(40);
    for (const name of ['openExternal', 'media', 'notifications', 'geolocation', 'clipboard-read', 'fileSystem', 'unknown'])
      expect(requestNames).toContain(name);
  });

  it.each(requestNames)('answers the request for %s with false, exactly once', (name) => {
    const answers: boolean[] = [];
    denyAllPermissions.request(webContents, name as PermissionName, (granted) => answers.push(granted), {} as never);
    expect(answers).toEqual([false]);
  });

  it.each(checkNames)('reports %s as not granted', (name) => {
    expect(denyAllPermissions.check(webContents, name as PermissionName, 'app://absender', {} as never)).toBe(false);
    expect(denyAllPermissions.check(null, name as PermissionName, 'https://login.microsoftonline.com', {} as never)).toBe(false);
  });

  it('installs both handlers on a session', () => {
    const installed: unknown[] = [];
    denyPermissionsOn({
      setPermissionRequestHandler: (h) => installed.push(h),
      setPermissionCheckHandler: (h) => installed.push(h),
    });
    expect(installed).toEqual([denyAllPermissions.request, denyAllPermissions.check]);
  });
});
