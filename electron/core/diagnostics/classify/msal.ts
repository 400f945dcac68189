// Entra / MSAL: ServerError, InteractionRequiredAuthError, client-side errors, raw OAuth bodies.

import type { DiagnosticId } from '../../../../shared/diagnostics/catalogue';
import { draft, type ClassifyContext, type Draft } from './finding';
import { AADSTS_DIAGNOSES, MSAL_CLIENT_DIAGNOSES, OAUTH_ERROR_DIAGNOSES, SUBERROR_DIAGNOSES } from './tables';
import { GUID, isRec, match, normaliseTimestamp, positiveInt, str, type Rec } from './error-shape';
import { findNetClue, fromNetClue, timeoutDraft } from './network';

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
  } else if (n === 700027 && /not registered|key was not found|key used is expired/i.test(text)) {
    // One code for "no such certificate" and "bad signature": Entra's reason text tells them apart.
    id = /key used is expired/i.test(text) ? 'aad-certificate-expired' : 'aad-certificate-not-registered';
    const thumbprint = match(text, /Thumbprint of key used by client: '([0-9A-Fa-f]+)'/) ?? ctx.certificateThumbprint;
    if (thumbprint !== undefined) params['thumbprint'] = thumbprint.toUpperCase();
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

export function isMsalError(e: unknown): e is Rec {
  return isRec(e) && typeof e['errorCode'] === 'string' && typeof e['errorMessage'] === 'string';
}

export function readMsal(e: Rec, ctx: ClassifyContext): Draft {
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
export function isOAuthBody(e: unknown): e is Rec {
  return isRec(e) && !(e instanceof Error) && typeof e['error'] === 'string';
}

export function readOAuthBody(e: Rec, ctx: ClassifyContext): Draft {
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
