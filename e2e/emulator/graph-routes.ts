/** The Graph host: /v1.0 dispatch (users, sendMail, $batch, messages), the body limit, faults, the mail sink and common headers. */
import { randomUUID } from 'node:crypto';
import { GRAPH, type GraphErrorSpec } from './graph-errors';
import type { FaultAction, FaultTable } from './faults';
import { createBatchRoute } from './graph-batch';
import { createMailAccess, targetOf, type MailAccess } from './graph-mail-access';
import type { StoredMessage } from './graph-mailbox';
import { createMessageRoutes } from './graph-messages';
import type { AcceptedMessage, SentMessage } from './graph-message-fields';
import { graphReplies, MAX_REQUEST_BODY, type GraphCall, type GraphResult } from './graph-reply';
import { createSendMailRoute } from './graph-sendmail';
import type { MailboxThrottle } from './graph-throttle';
import { createUserRoute } from './graph-users';
import type { Reply, RequestContext, Router } from './server';
import type { SigningKey } from './tokens';
import type { World } from './world';

export type { Recipient, SentMessage } from './graph-message-fields';

export interface GraphDeps {
  world: World;
  key: SigningKey;
  sink: SentMessage[];
  faults: FaultTable;
  faultSpec: (status: number) => GraphErrorSpec;
  throttle: MailboxThrottle;
  /** The mailboxes' items (drafts, Sent Items). */
  store: StoredMessage[];
  /** The token audience this Graph host accepts (default https://graph.microsoft.com). */
  graphResource?: string;
}

export function createGraphRouter(deps: GraphDeps): Router {
  const { world, key, sink, faults, throttle, store } = deps;
  const replies = graphReplies(world.clock);
  const { fail } = replies;
  const access = createMailAccess({
    world,
    key,
    throttle,
    replies,
    ...(deps.graphResource === undefined ? {} : { graphResource: deps.graphResource }),
  });

  const record = ({ principal, mailbox }: MailAccess, call: GraphCall, message: AcceptedMessage): void => {
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

  const messages = createMessageRoutes({ clock: world.clock, throttle, store, access, replies, record });
  const sendMail = createSendMailRoute({ access, throttle, replies, saveSentCopy: messages.saveSentCopy, record });
  const getUser = createUserRoute({ world, access, replies });

  const faultResult = (call: GraphCall, action: Extract<FaultAction, { type: 'status' }>): GraphResult => {
    const headers: Record<string, string> = { ...action.headers };
    if (action.retryAfterSeconds !== undefined) headers['Retry-After'] = String(action.retryAfterSeconds);
    if (action.body !== undefined)
      return { status: action.status, headers: { 'Content-Type': 'application/json', ...headers }, body: action.body };
    return fail(call, { ...deps.faultSpec(action.status), status: action.status }, headers);
  };

  const batch = createBatchRoute({ replies, faults, faultResult, answer: (sub) => answer(sub, dispatch) });

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
  if (status === 413) return GRAPH.requestTooLarge();
  if (status >= 500) return GRAPH.serviceUnavailable(status);
  return { status, code: 'UnknownError', message: 'Injected fault.' };
}
