// Microsoft Graph: GraphError from the client and raw Graph error bodies.

import { draft, type ClassifyContext, type Draft } from './finding';
import { GRAPH_CODE_DIAGNOSES } from './tables';
import { headerGetter, isRec, match, normaliseTimestamp, retryAfterText, str, type Rec } from './error-shape';
import { findNetClue, fromNetClue, isTimeoutName, timeoutDraft } from './network';

export function isGraphError(e: unknown): e is Rec {
  return isRec(e) && typeof e['statusCode'] === 'number' && 'code' in e && 'requestId' in e && 'body' in e;
}

export function isGraphBody(e: unknown): e is Rec {
  return isRec(e) && !(e instanceof Error) && isRec(e['error']) && typeof e['error']['code'] === 'string';
}

interface GraphFields {
  status: number | null;
  code: string | null;
  message: string;
  requestId: string | undefined;
  clientRequestId: string | undefined;
  date: string | undefined;
  header: (name: string) => string | undefined;
  fallbackDate: Date | undefined;
}

function innerErrorOf(error: unknown): Rec | undefined {
  if (!isRec(error)) return undefined;
  const inner = error['innerError'] ?? error['innererror'];
  return isRec(inner) ? inner : undefined;
}

export function readGraphError(e: Rec): GraphFields {
  let inner: Rec | undefined;
  const body = e['body'];
  if (typeof body === 'string' && body.startsWith('{')) {
    try {
      inner = innerErrorOf(JSON.parse(body) as unknown);
    } catch {
      inner = undefined;
    }
  } else if (isRec(body)) {
    inner = innerErrorOf(body);
  }
  const status = typeof e['statusCode'] === 'number' && e['statusCode'] > 0 ? e['statusCode'] : null;
  const header = headerGetter(e['headers']);
  return {
    status,
    code: str(e['code']) ?? null,
    message: str(e['message']) ?? '',
    requestId: str(e['requestId']) ?? str(inner?.['request-id']) ?? header('request-id'),
    clientRequestId: str(inner?.['client-request-id']) ?? header('client-request-id'),
    date: str(inner?.['date']),
    header,
    fallbackDate: undefined,
  };
}

export function readGraphBody(e: Rec): GraphFields {
  const error = e['error'] as Rec;
  const inner = innerErrorOf(error);
  return {
    status: typeof e['status'] === 'number' ? e['status'] : null,
    code: str(error['code']) ?? null,
    message: str(error['message']) ?? '',
    requestId: str(inner?.['request-id']),
    clientRequestId: str(inner?.['client-request-id']),
    date: str(inner?.['date']),
    header: () => undefined,
    fallbackDate: undefined,
  };
}

const JS_ERROR_NAMES = new Set(['TypeError', 'Error', 'AbortError', 'TimeoutError', 'FetchError', 'RangeError']);

export function diagnoseGraph(g: GraphFields, raw: unknown, ctx: ClassifyContext, now: Date): Draft {
  const op = ctx.operation;
  const timestamp = g.date !== undefined ? normaliseTimestamp(g.date) : normaliseTimestamp(g.header('date'));
  const base = {
    httpStatus: g.status,
    correlationId: g.clientRequestId ?? null,
    requestId: g.requestId ?? null,
    timestamp,
  };

  // No HTTP answer: the client wrapped a fetch failure (it keeps only name and message, not `cause`).
  if (g.status === null && (g.code === null || JS_ERROR_NAMES.has(g.code))) {
    if (g.code !== null && (isTimeoutName(g.code) || (g.code === 'AbortError' && ctx.timeoutSeconds !== undefined))) {
      return timeoutDraft(g.code, ctx, base);
    }
    if (g.code === 'AbortError') return draft('user-cancelled', 'AbortError', base);
    const clue = findNetClue(raw, ctx);
    if (clue !== null) return fromNetClue(clue, ctx, base);
    return fromNetClue({ kind: null, code: g.message || 'fetch failed', host: ctx.host, seconds: undefined }, ctx, base);
  }

  const status = g.status;
  const code = g.code !== null && !JS_ERROR_NAMES.has(g.code) && g.code !== 'SyntaxError' ? g.code : null;
  const rawCode = code ?? (status !== null ? `HTTP ${status}` : (g.code ?? 'unknown'));
  const params: Record<string, string> = {};
  const withParams = { ...base, params };

  if (status === 407) return draft('net-proxy', rawCode, withParams);
  if (status === 429 || (code !== null && GRAPH_CODE_DIAGNOSES[code] === 'graph-throttled')) {
    const seconds = retryAfterText(g.header('retry-after'), now);
    if (seconds !== undefined) params['seconds'] = seconds;
    return draft('graph-throttled', rawCode, withParams);
  }
  if (status === 503 || status === 504) {
    return draft(op === 'sendMail' ? 'graph-send-outcome-unknown' : 'graph-unavailable', rawCode, withParams);
  }
  // Graph's 4 MB request limit: answered 413 with code BadRequest (or a gateway's page without a code).
  if (status === 413) return draft('graph-request-too-large', rawCode, withParams);
  if (code === null) {
    if (status !== null && status >= 500) return draft('graph-server-error', rawCode, withParams);
    if (status === 401) return draft('graph-token-invalid', rawCode, withParams);
    // Non-JSON error bodies (a proxy's HTML page) or an unparseable success body.
    return draft('graph-unexpected-response', rawCode, withParams);
  }

  const refused =
    code === 'ErrorAccessDenied' || (code === 'ExtensionError' && /access (to odata )?is (disabled|denied)/i.test(g.message));
  if (op === 'probe' && refused) return draft('probe-restricted', rawCode, withParams);
  if (refused && /OData is disabled/i.test(g.message)) return draft('graph-mailbox-not-allowed', rawCode, withParams);
  if (code === 'Authorization_RequestDenied' && op === 'readMailbox') {
    return draft('graph-mailbox-read-not-checked', rawCode, withParams);
  }
  if (code === 'ErrorInvalidUser') {
    const mailbox = match(g.message, /user '([^']+)'/) ?? ctx.mailbox;
    if (mailbox !== undefined) params['mailbox'] = mailbox;
  }
  const id = refused ? 'graph-access-denied' : GRAPH_CODE_DIAGNOSES[code];
  if (id !== undefined) return draft(id, rawCode, withParams);
  if (status !== null && status >= 500) return draft('graph-server-error', rawCode, withParams);
  if (status === 401) return draft('graph-token-invalid', rawCode, withParams);
  return draft('graph-request-failed', rawCode, withParams);
}
