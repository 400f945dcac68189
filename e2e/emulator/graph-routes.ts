import { randomUUID } from 'node:crypto';
import { GRAPH, graphErrorBody, type GraphErrorSpec } from './errors';
import type { FaultAction, FaultTable } from './faults';
import { createMessageRoutes, type StoredMessage } from './graph-messages';
import type { MailboxThrottle } from './graph-throttle';
import type { Reply, RequestContext, Router } from './server';
import { verifyAccessToken, type SigningKey } from './tokens';
import type { User, World } from './world';

export interface Recipient {
  address: string;
  name?: string;
}

/** A message Graph accepted (202). */
export interface SentMessage {
  id: string;
  /** The mailbox the request targeted (UPN), i.e. whose Sent Items it would land in. */
  sender: string;
  senderId: string;
  /** message.from, or the sender when not given. */
  from: Recipient;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  subject: string;
  body: { contentType: string; content: string };
  attachments: { name: string; contentType: string; size: number }[];
  saveToSentItems: boolean;
  /** ISO time on the emulator clock. */
  sentAt: string;
  /** From the access token. */
  appId: string;
  /** Delegated tokens: the signed-in user; app-only: undefined. */
  userId?: string;
  userPrincipalName?: string;
  viaBatch: boolean;
  requestId: string;
  /** POST …/messages/{id}/send: the draft's immutable id. */
  messageId?: string;
  /** Message send, or sendMail with saveToSentItems: the Sent Items copy's internetMessageId. */
  internetMessageId?: string;
}

export interface GraphDeps {
  world: World;
  key: SigningKey;
  sink: SentMessage[];
  faults: FaultTable;
  faultSpec: (status: number) => GraphErrorSpec;
  throttle: MailboxThrottle;
  /** The mailboxes' items (drafts, Sent Items). */
  store: StoredMessage[];
}

/** Graph's documented limit for a request body (sendMail, drafts, attachments). */
export const MAX_REQUEST_BODY = 4 * 1024 * 1024;

/** A request to the Graph API after the version segment, from HTTP or from a $batch item. */
export interface GraphCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Map<string, string>;
  body: Buffer | undefined;
  requestId: string;
  clientRequestId: string;
  viaBatch: boolean;
  /** https://localhost:PORT of the Graph host (upload URLs point back at it). */
  origin: string;
  /** Run when the call has been answered (releases throttle slots). */
  cleanup: (() => void)[];
}

export interface GraphResult {
  status: number;
  headers: Record<string, string>;
  /** JSON value; undefined = empty body. */
  body?: unknown;
}

export interface Principal {
  kind: 'app' | 'user';
  appId: string;
  tenantId: string;
  roles: string[];
  scp: string[];
  user?: User;
}

const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ' +
  'client_id="00000003-0000-0000-c000-000000000000"';
const USER_READ_APP_ROLES = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'User.ReadBasic.All',
];
const USER_READ_OTHERS_SCOPES = ['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'];
const ADDRESS = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

/** An authorised mail call: who calls and which mailbox it addresses. */
export interface MailAccess {
  principal: Principal;
  mailbox: User;
}

/** A Graph recipient list, or the ErrorInvalidRecipients text. */
export function parseRecipients(value: unknown): Recipient[] | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return 'A recipient list must be an array.';
  const out: Recipient[] = [];
  for (const r of value as unknown[]) {
    const email = (r as { emailAddress?: { address?: unknown; name?: unknown } } | null)?.emailAddress;
    const address = typeof email?.address === 'string' ? email.address.trim() : '';
    if (!ADDRESS.test(address)) {
      return `At least one recipient is not valid., Recipient '${address}' is not resolved. All recipients must be resolved before a message can be submitted.`;
    }
    out.push(typeof email?.name === 'string' ? { address, name: email.name } : { address });
  }
  return out;
}

export function createGraphRouter(deps: GraphDeps): Router {
  const { world, key, sink, faults, throttle, store } = deps;

  const fail = (call: GraphCall, spec: GraphErrorSpec, headers: Record<string, string> = {}): GraphResult => ({
    status: spec.status,
    headers: {
      'Content-Type': 'application/json',
      ...headers,
      ...(spec.status === 401 ? { 'WWW-Authenticate': WWW_AUTHENTICATE } : {}),
    },
    body: graphErrorBody(spec, { requestId: call.requestId, clientRequestId: call.clientRequestId, now: world.clock.now() }),
  });

  const ok = (status: number, body?: unknown, headers: Record<string, string> = {}): GraphResult =>
    body === undefined
      ? { status, headers }
      : { status, headers: { 'Content-Type': ODATA_JSON, 'OData-Version': '4.0', ...headers }, body };

  const authenticate = async (call: GraphCall): Promise<Principal | GraphErrorSpec> => {
    const match = /^Bearer\s+(.*)$/i.exec(call.headers.get('authorization') ?? '');
    const token = match?.[1]?.trim() ?? '';
    if (token === '') return GRAPH.tokenEmpty();
    const result = await verifyAccessToken(key, token, world.clock.now());
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

  const isSpec = (p: Principal | GraphErrorSpec): p is GraphErrorSpec => 'code' in p;

  /** /me or /users/{id|upn} or /users('{upn}') → the addressed user segment. */
  const targetOf = (segments: string[]): { me: boolean; id: string; consumed: number } | undefined => {
    if (segments[0] === 'me') return { me: true, id: '', consumed: 1 };
    if (segments[0] === 'users' && segments[1] !== undefined) return { me: false, id: segments[1], consumed: 2 };
    const m = /^users\('(.+)'\)$/.exec(segments[0] ?? '');
    return m?.[1] === undefined ? undefined : { me: false, id: m[1], consumed: 1 };
  };

  const recipients = parseRecipients;

  const parseMessage = (
    call: GraphCall,
  ):
    | {
        message: Omit<SentMessage, 'id' | 'sender' | 'senderId' | 'sentAt' | 'appId' | 'viaBatch' | 'requestId' | 'from'> & {
          from?: Recipient;
        };
      }
    | GraphErrorSpec => {
    const raw = call.body ?? Buffer.alloc(0);
    if (raw.length === 0) return GRAPH.emptyPayload();
    const contentType = (call.headers.get('content-type') ?? '').toLowerCase();
    if (contentType.startsWith('text/plain')) return parseMime(raw);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return GRAPH.unreadableJson();
    }
    const top = parsed as { message?: unknown; saveToSentItems?: unknown } | null;
    if (top === null || typeof top !== 'object' || Array.isArray(top)) return GRAPH.unreadableJson();
    if (top.message === undefined || top.message === null || typeof top.message !== 'object') {
      return GRAPH.invalidRequest("The 'message' parameter is required for sendMail.");
    }
    const save = top.saveToSentItems;
    if (save !== undefined && save !== null && typeof save !== 'boolean' && save !== 'true' && save !== 'false') {
      return GRAPH.requestBodyRead(`Cannot convert the literal '${JSON.stringify(save)}' to the expected type 'Edm.Boolean'.`);
    }
    const m = top.message as Record<string, unknown>;
    const body = (m['body'] ?? { contentType: 'Text', content: '' }) as { contentType?: unknown; content?: unknown };
    const ct = typeof body.contentType === 'string' ? body.contentType : 'Text';
    if (!/^(text|html)$/i.test(ct)) return GRAPH.requestBodyRead(`Requested value '${ct}' was not found.`);
    const lists = ['toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo'].map((k) => recipients(m[k]));
    for (const l of lists) if (typeof l === 'string') return GRAPH.invalidRecipients(l);
    const [to, cc, bcc, replyTo] = lists as Recipient[][];
    if ((to?.length ?? 0) + (cc?.length ?? 0) + (bcc?.length ?? 0) === 0) {
      return GRAPH.invalidRecipients(
        "At least one recipient is not valid., A message can't be sent because it contains no recipients.",
      );
    }
    const fromList = m['from'] === undefined || m['from'] === null ? [] : recipients([m['from']]);
    if (typeof fromList === 'string') return GRAPH.invalidRecipients(fromList);
    const attachments: SentMessage['attachments'] = [];
    if (Array.isArray(m['attachments'])) {
      for (const a of m['attachments'] as Record<string, unknown>[]) {
        const bytes = typeof a['contentBytes'] === 'string' ? a['contentBytes'] : '';
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(bytes) || bytes.length % 4 !== 0) {
          return GRAPH.invalidRequest('The attachment content is not a valid base64 string.');
        }
        attachments.push({
          name: typeof a['name'] === 'string' ? a['name'] : '',
          contentType: typeof a['contentType'] === 'string' ? a['contentType'] : 'application/octet-stream',
          size: Buffer.from(bytes, 'base64').length,
        });
      }
    }
    return {
      message: {
        ...(fromList[0] === undefined ? {} : { from: fromList[0] }),
        toRecipients: to ?? [],
        ccRecipients: cc ?? [],
        bccRecipients: bcc ?? [],
        replyTo: replyTo ?? [],
        subject: typeof m['subject'] === 'string' ? m['subject'] : '',
        body: {
          contentType: /^html$/i.test(ct) ? 'HTML' : 'Text',
          content: typeof body.content === 'string' ? body.content : '',
        },
        attachments,
        saveToSentItems: save !== false && save !== 'false',
      },
    };
  };

  /** MIME sendMail (Content-Type: text/plain, base64 RFC 822 body); only the headers tests need. */
  const parseMime = (raw: Buffer): ReturnType<typeof parseMessage> => {
    const text = raw.toString('utf8').trim();
    if (!/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(text)) return GRAPH.invalidBase64();
    const mime = Buffer.from(text, 'base64').toString('utf8');
    const [head = '', ...rest] = mime.split(/\r?\n\r?\n/);
    const header = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
    const list = (v: string): Recipient[] =>
      v
        .split(',')
        .map((s) => (/<([^>]+)>/.exec(s)?.[1] ?? s).trim())
        .filter((s) => s !== '')
        .map((address) => ({ address }));
    const to = list(header('To'));
    const cc = list(header('Cc'));
    if (to.length + cc.length === 0) {
      return GRAPH.invalidRecipients(
        "At least one recipient is not valid., A message can't be sent because it contains no recipients.",
      );
    }
    const from = list(header('From'))[0];
    return {
      message: {
        ...(from === undefined ? {} : { from }),
        toRecipients: to,
        ccRecipients: cc,
        bccRecipients: [],
        replyTo: [],
        subject: header('Subject'),
        body: { contentType: /text\/html/i.test(header('Content-Type')) ? 'HTML' : 'Text', content: rest.join('\n\n') },
        attachments: [],
        saveToSentItems: true,
      },
    };
  };

  const mayUseAddress = (user: User, address: string): boolean =>
    world.mailboxMatches(user, [address]) || (user.sendAs ?? []).some((a) => a.toLowerCase() === address.toLowerCase());

  const READ_ROLES = ['Mail.Read', 'Mail.ReadWrite', 'Mail.ReadBasic.All', 'Mail.ReadBasic'];
  /** Token roles / scopes / RBAC roles that grant `need` (reads are granted by read-write too). */
  const grants = (need: 'Mail.Send' | 'Mail.ReadWrite' | 'Mail.Read', have: string[]): boolean =>
    need === 'Mail.Read' ? have.some((r) => READ_ROLES.includes(r)) : have.includes(need);

  /** Authenticates, resolves the mailbox, checks `need` (token, RBAC for Applications, access policies) and the throttles. */
  const authorizeMail = async (
    call: GraphCall,
    target: { me: boolean; id: string },
    need: 'Mail.Send' | 'Mail.ReadWrite' | 'Mail.Read',
  ): Promise<MailAccess | GraphResult> => {
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

  const throttled = (call: GraphCall, v: { limit: string; retryAfterSeconds: number }): GraphResult =>
    fail(call, GRAPH.applicationThrottled(v.limit), { 'Retry-After': String(v.retryAfterSeconds) });

  const record: Parameters<typeof createMessageRoutes>[0]['record'] = (access, call, message) => {
    const { principal, mailbox } = access;
    sink.push({
      id: randomUUID(),
      sender: mailbox.userPrincipalName,
      senderId: mailbox.id,
      ...message,
      sentAt: new Date(world.clock.now()).toISOString(),
      appId: principal.appId,
      ...(principal.user === undefined ? {} : { userId: principal.user.id, userPrincipalName: principal.user.userPrincipalName }),
      viaBatch: call.viaBatch,
      requestId: call.requestId,
    });
  };

  const messages = createMessageRoutes({
    world,
    sink,
    throttle,
    store,
    authorize: authorizeMail,
    fail,
    ok,
    record,
    mayUseAddress,
  });

  const sendMail = async (call: GraphCall, target: { me: boolean; id: string }): Promise<GraphResult> => {
    const access = await authorizeMail(call, target, 'Mail.Send');
    if ('status' in access) return access;
    const { mailbox } = access;
    const parsed = parseMessage(call);
    if ('code' in parsed) return fail(call, parsed);
    const { from, ...message } = parsed.message;
    if (from !== undefined && !mayUseAddress(mailbox, from.address)) return fail(call, GRAPH.sendAsDenied());
    const rate = throttle.send(mailbox.id);
    if (rate !== undefined) return throttled(call, rate);
    const full = { from: from ?? { address: mailbox.mail ?? mailbox.userPrincipalName, name: mailbox.displayName }, ...message };
    const internetMessageId = message.saveToSentItems ? messages.saveSentCopy(mailbox.id, full) : undefined;
    record(access, call, { ...full, ...(internetMessageId === undefined ? {} : { internetMessageId }) });
    return ok(202);
  };

  const getUser = async (call: GraphCall, target: { me: boolean; id: string }): Promise<GraphResult> => {
    const principal = await authenticate(call);
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

  const batch = async (call: GraphCall): Promise<GraphResult> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse((call.body ?? Buffer.alloc(0)).toString('utf8'));
    } catch {
      return fail(call, GRAPH.unreadableJson());
    }
    const requests = (parsed as { requests?: unknown } | null)?.requests;
    if (!Array.isArray(requests)) return fail(call, GRAPH.badBatch('Invalid batch payload format.'));
    if (requests.length > 20)
      return fail(call, GRAPH.badBatch('The number of batch requests exceeds the allowed maximum of 20.'));
    type Item = { id: string; method: string; url: string; headers: Map<string, string>; body: unknown; dependsOn: string[] };
    const items: Item[] = [];
    for (const r of requests as Record<string, unknown>[]) {
      if (typeof r['id'] !== 'string' || typeof r['method'] !== 'string' || typeof r['url'] !== 'string') {
        return fail(call, GRAPH.badBatch('Invalid batch payload format.'));
      }
      const headers = new Map<string, string>();
      for (const [k, v] of Object.entries((r['headers'] ?? {}) as Record<string, unknown>))
        headers.set(k.toLowerCase(), String(v));
      items.push({
        id: r['id'],
        method: r['method'].toUpperCase(),
        url: r['url'],
        headers,
        body: r['body'],
        dependsOn: Array.isArray(r['dependsOn']) ? (r['dependsOn'] as unknown[]).map(String) : [],
      });
    }
    const ids = new Set(items.map((i) => i.id.toLowerCase()));
    if (ids.size !== items.length) return fail(call, GRAPH.badBatch('Batch request contains duplicate ids.'));

    const statuses = new Map<string, number>();
    const responses: { id: string; status: number; headers: Record<string, string>; body?: unknown }[] = [];
    const pending = [...items];
    while (pending.length > 0) {
      const index = pending.findIndex((i) =>
        i.dependsOn.every((d) => statuses.has(d.toLowerCase()) || !ids.has(d.toLowerCase())),
      );
      const item = pending.splice(index === -1 ? 0 : index, 1)[0] as Item;
      const sub: GraphCall = {
        method: item.method,
        path: '',
        query: new URLSearchParams(),
        headers: new Map([
          ...item.headers,
          ...(call.headers.has('authorization')
            ? [['authorization', call.headers.get('authorization') as string] as [string, string]]
            : []),
        ]),
        body: undefined,
        requestId: randomUUID(),
        clientRequestId: call.clientRequestId,
        viaBatch: true,
        origin: call.origin,
        cleanup: [],
      };
      let result: GraphResult;
      const failedDependency = item.dependsOn.some((d) => (statuses.get(d.toLowerCase()) ?? 424) >= 400);
      if (failedDependency) {
        result = fail(sub, GRAPH.failedDependency());
      } else if (item.body !== undefined && !item.headers.has('content-type')) {
        result = fail(sub, GRAPH.badBatch('Content-Type header is required for a request with a body.'));
      } else {
        // Clients send either "/users/…" or, from absolute URLs, "/v1.0/users/…" (reference §5.4).
        const u = new URL(item.url.replace(/^\/?(v1\.0\/)?/, '/'), 'https://graph.invalid');
        sub.path = u.pathname;
        sub.query = u.searchParams;
        if (item.body !== undefined) {
          sub.body =
            typeof item.body === 'string' && !(item.headers.get('content-type') ?? '').includes('json')
              ? Buffer.from(item.body, 'base64')
              : Buffer.from(JSON.stringify(item.body));
        }
        // Items are throttled individually, so per-route faults apply to them too.
        const decision = faults.decide('graph', item.method, `/v1.0${u.pathname}`);
        if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
        const t = decision.terminal;
        result = t?.type === 'status' ? faultResult(sub, t) : await answer(sub, dispatch);
      }
      statuses.set(item.id.toLowerCase(), result.status);
      responses.push({
        id: item.id,
        status: result.status,
        headers: result.headers,
        ...(result.body === undefined ? {} : { body: result.body }),
      });
    }
    return ok(200, { responses });
  };

  const faultResult = (call: GraphCall, action: Extract<FaultAction, { type: 'status' }>): GraphResult => {
    const headers: Record<string, string> = { ...action.headers };
    if (action.retryAfterSeconds !== undefined) headers['Retry-After'] = String(action.retryAfterSeconds);
    if (action.body !== undefined)
      return { status: action.status, headers: { 'Content-Type': 'application/json', ...headers }, body: action.body };
    return fail(call, { ...deps.faultSpec(action.status), status: action.status }, headers);
  };

  const dispatch = async (call: GraphCall): Promise<GraphResult> => {
    const segments = call.path
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    if (call.method === 'POST' && segments.length === 1 && segments[0] === '$batch' && !call.viaBatch) return batch(call);
    const target = targetOf(segments);
    const rest = segments.slice(target?.consumed ?? 0);
    if (target !== undefined && rest.length === 0) {
      if (call.method === 'GET') return getUser(call, target);
      return fail(call, GRAPH.methodNotAllowed());
    }
    if (target !== undefined && rest.length === 1 && rest[0]?.toLowerCase() === 'sendmail') {
      if (call.method === 'POST') return sendMail(call, target);
      return fail(call, GRAPH.methodNotAllowed());
    }
    const message = target === undefined ? undefined : messages.route(call, target, rest);
    if (message !== undefined) return message;
    return fail(call, GRAPH.segmentNotFound(rest[0] ?? segments[0] ?? ''));
  };

  /** Answers one call and then frees what it held (throttle slots). */
  const answer = async (call: GraphCall, run: (c: GraphCall) => Promise<GraphResult>): Promise<GraphResult> => {
    try {
      if ((call.body?.length ?? 0) > MAX_REQUEST_BODY && !call.path.startsWith('/api/v2.0/')) {
        return fail(call, GRAPH.requestTooLarge());
      }
      return await run(call);
    } finally {
      for (const release of call.cleanup.splice(0)) release();
    }
  };

  return async (ctx: RequestContext): Promise<Reply> => {
    const clientRequestId = ctx.clientRequestId ?? ctx.requestId;
    const headers = new Map<string, string>();
    for (const [k, v] of Object.entries(ctx.headers))
      if (v !== undefined) headers.set(k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v);
    const common: Record<string, string> = {
      'request-id': ctx.requestId,
      'client-request-id': clientRequestId,
      'x-ms-ags-diagnostic': JSON.stringify({
        ServerInfo: {
          DataCenter: 'Germany West Central',
          Slice: 'E',
          Ring: '4',
          ScaleUnit: '000',
          RoleInstance: 'FR1PEPF00000001',
        },
      }),
      'Strict-Transport-Security': 'max-age=31536000',
    };
    const versioned = /^\/v1\.0(\/.*)?$/.exec(ctx.url.pathname);
    const call: GraphCall = {
      method: ctx.method,
      path: versioned?.[1] ?? ctx.url.pathname,
      query: ctx.url.searchParams,
      headers,
      body: ctx.method === 'POST' || ctx.method === 'PATCH' || ctx.method === 'PUT' ? await ctx.body() : undefined,
      requestId: ctx.requestId,
      clientRequestId,
      viaBatch: false,
      origin: ctx.origin,
      cleanup: [],
    };
    // The attachment upload URL (Outlook's REST host in reality) carries its own token instead of a bearer token.
    const upload = versioned === null && /^\/api\/v2\.0\/Users\(/.test(ctx.url.pathname);
    const result = upload
      ? await answer(call, messages.uploadUrl)
      : versioned === null
        ? fail(call, { status: 400, code: 'BadRequest', message: 'Invalid version.' })
        : await answer(call, dispatch);
    return {
      status: result.status,
      headers: { ...common, ...result.headers },
      ...(result.body === undefined ? {} : { body: JSON.stringify(result.body) }),
    };
  };
}

/** Default Graph body for injected statuses. */
export function graphFaultSpec(status: number): GraphErrorSpec {
  if (status === 429) return GRAPH.tooManyRequests();
  if (status >= 500) return GRAPH.serviceUnavailable(status);
  return { status, code: 'UnknownError', message: 'Injected fault.' };
}
