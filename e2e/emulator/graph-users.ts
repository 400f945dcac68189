/** GET /me and /users/{id|upn}: the user object with $select, under Graph's User.* permission rules. */
import { GRAPH } from './graph-errors';
import type { MailAccessChecks } from './graph-mail-access';
import { isSpec, type GraphCall, type GraphReplies, type GraphResult, type Target } from './graph-reply';
import type { World } from './world';

const USER_READ_APP_ROLES = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'User.ReadBasic.All',
];
const USER_READ_OTHERS_SCOPES = ['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'];

export function createUserRoute(deps: { world: World; access: MailAccessChecks; replies: GraphReplies }) {
  const { world } = deps;
  const { fail, ok } = deps.replies;
  return async (call: GraphCall, target: Target): Promise<GraphResult> => {
    const principal = await deps.access.authenticate(call);
    if (isSpec(principal)) return fail(call, principal);
    if (target.me && principal.kind === 'app') return fail(call, GRAPH.meWithAppToken());
    const user = target.me ? principal.user : world.user(target.id, principal.tenantId);
    const self = principal.user !== undefined && user?.id === principal.user.id;
    const allowed =
      principal.kind === 'app'
        ? principal.roles.some((r) => USER_READ_APP_ROLES.includes(r))
        : self
          ? principal.scp.some((s) => s.startsWith('User.'))
          : principal.scp.some((s) => USER_READ_OTHERS_SCOPES.includes(s));
    if (!allowed) return fail(call, GRAPH.insufficientPrivileges());
    if (user === undefined) return fail(call, GRAPH.directoryObjectNotFound(target.id));
    const full: Record<string, unknown> = {
      businessPhones: [],
      displayName: user.displayName,
      givenName: user.givenName ?? null,
      id: user.id,
      jobTitle: user.jobTitle ?? null,
      mail: user.hasMailbox ? (user.mail ?? user.userPrincipalName) : null,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      surname: user.surname ?? null,
      userPrincipalName: user.userPrincipalName,
      accountEnabled: user.enabled,
    };
    const select = call.query.get('$select');
    const keys =
      select === null ? Object.keys(full).filter((k) => k !== 'accountEnabled') : select.split(',').map((s) => s.trim());
    const body: Record<string, unknown> = {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users${select === null ? '' : `(${keys.join(',')})`}/$entity`,
    };
    for (const k of keys) if (k in full) body[k] = full[k];
    return ok(200, body);
  };
}
