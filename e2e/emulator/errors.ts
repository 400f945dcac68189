/** Error shapes of Entra ID (token endpoint JSON, authorize redirects, sign-in page); Graph's are in graph-errors.ts. */

export interface AadErrorSpec {
  /** AADSTS number. */
  code: number;
  /** OAuth `error` value. */
  error: string;
  /** HTTP status at the token endpoint. */
  status: number;
  message: string;
  suberror?: string;
  claims?: string;
}

export interface TraceContext {
  traceId: string;
  correlationId: string;
  /** ms since epoch (emulator clock). */
  now: number;
}

export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
  claims?: string;
}

/** Entra's timestamp format: `yyyy-MM-dd HH:mm:ssZ`. */
export function aadTimestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

export function errorUri(code: number): string {
  return `https://login.microsoftonline.com/error?code=${code}`;
}

export function aadDescription(spec: AadErrorSpec, t: TraceContext): string {
  return (
    `AADSTS${spec.code}: ${spec.message}\r\nTrace ID: ${t.traceId}\r\nCorrelation ID: ${t.correlationId}` +
    `\r\nTimestamp: ${aadTimestamp(t.now)}`
  );
}

export function aadErrorBody(spec: AadErrorSpec, t: TraceContext, errorOverride?: string): AadErrorBody {
  const body: AadErrorBody = {
    error: errorOverride ?? spec.error,
    error_description: aadDescription(spec, t),
    error_codes: [spec.code],
    timestamp: aadTimestamp(t.now),
    trace_id: t.traceId,
    correlation_id: t.correlationId,
    error_uri: errorUri(spec.code),
  };
  if (spec.suberror !== undefined) body.suberror = spec.suberror;
  if (spec.claims !== undefined) body.claims = spec.claims;
  return body;
}

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** The AADSTS catalogue the emulator uses (messages as Entra writes them; see the protocol reference §3.3). */
export const AAD = {
  unknownClient: (appId: string, tenant: string): AadErrorSpec => ({
    code: 700016,
    error: 'unauthorized_client',
    status: 400,
    message:
      `Application with identifier '${appId}' was not found in the directory '${tenant}'. This can happen if the ` +
      'application has not been installed by the administrator of the tenant or consented to by any user in the ' +
      'tenant. You may have sent your authentication request to the wrong tenant.',
  }),
  unknownTenant: (tenant: string, error = 'invalid_request'): AadErrorSpec => ({
    code: 90002,
    error,
    status: 400,
    message:
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the ` +
      'correct cloud. Check with your subscription administrator, this may happen if there are no active ' +
      'subscriptions for the tenant.',
  }),
  /** A client secret/certificate sent to the global instance for a US Government tenant. */
  crossCloudConfidentialClient: (): AadErrorSpec => ({
    code: 900382,
    error: 'invalid_request',
    status: 400,
    message: 'Confidential Client is not supported in Cross Cloud request.',
  }),
  invalidSecret: (appId: string): AadErrorSpec => ({
    code: 7000215,
    error: 'invalid_client',
    status: 401,
    message:
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not ' +
      `the client secret ID, for a secret added to app '${appId}'.`,
  }),
  /** 700027, key part: the thumbprint in the assertion's header names no certificate of the app (or an expired one). */
  assertionKeyNotFound: (appId: string, thumbprint: string, reason = 'The key was not found.'): AadErrorSpec => ({
    code: 700027,
    error: 'invalid_client',
    status: 401,
    message:
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - ` +
      `${reason}, Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer ` +
      `or directly use MS Graph to see configured keys for app Id '${appId}'. Review the documentation at ` +
      'https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and ' +
      'https://docs.microsoft.com/en-us/graph/api/resources/application?view=graph-rest-1.0 to build a query ' +
      `request URL, such as 'https://graph.microsoft.com/beta/applications/${appId}']`,
  }),
  /** 700027, signature part: a registered certificate, but the assertion was not signed with its private key. */
  assertionSignatureInvalid: (): AadErrorSpec => ({
    code: 700027,
    error: 'invalid_client',
    status: 401,
    message: 'Client assertion failed signature validation.',
  }),
  /** 700024: exp/nbf do not contain the current time (clock skew, a stale assertion). */
  assertionTimeRange: (now: number, nbf: number | undefined, exp: number | undefined): AadErrorSpec => ({
    code: 700024,
    error: 'invalid_client',
    status: 401,
    message:
      `Client assertion is not within its valid time range. Current time: ${new Date(now).toISOString()}, ` +
      (nbf === undefined ? '' : `assertion valid from ${new Date(nbf * 1000).toISOString()}, `) +
      `expiry time of assertion ${exp === undefined ? 'none' : new Date(exp * 1000).toISOString()}. Review the ` +
      'documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .',
  }),
  /** 700021: `iss`/`sub` are not the client_id of the request. */
  assertionIssuerMismatch: (): AadErrorSpec => ({
    code: 700021,
    error: 'invalid_client',
    status: 401,
    message:
      "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at " +
      'https://learn.microsoft.com/entra/identity-platform/certificate-credentials .',
  }),
  /** 700023: `aud` is not this tenant's token endpoint. */
  assertionAudienceMismatch: (): AadErrorSpec => ({
    code: 700023,
    error: 'invalid_client',
    status: 401,
    message:
      'Client assertion audience claim does not match Realm issuer. Review the documentation at ' +
      'https://learn.microsoft.com/entra/identity-platform/certificate-credentials .',
  }),
  /** 50027: not a JWT, or a required claim/header is missing. */
  assertionMalformed: (detail: string): AadErrorSpec => ({
    code: 50027,
    error: 'invalid_request',
    status: 400,
    message: `JWT token is invalid or malformed. ${detail}`,
  }),
  expiredSecret: (appId: string): AadErrorSpec => ({
    code: 7000222,
    error: 'invalid_client',
    status: 401,
    message:
      `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys ` +
      'for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added ' +
      'security: https://aka.ms/certCreds.',
  }),
  secretRequired: (): AadErrorSpec => ({
    code: 7000218,
    error: 'invalid_client',
    status: 401,
    message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  publicClientSentSecret: (): AadErrorSpec => ({
    code: 700025,
    error: 'invalid_client',
    status: 401,
    message: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
  }),
  missingParameter: (name: string): AadErrorSpec => ({
    code: 900144,
    error: 'invalid_request',
    status: 400,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  unsupportedGrantType: (grant: string): AadErrorSpec => ({
    code: 70003,
    error: 'unsupported_grant_type',
    status: 400,
    message: `The app requested an unsupported grant type '${grant}'.`,
  }),
  invalidScope: (scope: string): AadErrorSpec => ({
    code: 70011,
    error: 'invalid_scope',
    status: 400,
    message: `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
  }),
  scopeNotDefault: (scope: string): AadErrorSpec => ({
    code: 1002012,
    error: 'invalid_scope',
    status: 400,
    message:
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with ` +
      '/.default suffixed to the resource identifier (application ID URI).',
  }),
  resourceNotFound: (resource: string, tenant: string): AadErrorSpec => ({
    code: 500011,
    error: 'invalid_resource',
    status: 400,
    message:
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the ` +
      'application has not been installed by the administrator of the tenant or consented to by any user in the ' +
      'tenant. You might have sent your authentication request to the wrong tenant.',
  }),
  badPassword: (): AadErrorSpec => ({
    code: 50126,
    error: 'invalid_grant',
    status: 400,
    message: 'Error validating credentials due to invalid username or password.',
  }),
  unknownUser: (tenantId: string): AadErrorSpec => ({
    code: 50034,
    error: 'invalid_grant',
    status: 400,
    message:
      `The user account {EUII Hidden} does not exist in the ${tenantId} directory. To sign into this ` +
      'application, the account must be added to the directory.',
  }),
  userDisabled: (): AadErrorSpec => ({
    code: 50057,
    error: 'invalid_grant',
    status: 400,
    message: 'The user account is disabled.',
  }),
  consentRequired: (appId: string, appName: string): AadErrorSpec => ({
    code: 65001,
    error: 'invalid_grant',
    status: 400,
    suberror: 'consent_required',
    message:
      `The user or administrator has not consented to use the application with ID '${appId}' named '${appName}'. ` +
      'Send an interactive authorization request for this user and resource.',
  }),
  consentDeclined: (): AadErrorSpec => ({
    code: 65004,
    error: 'access_denied',
    status: 400,
    message: 'User declined to consent to access the app.',
  }),
  mfaRequired: (): AadErrorSpec => ({
    code: 50076,
    error: 'interaction_required',
    status: 400,
    suberror: 'basic_action',
    message:
      'Due to a configuration change made by your administrator, or because you moved to a new location, you must ' +
      `use multi-factor authentication to access '${GRAPH_APP_ID}'.`,
  }),
  conditionalAccess: (error: 'invalid_grant' | 'interaction_required'): AadErrorSpec => ({
    code: 53003,
    error,
    status: 400,
    suberror: 'message_only',
    message: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  }),
  refreshTokenInactive: (issuedAtMs: number, maxInactiveDays: number): AadErrorSpec => ({
    code: 700082,
    error: 'invalid_grant',
    status: 400,
    message:
      `The refresh token has expired due to inactivity. The token was issued on ${new Date(issuedAtMs).toISOString()} ` +
      `and was inactive for ${maxInactiveDays}.00:00:00.`,
  }),
  grantRevoked: (grantIssuedMs: number, validFromMs: number): AadErrorSpec => ({
    code: 50173,
    error: 'invalid_grant',
    status: 400,
    suberror: 'bad_token',
    message:
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have ' +
      `changed or reset their password. The grant was issued on '${new Date(grantIssuedMs).toISOString()}' and the ` +
      `TokensValidFrom date (before which tokens are not valid) for this user is '${new Date(validFromMs).toISOString()}'.`,
  }),
  redirectMismatch: (uri: string, appId: string): AadErrorSpec => ({
    code: 50011,
    error: 'invalid_request',
    status: 400,
    message:
      `The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the ` +
      `application '${appId}'. Make sure the redirect URI sent in the request matches one added to your application ` +
      'in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.',
  }),
  replyAddressMismatch: (got: string, expected: string): AadErrorSpec => ({
    code: 500112,
    error: 'invalid_grant',
    status: 400,
    message:
      `The reply address '${got}' does not match the reply address '${expected}' provided when requesting ` +
      'Authorization code.',
  }),
  pkceMismatch: (): AadErrorSpec => ({
    code: 50148,
    error: 'invalid_grant',
    status: 400,
    message: 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
  }),
  codeRedeemed: (): AadErrorSpec => ({
    code: 54005,
    error: 'invalid_grant',
    status: 400,
    message:
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
  }),
  grantExpired: (): AadErrorSpec => ({
    code: 70008,
    error: 'invalid_grant',
    status: 400,
    message:
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive ' +
      'authorization request for this user and resource.',
  }),
  malformedGrant: (): AadErrorSpec => ({
    code: 9002313,
    error: 'invalid_grant',
    status: 400,
    message: 'Invalid request. Request is malformed or invalid.',
  }),
  invalidGrant: (): AadErrorSpec => ({
    code: 70000,
    error: 'invalid_grant',
    status: 400,
    message: 'Provided grant is invalid or malformed.',
  }),
  loginRequired: (): AadErrorSpec => ({
    code: 50058,
    error: 'login_required',
    status: 400,
    message: 'A silent sign-in request was sent but no user is signed in.',
  }),
  notMultiTenant: (appId: string, appName: string): AadErrorSpec => ({
    code: 50194,
    error: 'invalid_request',
    status: 400,
    message:
      `Application '${appId}'(${appName}) is not configured as a multi-tenant application. Usage of the /common ` +
      "endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint " +
      'or configure the application to be multi-tenant.',
  }),
  unsupportedResponseType: (value: string): AadErrorSpec => ({
    code: 700054,
    error: 'unsupported_response_type',
    status: 400,
    message: `response_type '${value}' is not enabled for the application.`,
  }),
  pkceMethod: (): AadErrorSpec => ({
    code: 501491,
    error: 'invalid_request',
    status: 400,
    message: 'Invalid size of Code_Challenge parameter.',
  }),
  // Throttling/outage bodies are not captured anywhere (reference §3.1): plausible codes, marked in the README.
  throttled: (): AadErrorSpec => ({
    code: 90055,
    error: 'temporarily_unavailable',
    status: 429,
    message: 'The request has been throttled. Try again later.',
  }),
  transient: (status: number): AadErrorSpec => ({
    code: 90033,
    error: 'server_error',
    status,
    message: 'A transient error has occurred. Please try again.',
  }),
} as const;
