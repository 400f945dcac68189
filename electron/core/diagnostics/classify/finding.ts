// What every reader produces: the Finding the app shows, and its Draft before params are checked.

import type { DiagnosticId } from '../../../../shared/diagnostics/catalogue';

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
  /** The profile's certificate (SHA-256, hex), when the error does not name the thumbprint it saw. */
  certificateThumbprint?: string;
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
  /** Raw code for support: 'AADSTS7000222', 'invalid_client', 'ErrorAccessDenied', 'HTTP 429', 'ENOTFOUND', MSAL errorCode…; '' when none exists (a diagnosis the caller sets). */
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
// Draft: what the specific readers produce before params are checked and detail is built

export type Draft = Omit<Finding, 'detail'>;

export function draft(id: DiagnosticId, code: string, rest: Partial<Omit<Draft, 'id' | 'code'>> = {}): Draft {
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
