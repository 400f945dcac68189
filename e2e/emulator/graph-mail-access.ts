/** Who calls Graph (the bearer token) and whether it may use the addressed mailbox (token, RBAC, access policies, throttles). */
import { GRAPH, type GraphErrorSpec } from './graph-errors';
import type { MailboxThrottle } from './graph-throttle';
import { isSpec, type GraphCall, type GraphReplies, type GraphResult, type Target } from './graph-reply';
import { verifyAccessToken, type SigningKey } from './tokens';
import type { User, World } from './world';

export interface Principal {
  kind: 'app' | 'user';
  appId: string;
  tenantId: string;
  roles: string[];
  scp: string[];
  user?: User;
}

/** An authorised mail call: who calls and which mailbox it addresses. */
export interface MailAccess {
  principal: Principal;
  mailbox: User;
}

export type MailPermission = 'Mail.Send' | 'Mail.ReadWrite' | 'Mail.Read';

const READ_ROLES = ['Mail.Read', 'Mail.ReadWrite', 'Mail.ReadBasic.All', 'Mail.ReadBasic'];

/** Token roles / scopes / RBAC roles that grant `need` (reads are granted by read-write too). */
const grants = (need: MailPermission, have: string[]): boolean =>
  need === 'Mail.Read' ? have.some((r) => READ_ROLES.includes(r)) : have.includes(need);

/** /me or /users/{id|upn} or /users('{upn}') → the addressed user segment. */
export function targetOf(segments: string[]): (Target & { consumed: number }) | undefined {
  if (segments[0] === 'me') return { me: true, id: '', consumed: 1 };
  if (segments[0] === 'users' && segments[1] !== undefined) return { me: false, id: segments[1], consumed: 2 };
  const m = /^users\('(.+)'\)$/.exec(segments[0] ?? '');
  return m?.[1] === undefined ? undefined : { me: false, id: m[1], consumed: 1 };
}

export function createMailAccess(deps: {
  world: World;
  key: SigningKey;
  throttle: MailboxThrottle;
  replies: GraphReplies;
  graphResource?: string;
}) {
  const { world, key, throttle } = deps;
  const { fail, throttled } = deps.replies;

  const authenticate = async (call: GraphCall): Promise<Principal | GraphErrorSpec> => {
    const match = /^Bearer\s+(.*)$/i.exec(call.headers.get('authorization') ?? '');
    const token = match?.[1]?.trim() ?? '';
    if (token === '') return GRAPH.tokenEmpty();
    const result = await verifyAccessToken(key, token, world.clock.now(), deps.graphResource);
    if (!result.ok) {
      switch (result.reason) {
        case 'expired':
          return GRAPH.tokenExpired();
        case 'notYetValid':
          return GRAPH.tokenNotYetValid();
        case 'audience':
          return GRAPH.tokenAudience();
        case 'issuer':
        case 'malformed':
        case 'signature':
          return GRAPH.tokenInvalid();
      }
    }
    const c = result.claims;
    const tenantId = typeof c['tid'] === 'string' ? c['tid'] : '';
    if (world.tenant(tenantId) === undefined) return GRAPH.tokenInvalid();
    const roles = Array.isArray(c['roles']) ? c['roles'].filter((r): r is string => typeof r === 'string') : [];
    const scp = typeof c['scp'] === 'string' ? c['scp'].split(' ').filter((s) => s !== '') : [];
    const appId = typeof c['appid'] === 'string' ? c['appid'] : '';
    if (c['idtyp'] === 'app') return { kind: 'app', appId, tenantId, roles, scp: [] };
    const user = world.user(typeof c['oid'] === 'string' ? c['oid'] : '');
    if (user === undefined || !user.enabled) return GRAPH.tokenInvalid();
    return { kind: 'user', appId, tenantId, roles, scp, user };
  };

  const mayUseAddress = (user: User, address: string): boolean =>
    world.mailboxMatches(user, [address]) || (user.sendAs ?? []).some((a) => a.toLowerCase() === address.toLowerCase());

  /** Authenticates, resolves the mailbox, checks `need` (token, RBAC for Applications, access policies) and the throttles. */
  const authorize = async (call: GraphCall, target: Target, need: MailPermission): Promise<MailAccess | GraphResult> => {
    const principal = await authenticate(call);
    if (isSpec(principal)) return fail(call, principal);
    if (target.me && principal.kind === 'app') return fail(call, GRAPH.meWithAppToken());
    const mailbox = target.me ? principal.user : world.user(target.id, principal.tenantId);
    if (mailbox === undefined) return fail(call, GRAPH.invalidUser(target.id));
    if (principal.kind === 'app') {
      const rbacRoles = world.data.rbacAssignments
        .filter((a) => a.appId === principal.appId && world.mailboxMatches(mailbox, a.mailboxes))
        .map((a) => a.role.replace(/^Application\s+/i, ''));
      if (!grants(need, rbacRoles)) {
        if (!grants(need, principal.roles)) return fail(call, GRAPH.accessDenied());
        for (const p of world.data.accessPolicies.filter((x) => x.appId === principal.appId)) {
          const inScope = world.mailboxMatches(mailbox, p.mailboxes);
          if ((p.accessRight === 'RestrictAccess' && !inScope) || (p.accessRight === 'DenyAccess' && inScope))
            return fail(call, GRAPH.odataDisabled());
        }
      }
    } else {
      const self = principal.user;
      if (self === undefined) return fail(call, GRAPH.tokenInvalid());
      if (self.id === mailbox.id) {
        if (!grants(need, principal.scp)) return fail(call, GRAPH.accessDenied());
      } else {
        const shared = principal.scp.filter((x) => x.endsWith('.Shared')).map((x) => x.replace(/\.Shared$/, ''));
        if (!grants(need, shared)) return fail(call, GRAPH.accessDenied());
        if (need === 'Mail.Send' && !mayUseAddress(self, mailbox.userPrincipalName)) return fail(call, GRAPH.sendAsDenied());
      }
    }
    if (!mailbox.hasMailbox || !mailbox.licensed) return fail(call, GRAPH.mailboxNotEnabled());
    const slot = throttle.enter(principal.appId, mailbox.id);
    call.cleanup.push(slot.release);
    if (slot.verdict !== undefined) return throttled(call, slot.verdict);
    if (throttle.settings.serviceTimeMs > 0) await new Promise((r) => setTimeout(r, throttle.settings.serviceTimeMs));
    const volume = throttle.upload(principal.appId, mailbox.id, call.body?.length ?? 0);
    if (volume !== undefined) return throttled(call, volume);
    return { principal, mailbox };
  };

  return { authenticate, authorize, mayUseAddress };
}

export type MailAccessChecks = ReturnType<typeof createMailAccess>;
