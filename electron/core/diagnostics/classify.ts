// The error translator: turns whatever MSAL Node, the Graph JS client or Node's fetch threw into a
// Finding: a catalogue id (shared/diagnostics/catalogue.ts) plus the raw code, ids and a redacted
// one-line detail for "copy details". Shapes are read from the installed sources (msal-node 7.2.3,
// msal-common 16.17.0, microsoft-graph-client 3.0.7) and recognised by their fields, not by
// `instanceof`, so that a second copy of a library (ESM vs CJS build) cannot defeat it.

import { diagnosticParamNames, DIAGNOSTIC_IDS, type DiagnosticId } from '../../../shared/diagnostics/catalogue';
import { redactText } from '../logging/redact';

export type DiagnosticOperation = 'token' | 'sendMail' | 'readMailbox' | 'probe';

export interface ClassifyContext {
  /** What was being done; changes the meaning of some errors (403 on a probe is good news). */
  operation?: DiagnosticOperation;
  /** Host that was being contacted, for network messages. */
  host?: string;
  /** The caller's own timeout, when it aborted the request. */
  timeoutSeconds?: number;
  /** The stored client secret has the shape of a GUID (probably the Secret ID, not the Value). */
  secretLooksLikeGuid?: boolean;
  /** Profile values used in messages when the error itself does not name them. */
  clientId?: string;
  tenant?: string;
  mailbox?: string;
  redirectUri?: string;
  /** Values that must never appear in `detail` (e.g. the client secret being tested). */
  knownSecrets?: readonly string[];
}

export interface Finding {
  id: DiagnosticId;
  /** Raw code for support: 'AADSTS7000222', 'invalid_client', 'ErrorAccessDenied', 'HTTP 429', 'ENOTFOUND', MSAL errorCode… */
  code: string;
  httpStatus: number | null;
  /** Entra correlation id (= client-request-id) or Graph client-request-id. */
  correlationId: string | null;
  /** Entra trace id (x-ms-request-id) or Graph request-id. */
  requestId: string | null;
  /** Server timestamp, UTC, as Entra prints it: 'yyyy-MM-dd HH:mm:ssZ'. */
  timestamp: string | null;
  /** Values for the catalogue's {{params}}; already redacted. */
  params: Record<string, string>;
  /** Redacted one-line raw message for "copy details". */
  detail: string;
}

// ---------------------------------------------------------------------------------------------
// Tables

/** AADSTS number → diagnosis (7000215 depends on the GUID flag, handled in code). */
export const AADSTS_DIAGNOSES: Readonly<Record<number, DiagnosticId>> = {
  7000215: 'aad-secret-invalid',
  7000222: 'aad-secret-expired',
  700016: 'aad-app-not-found',
  90002: 'aad-tenant-not-found',
  90014: 'aad-missing-parameter',
  900144: 'aad-missing-parameter',
  70011: 'aad-invalid-scope',
  1002012: 'aad-scope-not-default',
  65001: 'aad-consent-missing',
  90094: 'aad-consent-missing',
  90095: 'aad-consent-missing',
  65004: 'aad-consent-declined',
  50011: 'aad-redirect-uri-mismatch',
  7000218: 'aad-public-client-not-allowed',
  700025: 'aad-public-client-sent-secret',
  50126: 'aad-wrong-password',
  50076: 'aad-mfa-required',
  50074: 'aad-mfa-required',
  50079: 'aad-mfa-registration-required',
  50072: 'aad-mfa-registration-required',
  53003: 'aad-conditional-access',
  53000: 'aad-conditional-access',
  53001: 'aad-conditional-access',
  700082: 'aad-refresh-token-inactive',
  50173: 'aad-grant-revoked',
  50133: 'aad-grant-revoked',
  70043: 'aad-grant-expired',
  70008: 'aad-grant-expired',
  50034: 'aad-user-not-found',
  50057: 'aad-user-disabled',
  50053: 'aad-account-locked',
  50055: 'aad-password-expired',
  50020: 'aad-user-foreign-tenant',
  50194: 'aad-single-tenant-common',
  54005: 'aad-code-redeemed',
  50148: 'aad-pkce-mismatch',
  501481: 'aad-pkce-mismatch',
  500011: 'aad-resource-not-found',
  900382: 'aad-cross-cloud',
  50049: 'msal-endpoints-resolution',
  90055: 'oauth-temporarily-unavailable',
  50196: 'oauth-temporarily-unavailable',
};

/** OAuth `error` values (RFC 6749 + Entra) → diagnosis; the fallback for unknown AADSTS numbers. */
export const OAUTH_ERROR_DIAGNOSES: Readonly<Record<string, DiagnosticId>> = {
  invalid_client: 'oauth-invalid-client',
  invalid_grant: 'oauth-invalid-grant',
  bad_token: 'oauth-invalid-grant',
  unauthorized_client: 'oauth-unauthorized-client',
  invalid_request: 'oauth-invalid-request',
  invalid_scope: 'oauth-invalid-scope',
  invalid_resource: 'oauth-invalid-resource',
  access_denied: 'oauth-access-denied',
  interaction_required: 'oauth-interaction-required',
  consent_required: 'oauth-consent-required',
  login_required: 'oauth-login-required',
  temporarily_unavailable: 'oauth-temporarily-unavailable',
  server_error: 'oauth-server-error',
  invalid_tenant: 'aad-tenant-not-found',
  invalid_instance: 'msal-endpoints-resolution',
};

/** msal-common / msal-node client-side error codes → diagnosis. */
const MSAL_CLIENT_DIAGNOSES: Readonly<Record<string, DiagnosticId>> = {
  missing_tenant_id_error: 'msal-missing-tenant',
  endpoints_resolution_error: 'msal-endpoints-resolution',
  openid_config_error: 'msal-endpoints-resolution',
  untrusted_authority: 'msal-endpoints-resolution',
  no_network_connectivity: 'net-failed',
  token_parsing_error: 'msal-invalid-response',
  null_or_empty_token: 'msal-invalid-response',
  state_mismatch: 'msal-state-mismatch',
  state_not_found: 'msal-state-mismatch',
  invalid_state: 'msal-state-mismatch',
  nonce_mismatch: 'msal-nonce-mismatch',
  user_canceled: 'user-cancelled',
  user_cancelled: 'user-cancelled',
  no_tokens_found: 'msal-no-account',
  no_account_found: 'msal-no-account',
  no_account_in_silent_request: 'msal-no-account',
  refresh_token_expired: 'oauth-invalid-grant',
  authorization_code_missing_from_server_response: 'msal-invalid-response',
};

/** suberror values that say more than the OAuth class. */
const SUBERROR_DIAGNOSES: Readonly<Record<string, DiagnosticId>> = {
  user_password_expired: 'aad-password-expired',
  consent_required: 'oauth-consent-required',
  basic_action: 'oauth-interaction-required',
  additional_action: 'oauth-interaction-required',
  message_only: 'oauth-interaction-required',
  bad_token: 'oauth-invalid-grant',
  token_expired: 'oauth-invalid-grant',
};

const GRAPH_CODE_DIAGNOSES: Readonly<Record<string, DiagnosticId>> = {
  ErrorAccessDenied: 'graph-access-denied',
  Authorization_RequestDenied: 'graph-insufficient-privileges',
  ErrorInvalidUser: 'graph-invalid-user',
  ResourceNotFound: 'graph-resource-not-found',
  Request_ResourceNotFound: 'graph-resource-not-found',
  MailboxNotFound: 'graph-resource-not-found',
  MailboxNotEnabledForRESTAPI: 'graph-mailbox-not-enabled',
  MailboxNotSupportedForRESTAPI: 'graph-mailbox-not-enabled',
  ErrorSendAsDenied: 'graph-send-as-denied',
  InvalidAuthenticationToken: 'graph-token-invalid',
  ErrorInvalidRecipients: 'graph-bad-message',
  ErrorInvalidRequest: 'graph-bad-message',
  ErrorMimeContentInvalidBase64String: 'graph-bad-message',
  ErrorMessageSizeExceeded: 'graph-bad-message',
  ErrorInvalidProperty: 'graph-bad-message',
  RequestBodyRead: 'graph-bad-message',
  BadRequest: 'graph-bad-message',
  ErrorMessageSubmissionBlocked: 'graph-submission-blocked',
  ErrorExceededMessageLimit: 'graph-message-limit',
  ErrorQuotaExceeded: 'graph-quota-exceeded',
  ApplicationThrottled: 'graph-throttled',
  TooManyRequests: 'graph-throttled',
  ErrorTooManyObjectsOpened: 'graph-throttled',
};

type NetKind =
  | 'dns'
  | 'refused'
  | 'reset'
  | 'unreachable'
  | 'timeout'
  | 'tls-untrusted'
  | 'tls-expired'
  | 'tls-hostname'
  | 'tls-other'
  | 'proxy';

const NET_CODES: Readonly<Record<string, NetKind>> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  EAI_NODATA: 'dns',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ENETUNREACH: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  EHOSTDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls-untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls-untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls-untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls-untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'tls-untrusted',
  CERT_UNTRUSTED: 'tls-untrusted',
  CERT_HAS_EXPIRED: 'tls-expired',
  CERT_NOT_YET_VALID: 'tls-expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls-hostname',
  HOSTNAME_MISMATCH: 'tls-hostname',
  CERT_REVOKED: 'tls-other',
  CERT_REJECTED: 'tls-other',
  CERT_SIGNATURE_FAILURE: 'tls-other',
  EPROTO: 'tls-other',
  ERR_SSL_WRONG_VERSION_NUMBER: 'tls-other',
  UND_ERR_PRX_TLS: 'proxy',
  // The transports' own codes when the proxy itself failed (ports.ts HttpTransport).
  PROXY_REFUSED: 'proxy',
  PROXY_UNREACHABLE: 'proxy',
};

const NET_KIND_DIAGNOSES: Readonly<Record<NetKind, DiagnosticId>> = {
  dns: 'net-dns',
  refused: 'net-refused',
  reset: 'net-reset',
  unreachable: 'net-unreachable',
  timeout: 'net-timeout',
  'tls-untrusted': 'net-tls-untrusted',
  'tls-expired': 'net-tls-expired',
  'tls-hostname': 'net-tls-hostname',
  'tls-other': 'net-tls-other',
  proxy: 'net-proxy',
};

/** undici's defaults, used when the caller did not set its own timeout. */
const UNDICI_DEFAULT_TIMEOUT_SECONDS: Readonly<Record<string, number>> = {
  UND_ERR_CONNECT_TIMEOUT: 10,
  UND_ERR_HEADERS_TIMEOUT: 300,
  UND_ERR_BODY_TIMEOUT: 300,
};

/** When an id's {{params}} cannot all be filled, the classifier falls back to one that needs fewer. */
export const PARAM_FALLBACKS: Readonly<Partial<Record<DiagnosticId, DiagnosticId>>> = {
  'aad-app-not-found': 'oauth-unauthorized-client',
  'aad-tenant-not-found': 'oauth-invalid-request',
  'aad-redirect-uri-mismatch': 'oauth-invalid-request',
  'graph-invalid-user': 'graph-resource-not-found',
  'graph-throttled': 'graph-throttled-unspecified',
  'net-dns': 'net-failed',
  'net-timeout': 'net-timeout-generic',
  'net-proxy-server': 'net-proxy',
};

// ---------------------------------------------------------------------------------------------
// Small helpers

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const MAX_DETAIL = 2000;

function positiveInt(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function match(text: string, re: RegExp): string | undefined {
  const m = re.exec(text);
  return m?.[1];
}

/** Entra's own format: 'yyyy-MM-dd HH:mm:ssZ'. */
function formatUtc(date: Date): string | null {
  if (Number.isNaN(date.getTime())) return null;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

function normaliseTimestamp(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const entra = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?Z?$/.exec(raw.trim());
  if (entra?.[1] !== undefined && entra[2] !== undefined) return `${entra[1]} ${entra[2]}Z`;
  return formatUtc(new Date(raw));
}

function headerGetter(headers: unknown): (name: string) => string | undefined {
  if (isRec(headers) && typeof headers['get'] === 'function') {
    const get = headers['get'] as (n: string) => unknown;
    return (name) => str(get.call(headers, name));
  }
  if (isRec(headers)) {
    const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    return (name) => str(lower.get(name.toLowerCase()));
  }
  return () => undefined;
}

function retryAfterSeconds(raw: string | undefined, now: Date): string | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return String(Math.max(0, Math.ceil(Number(trimmed))));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return String(Math.max(0, Math.ceil((at - now.getTime()) / 1000)));
}

function oneLine(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' | ')
    .replace(/\s+/g, ' ')
    .trim();
}

function errorName(e: unknown): string {
  if (!isRec(e)) return typeof e;
  const name = str(e['name']);
  // GraphError and some others keep Error's name; their class name says more.
  const ctor = (Object.getPrototypeOf(e) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  if ((name === undefined || name === 'Error') && typeof ctor === 'string' && ctor !== '' && ctor !== 'Object') return ctor;
  if (name !== undefined) return name;
  if (typeof e['error'] === 'string') return 'OAuthError';
  if (isRec(e['error'])) return 'GraphError';
  return 'Object';
}

function errorMessage(e: unknown): string {
  if (typeof e === 'string') return e;
  if (isRec(e)) return str(e['message']) ?? '';
  return String(e);
}

/** The error, its causes and AggregateError members, nearest first. */
function chain(e: unknown): Rec[] {
  const out: Rec[] = [];
  const queue: unknown[] = [e];
  while (queue.length > 0 && out.length < 12) {
    const next = queue.shift();
    if (!isRec(next) || out.includes(next)) continue;
    out.push(next);
    if (next['cause'] !== undefined) queue.push(next['cause']);
    const errors = next['errors'];
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]).slice(0, 4));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Network failures (fetch/undici, and their traces inside MSAL and Graph client errors)

interface NetClue {
  kind: NetKind | null;
  code: string;
  host: string | undefined;
  seconds: number | undefined;
  /** host:port of the proxy that failed, when the transport named it. */
  proxy?: string | undefined;
}

const NET_CODE_IN_TEXT = new RegExp(`\\b(${Object.keys(NET_CODES).join('|')})\\b`);

function findNetClue(e: unknown, ctx: ClassifyContext): NetClue | null {
  for (const link of chain(e)) {
    const code = str(link['code']);
    const kind = code !== undefined ? NET_CODES[code] : undefined;
    if (code !== undefined && kind !== undefined) {
      const proxy = str(link['proxy']);
      return { kind, code, host: netHost(link, ctx), seconds: ctx.timeoutSeconds ?? UNDICI_DEFAULT_TIMEOUT_SECONDS[code], proxy };
    }
  }
  // Libraries that drop `cause` (MSAL's HttpClient, the Graph client) keep at most the message;
  // an adapter that enriches it ("fetch failed: getaddrinfo ENOTFOUND host") is understood too.
  for (const link of chain(e)) {
    const text = `${str(link['message']) ?? ''} ${str(link['errorMessage']) ?? ''}`;
    const code = match(text, NET_CODE_IN_TEXT);
    const kind = code !== undefined ? NET_CODES[code] : undefined;
    if (code !== undefined && kind !== undefined) {
      const host = ctx.host ?? match(text, /(?:ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME)\s+([A-Za-z0-9.-]+)/);
      const proxy = kind === 'proxy' ? match(text, /\bproxy ([\w.:[\]-]+)/) : undefined;
      return { kind, code, host, seconds: ctx.timeoutSeconds ?? UNDICI_DEFAULT_TIMEOUT_SECONDS[code], proxy };
    }
    if (/\bproxy\b/i.test(text) && /tunnel|407|proxy response|proxy authentication/i.test(text)) {
      return { kind: 'proxy', code: 'proxy', host: ctx.host, seconds: undefined };
    }
  }
  return null;
}

function netHost(link: Rec, ctx: ClassifyContext): string | undefined {
  if (ctx.host !== undefined) return ctx.host;
  const hostname = str(link['hostname']) ?? str(link['host']);
  if (hostname !== undefined) return hostname;
  const address = str(link['address']);
  const port = link['port'];
  if (address !== undefined) return typeof port === 'number' ? `${address}:${port}` : address;
  return match(str(link['message']) ?? '', /(?:getaddrinfo|connect)\s+[A-Z_]+\s+(\S+)/);
}

function isTimeoutName(name: string): boolean {
  return name === 'TimeoutError';
}

// ---------------------------------------------------------------------------------------------
// Draft: what the specific readers produce before params are checked and detail is built

type Draft = Omit<Finding, 'detail'>;

function draft(id: DiagnosticId, code: string, rest: Partial<Omit<Draft, 'id' | 'code'>> = {}): Draft {
  return {
    id,
    code,
    httpStatus: rest.httpStatus ?? null,
    correlationId: rest.correlationId ?? null,
    requestId: rest.requestId ?? null,
    timestamp: rest.timestamp ?? null,
    params: rest.params ?? {},
  };
}

function fromNetClue(clue: NetClue, ctx: ClassifyContext, base: Partial<Omit<Draft, 'id' | 'code'>> = {}): Draft {
  const params: Record<string, string> = { ...(base.params ?? {}) };
  if (clue.host !== undefined) params['host'] = clue.host;
  if (clue.seconds !== undefined) params['seconds'] = String(clue.seconds);
  let id: DiagnosticId = clue.kind === null ? 'net-failed' : NET_KIND_DIAGNOSES[clue.kind];
  if (clue.kind === 'proxy' && clue.proxy !== undefined) [id, params['proxy']] = ['net-proxy-server', clue.proxy];
  // After the request may have left (reset, no answer), a sendMail may have been accepted.
  if (
    ctx.operation === 'sendMail' &&
    (clue.kind === 'reset' || (clue.kind === 'timeout' && clue.code !== 'UND_ERR_CONNECT_TIMEOUT'))
  ) {
    id = 'graph-send-outcome-unknown';
  }
  return draft(id, clue.code, { ...base, params });
}

function timeoutDraft(code: string, ctx: ClassifyContext, base: Partial<Omit<Draft, 'id' | 'code'>> = {}): Draft {
  return fromNetClue({ kind: 'timeout', code, host: ctx.host, seconds: ctx.timeoutSeconds }, ctx, base);
}

// ---------------------------------------------------------------------------------------------
// Entra / MSAL

interface OAuthFields {
  error: string | undefined;
  description: string;
  errorNo: number | undefined;
  subError: string | undefined;
  correlationId: string | undefined;
  traceId: string | undefined;
  timestamp: string | undefined;
  status: number | undefined;
}

function aadstsOf(f: OAuthFields): number | undefined {
  return (
    f.errorNo ?? positiveInt(match(f.description, /\bAADSTS(\d+)/)) ?? positiveInt(match(f.description, /^Error\(s\):\s*(\d+)/))
  );
}

function diagnoseOAuth(f: OAuthFields, ctx: ClassifyContext, extra: { throttledReplay: boolean }): Draft {
  const n = aadstsOf(f);
  const text = f.description;
  const params: Record<string, string> = {};
  const base = {
    httpStatus: f.status ?? null,
    correlationId: match(text, new RegExp(`Correlation ID:\\s*(${GUID})`)) ?? f.correlationId ?? null,
    requestId: f.traceId ?? match(text, new RegExp(`Trace ID:\\s*(${GUID})`)) ?? null,
    timestamp: normaliseTimestamp(
      f.timestamp ?? match(text, /Timestamp:\s*(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?)/),
    ),
    params,
  };
  const code = n !== undefined ? `AADSTS${n}` : (f.error ?? (extra.throttledReplay ? 'throttled' : 'unknown'));

  if (extra.throttledReplay) {
    params['originalCode'] = code;
    return draft('msal-throttled', code, base);
  }

  let id: DiagnosticId | undefined = n !== undefined ? AADSTS_DIAGNOSES[n] : undefined;
  if (n === 7000215 && ctx.secretLooksLikeGuid === true) {
    id = 'aad-secret-id-pasted';
  } else if ((n === 90014 || n === 900144) && /'(client_secret|client_assertion)'/.test(text)) {
    id = 'aad-secret-missing';
  } else if (n === 700016) {
    const clientId = match(text, /identifier '([^']+)'/) ?? ctx.clientId;
    const tenant = match(text, /directory '([^']+)'/) ?? ctx.tenant;
    if (clientId !== undefined) params['clientId'] = clientId;
    if (tenant !== undefined) params['tenant'] = tenant;
  } else if (n === 90002) {
    const tenant = match(text, /Tenant '([^']+)'/) ?? ctx.tenant;
    if (tenant !== undefined) params['tenant'] = tenant;
  } else if (n === 50011) {
    const uri = match(text, /redirect URI '([^']+)'/i) ?? ctx.redirectUri;
    if (uri !== undefined) params['redirectUri'] = uri;
  }
  if (id === undefined && f.subError !== undefined) id = SUBERROR_DIAGNOSES[f.subError];
  if (id === undefined && f.error !== undefined) id = OAUTH_ERROR_DIAGNOSES[f.error];
  if (id === 'oauth-invalid-client' && ctx.secretLooksLikeGuid === true) id = 'aad-secret-id-pasted';
  if (id === undefined && f.status !== undefined) {
    if (f.status === 429) id = 'oauth-temporarily-unavailable';
    else if (f.status >= 500) id = 'oauth-server-error';
  }
  if (id === undefined) {
    params['code'] = code;
    id = 'unknown';
  }
  return draft(id, code, base);
}

function isMsalError(e: unknown): e is Rec {
  return isRec(e) && typeof e['errorCode'] === 'string' && typeof e['errorMessage'] === 'string';
}

function readMsal(e: Rec, ctx: ClassifyContext): Draft {
  const name = str(e['name']) ?? 'AuthError';
  const errorCode = str(e['errorCode']) ?? '';
  const errorMsg = str(e['errorMessage']) ?? '';
  const subError = str(e['subError']);
  const errorNo = positiveInt(e['errorNo']);
  const status =
    typeof e['status'] === 'number' ? e['status'] : typeof e['httpStatus'] === 'number' ? e['httpStatus'] : undefined;
  const correlationId = str(e['correlationId']);

  // Client-side errors first (they carry no server answer).
  if (name === 'ClientConfigurationError') {
    return draft('msal-configuration', errorCode || name, { correlationId: correlationId ?? null });
  }
  if (errorCode === 'network_error' || name === 'NetworkError') {
    const base = { correlationId: correlationId ?? null, httpStatus: status ?? null };
    const clue = findNetClue(e, ctx);
    if (clue !== null) return { ...fromNetClue(clue, ctx, base), code: clue.code };
    if (/request timeout/i.test(errorMsg)) return timeoutDraft(errorCode, ctx, base);
    return fromNetClue({ kind: null, code: errorCode || 'network_error', host: ctx.host, seconds: undefined }, ctx, base);
  }
  const clientId = MSAL_CLIENT_DIAGNOSES[errorCode];
  if (clientId !== undefined && errorNo === undefined && !/\bAADSTS\d+/.test(errorMsg)) {
    return draft(clientId, errorCode, { correlationId: correlationId ?? null, httpStatus: status ?? null });
  }

  // A server answer (ServerError / InteractionRequiredAuthError), or MSAL's local throttle replaying one:
  // ThrottlingUtils.preProcess throws new ServerError(error_codes.join(' '), correlationId, error_description,
  // suberror) without a request, so errorCode is a list of numbers (or empty) and errorNo/status are absent.
  const throttledReplay =
    name === 'ServerError' && errorNo === undefined && status === undefined && /^(\d+( \d+)*)?$/.test(errorCode);
  const replayNo = throttledReplay ? positiveInt(errorCode.split(' ')[0]) : undefined;
  const fields: OAuthFields = {
    error: throttledReplay ? undefined : errorCode || undefined,
    description: errorMsg,
    errorNo: errorNo ?? replayNo,
    subError,
    correlationId,
    traceId: str(e['traceId']),
    timestamp: str(e['timestamp']),
    status,
  };
  if (name === 'ServerError' || name === 'InteractionRequiredAuthError' || /\bAADSTS\d+/.test(errorMsg)) {
    return diagnoseOAuth(fields, ctx, { throttledReplay });
  }
  return draft('unknown', errorCode || name, {
    correlationId: correlationId ?? null,
    httpStatus: status ?? null,
    params: { code: errorCode || name },
  });
}

/** The token endpoint's JSON body or the authorize redirect's query (error, error_description, error_uri…). */
function isOAuthBody(e: unknown): e is Rec {
  return isRec(e) && !(e instanceof Error) && typeof e['error'] === 'string';
}

function readOAuthBody(e: Rec, ctx: ClassifyContext): Draft {
  const codes = e['error_codes'];
  const first = Array.isArray(codes) ? positiveInt(codes[0]) : undefined;
  const fromUri = positiveInt(match(str(e['error_uri']) ?? '', /[?&]code=(\d+)/));
  const fields: OAuthFields = {
    error: str(e['error']),
    description: str(e['error_description']) ?? '',
    errorNo: first ?? fromUri,
    subError: str(e['suberror']),
    correlationId: str(e['correlation_id']),
    traceId: str(e['trace_id']),
    timestamp: str(e['timestamp']),
    status: typeof e['status'] === 'number' ? e['status'] : undefined,
  };
  return diagnoseOAuth(fields, ctx, { throttledReplay: false });
}

// ---------------------------------------------------------------------------------------------
// Microsoft Graph

function isGraphError(e: unknown): e is Rec {
  return isRec(e) && typeof e['statusCode'] === 'number' && 'code' in e && 'requestId' in e && 'body' in e;
}

function isGraphBody(e: unknown): e is Rec {
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

function readGraphError(e: Rec): GraphFields {
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

function readGraphBody(e: Rec): GraphFields {
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

function diagnoseGraph(g: GraphFields, raw: unknown, ctx: ClassifyContext, now: Date): Draft {
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
    const seconds = retryAfterSeconds(g.header('retry-after'), now);
    if (seconds !== undefined) params['seconds'] = seconds;
    return draft('graph-throttled', rawCode, withParams);
  }
  if (status === 503 || status === 504) {
    return draft(op === 'sendMail' ? 'graph-send-outcome-unknown' : 'graph-unavailable', rawCode, withParams);
  }
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

// ---------------------------------------------------------------------------------------------
// Detail line

function describe(e: unknown): string {
  const parts: string[] = [];
  const links = chain(e);
  if (links.length === 0) return oneLine(errorMessage(e));
  links.forEach((link, i) => {
    const name = errorName(link);
    const code = str(link['code']) ?? str(link['errorCode']);
    const status =
      typeof link['statusCode'] === 'number'
        ? link['statusCode']
        : typeof link['status'] === 'number'
          ? link['status']
          : undefined;
    let message = str(link['errorMessage']) ?? str(link['message']) ?? '';
    if (message === '' && isRec(link['error'])) message = str(link['error']['message']) ?? '';
    if (message === '' && typeof link['error'] === 'string') message = `${link['error']} ${str(link['error_description']) ?? ''}`;
    const head = [
      name,
      code !== undefined && code !== name ? `[${code}]` : '',
      status !== undefined && status > 0 ? `(HTTP ${status})` : '',
    ]
      .filter((s) => s !== '')
      .join(' ');
    parts.push(`${i === 0 ? '' : 'cause: '}${head}${message !== '' ? `: ${message}` : ''}`);
  });
  return oneLine(parts.join(' ← '));
}

function buildDetail(e: unknown, ctx: ClassifyContext): string {
  let text = redactText(describe(e), ctx.knownSecrets ?? []);
  if (text.length > MAX_DETAIL) text = `${text.slice(0, MAX_DETAIL - 1)}…`;
  return text;
}

// ---------------------------------------------------------------------------------------------
// Entry point

const PARAMS_NEEDED: ReadonlyMap<DiagnosticId, readonly string[]> = new Map(
  DIAGNOSTIC_IDS.map((id) => [id, [...new Set([...diagnosticParamNames(id, 'de'), ...diagnosticParamNames(id, 'en')])]]),
);

function missingParams(id: DiagnosticId, params: Record<string, string>): boolean {
  return (PARAMS_NEEDED.get(id) ?? []).some((p) => params[p] === undefined || params[p] === '');
}

export function classifyError(input: unknown, context: ClassifyContext = {}): Finding {
  const now = new Date();
  // The authorize redirect's query, as the sign-in window hands it over.
  const error: unknown = input instanceof URLSearchParams ? Object.fromEntries(input.entries()) : input;
  let d: Draft;
  try {
    d = read(error, context, now);
  } catch {
    d = draft('unknown', errorName(error), { params: { code: errorName(error) } });
  }

  // Every {{param}} of the chosen text must be filled; otherwise fall back to a text that needs fewer.
  let guard = 0;
  while (missingParams(d.id, d.params) && guard++ < 4) {
    const fallback = PARAM_FALLBACKS[d.id];
    if (fallback === undefined) {
      d = { ...d, id: 'unknown', params: { ...d.params, code: d.code } };
      break;
    }
    d = { ...d, id: fallback };
  }

  const secrets = context.knownSecrets ?? [];
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.params)) params[k] = redactText(v, secrets);
  return {
    id: d.id,
    code: redactText(d.code, secrets),
    httpStatus: d.httpStatus,
    correlationId: d.correlationId,
    requestId: d.requestId,
    timestamp: d.timestamp,
    params,
    detail: buildDetail(error, context),
  };
}

function read(error: unknown, ctx: ClassifyContext, now: Date): Draft {
  if (isMsalError(error)) return readMsal(error, ctx);
  if (isGraphError(error)) return diagnoseGraph(readGraphError(error), error, ctx, now);
  if (isGraphBody(error)) return diagnoseGraph(readGraphBody(error), error, ctx, now);
  if (isOAuthBody(error)) return readOAuthBody(error, ctx);

  const name = errorName(error);
  if (isTimeoutName(name) || (name === 'AbortError' && ctx.timeoutSeconds !== undefined)) return timeoutDraft(name, ctx);
  if (name === 'AbortError') return draft('user-cancelled', name);

  const clue = findNetClue(error, ctx);
  if (clue !== null) return fromNetClue(clue, ctx);
  if (name === 'TypeError' && errorMessage(error) === 'fetch failed') {
    return fromNetClue({ kind: null, code: 'fetch failed', host: ctx.host, seconds: undefined }, ctx);
  }

  const rawCode = (isRec(error) ? str(error['code']) : undefined) ?? (typeof error === 'string' ? 'Error' : name);
  return draft('unknown', rawCode, { params: { code: rawCode } });
}

// ---------------------------------------------------------------------------------------------
// For the connection test: the TestStep fields a finding fills (namespace `diagnostics`).

export function findingStepFields(finding: Finding): {
  messageKey: string;
  adviceKey: string;
  params: Record<string, string>;
  code: string;
  correlationId: string | null;
  timestamp: string | null;
} {
  return {
    messageKey: `diagnostics:${finding.id}.title`,
    adviceKey: `diagnostics:${finding.id}.advice`,
    params: finding.params,
    code: finding.code,
    correlationId: finding.correlationId,
    timestamp: finding.timestamp,
  };
}
