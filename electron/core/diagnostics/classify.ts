// The error translator: turns whatever MSAL Node, the Graph JS client or Node's fetch threw into a
// Finding: a catalogue id (shared/diagnostics/catalogue.ts) plus the raw code, ids and a redacted
// one-line detail for "copy details". Shapes are read from the installed sources (msal-node 7.2.3,
// msal-common 16.17.0, microsoft-graph-client 3.0.7) and recognised by their fields, not by
// `instanceof`, so that a second copy of a library (ESM vs CJS build) cannot defeat it.

import { diagnosticParamNames, DIAGNOSTIC_IDS, type DiagnosticId } from '../../../shared/diagnostics/catalogue';
import { redactText } from '../logging/redact';
import { draft, type ClassifyContext, type Draft, type Finding } from './classify/finding';
import { PARAM_FALLBACKS } from './classify/tables';
import { errorMessage, errorName, isRec, str } from './classify/error-shape';
import { findNetClue, fromNetClue, isTimeoutName, timeoutDraft } from './classify/network';
import { isMsalError, isOAuthBody, readMsal, readOAuthBody } from './classify/msal';
import { diagnoseGraph, isGraphBody, isGraphError, readGraphBody, readGraphError } from './classify/graph';
import { buildDetail } from './classify/detail';

// The readers live in ./classify/ (one per error family); this module keeps the public names.
export type { ClassifyContext, DiagnosticOperation, Finding } from './classify/finding';
export { AADSTS_DIAGNOSES, OAUTH_ERROR_DIAGNOSES, PARAM_FALLBACKS } from './classify/tables';

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
  code: string | null;
  correlationId: string | null;
  timestamp: string | null;
} {
  return {
    messageKey: `diagnostics:${finding.id}.title`,
    adviceKey: `diagnostics:${finding.id}.advice`,
    params: finding.params,
    code: finding.code === '' ? null : finding.code,
    correlationId: finding.correlationId,
    timestamp: finding.timestamp,
  };
}
