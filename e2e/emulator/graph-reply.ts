/** The shape of one Graph call and of its answer, and the builders every Graph route answers with. */
import { GRAPH, graphErrorBody, type GraphErrorSpec } from './graph-errors';

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

/** /me, or /users/{id|upn}: the mailbox or user a call addresses. */
export interface Target {
  me: boolean;
  id: string;
}

export interface GraphReplies {
  fail: (call: GraphCall, spec: GraphErrorSpec, headers?: Record<string, string>) => GraphResult;
  ok: (status: number, body?: unknown, headers?: Record<string, string>) => GraphResult;
  /** 429 ApplicationThrottled with Retry-After, for a mailbox throttle verdict. */
  throttled: (call: GraphCall, verdict: { limit: string; retryAfterSeconds: number }) => GraphResult;
}

const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ' +
  'client_id="00000003-0000-0000-c000-000000000000"';

export function graphReplies(clock: { now(): number }): GraphReplies {
  const fail: GraphReplies['fail'] = (call, spec, headers = {}) => ({
    status: spec.status,
    headers: {
      'Content-Type': 'application/json',
      ...headers,
      ...(spec.status === 401 ? { 'WWW-Authenticate': WWW_AUTHENTICATE } : {}),
    },
    body: graphErrorBody(spec, { requestId: call.requestId, clientRequestId: call.clientRequestId, now: clock.now() }),
  });
  const ok: GraphReplies['ok'] = (status, body, headers = {}) =>
    body === undefined
      ? { status, headers }
      : { status, headers: { 'Content-Type': ODATA_JSON, 'OData-Version': '4.0', ...headers }, body };
  const throttled: GraphReplies['throttled'] = (call, v) =>
    fail(call, GRAPH.applicationThrottled(v.limit), { 'Retry-After': String(v.retryAfterSeconds) });
  return { fail, ok, throttled };
}

/** A JSON object body, or Graph's error for an empty or unreadable one. */
export function parseJsonObject(call: GraphCall): Record<string, unknown> | GraphErrorSpec {
  const raw = call.body ?? Buffer.alloc(0);
  if (raw.length === 0) return GRAPH.emptyPayload();
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return GRAPH.unreadableJson();
    return v as Record<string, unknown>;
  } catch {
    return GRAPH.unreadableJson();
  }
}

/** Graph's error specs are the only results with a code. */
export const isSpec = <T extends object>(v: T | GraphErrorSpec): v is GraphErrorSpec => 'code' in v;
