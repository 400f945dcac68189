// The lookup tables from raw codes (AADSTS, OAuth, MSAL, Graph, Node/undici) to catalogue ids.

import type { DiagnosticId } from '../../../../shared/diagnostics/catalogue';

/** AADSTS number → diagnosis (7000215 depends on the GUID flag, handled in code). */
export const AADSTS_DIAGNOSES: Readonly<Record<number, DiagnosticId>> = {
  7000215: 'aad-secret-invalid',
  7000222: 'aad-secret-expired',
  700027: 'aad-certificate-signature-invalid',
  700024: 'aad-assertion-time-range',
  700023: 'aad-assertion-audience',
  700021: 'aad-assertion-issuer',
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
export const MSAL_CLIENT_DIAGNOSES: Readonly<Record<string, DiagnosticId>> = {
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
export const SUBERROR_DIAGNOSES: Readonly<Record<string, DiagnosticId>> = {
  user_password_expired: 'aad-password-expired',
  consent_required: 'oauth-consent-required',
  basic_action: 'oauth-interaction-required',
  additional_action: 'oauth-interaction-required',
  message_only: 'oauth-interaction-required',
  bad_token: 'oauth-invalid-grant',
  token_expired: 'oauth-invalid-grant',
};

export const GRAPH_CODE_DIAGNOSES: Readonly<Record<string, DiagnosticId>> = {
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

export type NetKind =
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

export const NET_CODES: Readonly<Record<string, NetKind>> = {
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

export const NET_KIND_DIAGNOSES: Readonly<Record<NetKind, DiagnosticId>> = {
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
export const UNDICI_DEFAULT_TIMEOUT_SECONDS: Readonly<Record<string, number>> = {
  UND_ERR_CONNECT_TIMEOUT: 10,
  UND_ERR_HEADERS_TIMEOUT: 300,
  UND_ERR_BODY_TIMEOUT: 300,
};

/** When an id's {{params}} cannot all be filled, the classifier falls back to one that needs fewer. */
export const PARAM_FALLBACKS: Readonly<Partial<Record<DiagnosticId, DiagnosticId>>> = {
  'aad-app-not-found': 'oauth-unauthorized-client',
  'aad-tenant-not-found': 'oauth-invalid-request',
  'aad-cloud-mismatch': 'aad-cross-cloud',
  'aad-redirect-uri-mismatch': 'oauth-invalid-request',
  'aad-certificate-not-registered': 'aad-certificate-signature-invalid',
  'aad-certificate-expired': 'aad-certificate-signature-invalid',
  'graph-invalid-user': 'graph-resource-not-found',
  'graph-throttled': 'graph-throttled-unspecified',
  'net-dns': 'net-failed',
  'net-timeout': 'net-timeout-generic',
  'net-proxy-server': 'net-proxy',
};
