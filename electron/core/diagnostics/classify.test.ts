import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  AuthError,
  ClientAuthError,
  ConfidentialClientApplication,
  PublicClientApplication,
  type INetworkModule,
  type NetworkResponse,
} from '@azure/msal-node';
import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALLER_SET_DIAGNOSTIC_IDS,
  DIAGNOSTIC_IDS,
  diagnosticParamNames,
  type DiagnosticId,
} from '../../../shared/diagnostics/catalogue';
import { classifyError, findingStepFields, PARAM_FALLBACKS, type ClassifyContext, type Finding } from './classify';

// ---------------------------------------------------------------------------------------------
// Real errors from the real libraries. MSAL runs its whole token pipeline (ResponseHandler,
// ThrottlingUtils) against a network module that answers like Entra; the Graph client runs its
// response/error handlers against a middleware that answers like Graph. Nothing is mocked inside them.

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const TRACE_ID = '2a1f0b0e-1111-4c3e-9a5b-000000000001';
const CORR_ID = '3b2e1c1f-2222-4d4f-8b6c-000000000002';
const TS = '2026-11-29 10:12:03Z';
const HOST = 'emu.test:8443';
const SECRET = 'abc8Q~s3cr3tValueThatMustNeverLeakAnywhere1';
const JWT =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJyb2xlcyI6WyJNYWlsLlNlbmQiXX0.c2lnbmF0dXJlc2lnbmF0dXJl';

const authorityMetadata = JSON.stringify({
  authorization_endpoint: `https://${HOST}/t/oauth2/v2.0/authorize`,
  token_endpoint: `https://${HOST}/t/oauth2/v2.0/token`,
  issuer: `https://${HOST}/t/v2.0`,
  jwks_uri: `https://${HOST}/t/discovery/v2.0/keys`,
});

/** The token endpoint's error JSON exactly as Entra shapes it (reference §3.1). */
function entraBody(n: number, error: string, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    error,
    error_description: `AADSTS${n}: ${message}\r\nTrace ID: ${TRACE_ID}\r\nCorrelation ID: ${CORR_ID}\r\nTimestamp: ${TS}`,
    error_codes: [n],
    timestamp: TS,
    trace_id: TRACE_ID,
    correlation_id: CORR_ID,
    error_uri: `https://login.microsoftonline.com/error?code=${n}`,
    ...extra,
  };
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

function networkModule(answers: Answer[]): INetworkModule & { posts: number } {
  const mod = {
    posts: 0,
    sendGetRequestAsync<T>(): Promise<NetworkResponse<T>> {
      return Promise.reject(new Error('offline'));
    },
    sendPostRequestAsync<T>(): Promise<NetworkResponse<T>> {
      const answer = answers[Math.min(mod.posts, answers.length - 1)];
      mod.posts += 1;
      if (answer === undefined) return Promise.reject(new Error('no answer'));
      return Promise.resolve({ status: answer.status, headers: answer.headers ?? {}, body: answer.body as T });
    },
  };
  return mod;
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/** acquireTokenByClientCredential (confidential client: ServerError carries the HTTP status). */
async function ccaError(answer: Answer): Promise<unknown> {
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      authority: `https://${HOST}/t`,
      knownAuthorities: [HOST],
      authorityMetadata,
    },
    system: { networkClient: networkModule([answer]) },
  });
  return caught(app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }));
}

/** acquireTokenByRefreshToken (public client refresh: the path acquireTokenSilent takes). */
async function refreshError(answer: Answer): Promise<unknown> {
  const app = new PublicClientApplication({
    auth: { clientId: CLIENT_ID, authority: `https://${HOST}/t`, knownAuthorities: [HOST], authorityMetadata },
    system: { networkClient: networkModule([answer]) },
  });
  return caught(
    app.acquireTokenByRefreshToken({ refreshToken: '1.AXoA-refresh', scopes: ['https://graph.microsoft.com/Mail.Send'] }),
  );
}

/** acquireTokenByCode (public client, auth code + PKCE). */
async function codeError(answer: Answer): Promise<unknown> {
  const app = new PublicClientApplication({
    auth: { clientId: CLIENT_ID, authority: `https://${HOST}/t`, knownAuthorities: [HOST], authorityMetadata },
    system: { networkClient: networkModule([answer]) },
  });
  return caught(
    app.acquireTokenByCode({
      code: '0.AXoA-code',
      scopes: ['https://graph.microsoft.com/Mail.Send'],
      redirectUri: 'https://login.microsoftonline.com/common/oauth2/nativeclient',
      codeVerifier: 'v'.repeat(43),
    }),
  );
}

/** A Graph request through the real client, answered by a stub instead of fetch. */
class Answering implements Middleware {
  constructor(private readonly answer: () => Response | Promise<Response>) {}
  async execute(context: Context): Promise<void> {
    context.response = await this.answer();
  }
}

async function graphError(
  answer: () => Response | Promise<Response>,
  path = '/users/sender@contoso.com/sendMail',
): Promise<unknown> {
  const client = Client.initWithMiddleware({ middleware: new Answering(answer) });
  return caught(client.api(path).post({ message: { subject: 'Test' } }));
}

function graphJson(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  inner = true,
): () => Response {
  const error: Record<string, unknown> = { code, message };
  if (inner) error['innerError'] = { date: '2026-11-29T10:12:03', 'request-id': TRACE_ID, 'client-request-id': CORR_ID };
  return () => new Response(JSON.stringify({ error }), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function errno(code: string, message: string, extra: Record<string, unknown> = {}): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code, ...extra }) });
}

// ---------------------------------------------------------------------------------------------
// Local sockets for real fetch failures (no outside network is needed).

let closedPort = 0;
let silent: Server;
let resetting: Server;
const held: Socket[] = [];

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  const probe = createServer();
  closedPort = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  silent = createServer((socket) => held.push(socket));
  resetting = createServer((socket) => socket.destroy());
  await listen(silent);
  await listen(resetting);
});

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await Promise.all([silent, resetting].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const port = (s: Server): number => (s.address() as AddressInfo).port;

// ---------------------------------------------------------------------------------------------

const reached = new Set<DiagnosticId>();
const findings: Finding[] = [];

async function classify(error: unknown, ctx?: ClassifyContext): Promise<Finding> {
  const f = classifyError(await error, ctx);
  reached.add(f.id);
  findings.push(f);
  return f;
}

describe('classifyError: Entra errors through the real MSAL pipeline', () => {
  // OA-5: a wrong secret is named as such, without echoing it.
  it('7000215 wrong secret (ServerError with errorNo, status 401, ids from the description)', async () => {
    const e = await ccaError({
      status: 401,
      body: entraBody(
        7000215,
        'invalid_client',
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${CLIENT_ID}'.`,
      ),
    });
    expect((e as Error).name).toBe('ServerError');
    const f = await classify(e, { operation: 'token' });
    expect(f).toMatchObject({
      id: 'aad-secret-invalid',
      code: 'AADSTS7000215',
      httpStatus: 401,
      correlationId: CORR_ID,
      requestId: TRACE_ID,
      timestamp: TS,
    });
    expect(f.detail).toContain('AADSTS7000215');
    expect(f.detail).not.toMatch(/[\r\n]/);
  });

  it('7000215 with a GUID-shaped secret: the Secret ID was pasted', async () => {
    const e = await ccaError({ status: 401, body: entraBody(7000215, 'invalid_client', 'Invalid client secret provided.') });
    const f = await classify(e, { operation: 'token', secretLooksLikeGuid: true });
    expect(f.id).toBe('aad-secret-id-pasted');
    expect(f.code).toBe('AADSTS7000215');
  });

  it.each<[number, string, string, DiagnosticId, ClassifyContext?]>([
    [
      7000222,
      'invalid_client',
      `The provided client secret keys for app '${CLIENT_ID}' are expired. Visit the Azure portal to create new keys for your app.`,
      'aad-secret-expired',
    ],
    [
      700016,
      'unauthorized_client',
      `Application with identifier '${CLIENT_ID}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant.`,
      'aad-app-not-found',
    ],
    [
      90002,
      'invalid_request',
      "Tenant 'contoso.example' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
      'aad-tenant-not-found',
    ],
    [900144, 'invalid_request', "The request body must contain the following parameter: 'client_secret'.", 'aad-secret-missing'],
    [
      700027,
      'invalid_client',
      "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90', Please visit the Azure Portal]",
      'aad-certificate-not-registered',
    ],
    [
      700027,
      'invalid_client',
      "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key used is expired., Thumbprint of key used by client: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90']",
      'aad-certificate-expired',
    ],
    [700027, 'invalid_client', 'Client assertion failed signature validation.', 'aad-certificate-signature-invalid'],
    [
      700024,
      'invalid_client',
      'Client assertion is not within its valid time range. Current time: 2026-03-01T10:00:00Z.',
      'aad-assertion-time-range',
    ],
    [700023, 'invalid_client', 'Client assertion audience claim does not match Realm issuer.', 'aad-assertion-audience'],
    [
      700021,
      'invalid_client',
      "Client assertion application identifier doesn't match 'client_id' parameter.",
      'aad-assertion-issuer',
    ],
    [900144, 'invalid_request', "The request body must contain the following parameter: 'grant_type'.", 'aad-missing-parameter'],
    [90014, 'invalid_request', "The required field 'request' is missing from the credential.", 'aad-missing-parameter'],
    [70011, 'invalid_scope', "The provided value for the input parameter 'scope' is not valid.", 'aad-invalid-scope'],
    [
      1002012,
      'invalid_scope',
      'The provided value for scope Mail.Send is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
      'aad-scope-not-default',
    ],
    [900382, 'invalid_request', 'Confidential Client is not supported in Cross Cloud request.', 'aad-cross-cloud'],
    [
      500011,
      'invalid_resource',
      'The resource principal named https://graph.microsoft.com was not found in the tenant named Contoso.',
      'aad-resource-not-found',
    ],
    [
      53003,
      'invalid_grant',
      'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
      'aad-conditional-access',
    ],
    [1234567, 'invalid_client', 'Something new about the client.', 'oauth-invalid-client'],
    [1234567, 'unauthorized_client', 'Something new.', 'oauth-unauthorized-client'],
    [1234567, 'invalid_request', 'Something new.', 'oauth-invalid-request'],
    [1234567, 'invalid_scope', 'Something new.', 'oauth-invalid-scope'],
    [1234567, 'invalid_resource', 'Something new.', 'oauth-invalid-resource'],
    [1234567, 'server_error', 'Something broke.', 'oauth-server-error'],
    [1234567, 'brand_new_error', 'Nobody knows.', 'unknown'],
  ])('client credentials AADSTS%i %s → %s', async (n, error, message, id, ctx) => {
    const extra = n === 53003 ? { suberror: 'message_only' } : {};
    const e = await ccaError({
      status: error === 'invalid_client' ? 401 : error === 'server_error' ? 500 : 400,
      body: entraBody(n, error, message, extra),
    });
    const f = await classify(e, { operation: 'token', ...ctx });
    expect(f.id).toBe(id);
    expect(f.code).toBe(`AADSTS${n}`);
    expect(f.correlationId).toBe(CORR_ID);
    expect(f.timestamp).toBe(TS);
  });

  it('700027 names the thumbprint Entra saw (uppercase), else the profile’s own, else falls back to the signature text', async () => {
    const notRegistered = (thumb: string) =>
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found.${thumb}]`;
    const seen = await classify(
      await ccaError({
        status: 401,
        body: entraBody(700027, 'invalid_client', notRegistered(", Thumbprint of key used by client: 'abcdef0123'")),
      }),
      { operation: 'token', certificateThumbprint: 'FFFF' },
    );
    expect(seen).toMatchObject({ id: 'aad-certificate-not-registered', params: { thumbprint: 'ABCDEF0123' } });
    const own = await classify(await ccaError({ status: 401, body: entraBody(700027, 'invalid_client', notRegistered('')) }), {
      operation: 'token',
      certificateThumbprint: 'C0FFEE',
    });
    expect(own.params).toEqual({ thumbprint: 'C0FFEE' });
    const none = await classify(await ccaError({ status: 401, body: entraBody(700027, 'invalid_client', notRegistered('')) }), {
      operation: 'token',
    });
    expect(none.id).toBe('aad-certificate-signature-invalid');
  });

  it('53003 from a confidential client is an InteractionRequiredAuthError with trace id and timestamp fields', async () => {
    const e = await ccaError({
      status: 400,
      body: entraBody(53003, 'invalid_grant', 'Access has been blocked by Conditional Access policies.', {
        suberror: 'message_only',
      }),
    });
    expect((e as Error).name).toBe('InteractionRequiredAuthError');
    const f = await classify(e);
    expect(f).toMatchObject({ id: 'aad-conditional-access', requestId: TRACE_ID, timestamp: TS, correlationId: CORR_ID });
  });

  it('extracts client id, tenant and the exact redirect URI for the texts that show them', async () => {
    const app = await classify(
      await ccaError({
        status: 400,
        body: entraBody(
          700016,
          'unauthorized_client',
          `Application with identifier '${CLIENT_ID}' was not found in the directory 'Contoso'.`,
        ),
      }),
    );
    expect(app.params).toEqual({ clientId: CLIENT_ID, tenant: 'Contoso' });
    const uri = `msal${CLIENT_ID}://auth`;
    const redirect = await classify({
      error: 'invalid_request',
      error_description: `AADSTS50011: The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the application '${CLIENT_ID}'.\r\nTrace ID: ${TRACE_ID}\r\nCorrelation ID: ${CORR_ID}\r\nTimestamp: ${TS}`,
    });
    expect(redirect).toMatchObject({
      id: 'aad-redirect-uri-mismatch',
      code: 'AADSTS50011',
      params: { redirectUri: uri },
      correlationId: CORR_ID,
    });
    // Without the URI in the text the caller's value is used; without any, a text that does not need it.
    expect(
      (await classify({ error: 'invalid_request', error_description: 'AADSTS50011: mismatch' }, { redirectUri: 'https://x/y' }))
        .params,
    ).toEqual({ redirectUri: 'https://x/y' });
    expect((await classify({ error: 'invalid_request', error_description: 'AADSTS50011: mismatch' })).id).toBe(
      'oauth-invalid-request',
    );
  });

  it.each<[number, string, string, DiagnosticId, string?]>([
    [
      700082,
      'invalid_grant',
      'The refresh token has expired due to inactivity. The token was issued on 2026-08-01T10:00:00.0000000Z and was inactive for 90.00:00:00.',
      'aad-refresh-token-inactive',
    ],
    [
      70043,
      'invalid_grant',
      'The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on 2026-11-01T10:00:00.0000000Z and the maximum allowed lifetime for this request is 86400.',
      'aad-grant-expired',
      'token_expired',
    ],
    [
      50173,
      'invalid_grant',
      "The provided grant has expired due to it being revoked, a fresh auth token is needed. The grant was issued on '2026-10-01T10:00:00Z' and the TokensValidFrom date for this user is '2026-11-01T10:00:00Z'.",
      'aad-grant-revoked',
      'bad_token',
    ],
    [
      50076,
      'interaction_required',
      "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.",
      'aad-mfa-required',
      'basic_action',
    ],
    [
      50079,
      'interaction_required',
      'Due to a configuration change made by your administrator, you must enroll in multi-factor authentication.',
      'aad-mfa-registration-required',
    ],
    [
      65001,
      'invalid_grant',
      `The user or administrator has not consented to use the application with ID '${CLIENT_ID}' named 'Absender'. Send an interactive authorization request for this user and resource.`,
      'aad-consent-missing',
      'consent_required',
    ],
    [50055, 'invalid_grant', 'The password is expired.', 'aad-password-expired', 'user_password_expired'],
    [50057, 'invalid_grant', 'The user account is disabled.', 'aad-user-disabled'],
    [
      50053,
      'invalid_grant',
      "You've tried to sign in too many times with an incorrect user ID or password.",
      'aad-account-locked',
    ],
    [
      50034,
      'invalid_grant',
      'The user account sender@contoso.com does not exist in the contoso.com directory.',
      'aad-user-not-found',
      'bad_token',
    ],
    [50126, 'invalid_grant', 'Error validating credentials due to invalid username or password.', 'aad-wrong-password'],
    [9999999, 'invalid_grant', 'A grant problem nobody has catalogued yet.', 'oauth-invalid-grant'],
    [9999999, 'interaction_required', 'Something needs the user.', 'oauth-interaction-required'],
    [9999999, 'consent_required', 'Something needs consent.', 'oauth-consent-required'],
    [9999999, 'login_required', 'No session.', 'oauth-login-required'],
  ])('refresh AADSTS%i %s → %s', async (n, error, message, id, suberror) => {
    const e = await refreshError({ status: 400, body: entraBody(n, error, message, suberror !== undefined ? { suberror } : {}) });
    const f = await classify(e, { operation: 'token' });
    expect(f.id).toBe(id);
    expect(f.code).toBe(`AADSTS${n}`);
    expect(f.correlationId).toBe(CORR_ID);
    expect(f.requestId).toBe(TRACE_ID);
    expect(f.timestamp).toBe(TS);
    // Refresh and code redemption carry no HTTP status on the MSAL error.
    expect(f.httpStatus).toBeNull();
  });

  it.each<[number, string, string, DiagnosticId]>([
    [
      54005,
      'invalid_grant',
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
      'aad-code-redeemed',
    ],
    [
      50148,
      'invalid_grant',
      'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
      'aad-pkce-mismatch',
    ],
    [
      501481,
      'invalid_grant',
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      'aad-pkce-mismatch',
    ],
    [
      7000218,
      'invalid_client',
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      'aad-public-client-not-allowed',
    ],
    [
      700025,
      'invalid_client',
      'Client is public so neither client_assertion nor client_secret should be presented.',
      'aad-public-client-sent-secret',
    ],
    [
      50020,
      'invalid_grant',
      "User account 'someone@outlook.com' from identity provider 'live.com' does not exist in tenant 'Contoso' and cannot access the application.",
      'aad-user-foreign-tenant',
    ],
    [
      50194,
      'invalid_request',
      `Application '${CLIENT_ID}'(Absender) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'.`,
      'aad-single-tenant-common',
    ],
  ])('code redemption AADSTS%i %s → %s', async (n, error, message, id) => {
    const f = await classify(await codeError({ status: 400, body: entraBody(n, error, message) }), { operation: 'token' });
    expect(f).toMatchObject({ id, code: `AADSTS${n}`, correlationId: CORR_ID, timestamp: TS });
  });

  it('recognises MSAL replaying a stored throttled answer without a request (ThrottlingUtils.preProcess)', async () => {
    const net = networkModule([
      {
        status: 429,
        headers: { 'Retry-After': '30' },
        body: entraBody(50196, 'temporarily_unavailable', 'The server temporarily blocked the request.'),
      },
    ]);
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        authority: `https://${HOST}/t`,
        knownAuthorities: [HOST],
        authorityMetadata,
      },
      system: { networkClient: net },
    });
    const request = { scopes: ['https://graph.microsoft.com/.default'] };
    const first = await classify(await caught(app.acquireTokenByClientCredential(request)));
    expect(first).toMatchObject({
      id: 'oauth-temporarily-unavailable',
      code: 'AADSTS50196',
      httpStatus: 429,
      correlationId: CORR_ID,
    });

    const replayed = await caught(app.acquireTokenByClientCredential(request));
    expect(net.posts).toBe(1); // no second request reached the server
    expect(replayed).toMatchObject({ name: 'ServerError', errorCode: '50196' });
    const f = await classify(replayed);
    expect(f).toMatchObject({
      id: 'msal-throttled',
      code: 'AADSTS50196',
      params: { originalCode: 'AADSTS50196' },
      httpStatus: null,
      correlationId: CORR_ID,
      timestamp: TS,
    });
  });

  // OA-8: authorize error replies become a plain message with code and ids.
  it('maps the authorize redirect (URLSearchParams or plain object): consent declined, with errorNo from error_uri', async () => {
    const query = new URLSearchParams({
      error: 'access_denied',
      error_description: `AADSTS65004: User declined to consent to access the app.\r\nTrace ID: ${TRACE_ID}\r\nCorrelation ID: ${CORR_ID}\r\nTimestamp: 2020-01-20 04:52:24Z`,
      error_uri: 'https://login.microsoftonline.com/error?code=65004',
      state: 'opaque-state-value',
    });
    const f = await classify(query);
    expect(f).toMatchObject({
      id: 'aad-consent-declined',
      code: 'AADSTS65004',
      correlationId: CORR_ID,
      requestId: TRACE_ID,
      timestamp: '2020-01-20 04:52:24Z',
    });
    expect(f.detail).toMatch(/^OAuthError: access_denied AADSTS65004: User declined/);
    expect(f.detail).not.toContain('opaque-state-value');
    expect((await classify({ error: 'access_denied', error_description: 'The user cancelled.' })).id).toBe('oauth-access-denied');
    expect(
      (await classify({ error: 'access_denied', error_uri: 'https://login.microsoftonline.com/error?code=65004' })).code,
    ).toBe('AADSTS65004');
  });

  it('maps sign-in page errors the popup reports as OAuth bodies', async () => {
    expect((await classify({ error: 'invalid_request', error_description: 'AADSTS90002: Tenant x not found.' })).id).toBe(
      'oauth-invalid-request',
    );
    expect((await classify({ error: 'invalid_tenant', error_description: "AADSTS90002: Tenant 'x' not found." })).id).toBe(
      'aad-tenant-not-found',
    );
    expect((await classify({ error: 'temporarily_unavailable' })).code).toBe('temporarily_unavailable');
  });
});

describe('classifyError: MSAL client-side errors (real)', () => {
  it('missing_tenant_id_error for a client credential request on /common', async () => {
    const app = new ConfidentialClientApplication({
      auth: { clientId: CLIENT_ID, clientSecret: SECRET, authority: 'https://login.microsoftonline.com/common' },
    });
    const e = await caught(app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }));
    const f = await classify(e, { operation: 'token' });
    expect(f).toMatchObject({ id: 'msal-missing-tenant', code: 'missing_tenant_id_error' });
    expect(f.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('endpoints_resolution_error when discovery fails', async () => {
    const app = new ConfidentialClientApplication({
      auth: { clientId: CLIENT_ID, clientSecret: SECRET, authority: 'https://unknown-authority.example/t' },
      system: { networkClient: networkModule([]) },
    });
    const f = await classify(
      await caught(app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })),
    );
    expect(f).toMatchObject({ id: 'msal-endpoints-resolution', code: 'endpoints_resolution_error' });
  });

  it('network_error from msal-node HttpClient (real fetch, connection refused; the cause is not kept by MSAL)', async () => {
    const host = `127.0.0.1:${closedPort}`;
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        authority: `https://${host}/t`,
        knownAuthorities: [host],
        authorityMetadata: authorityMetadata.replaceAll(HOST, host),
      },
    });
    const e = await caught(app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }));
    expect(e).toMatchObject({ errorCode: 'network_error' });
    const f = await classify(e, { operation: 'token', host });
    expect(f).toMatchObject({ id: 'net-failed', code: 'network_error' });
    expect(f.detail).toContain('fetch failed');
    expect(f.detail).not.toContain(SECRET);
  });

  it('a network module that keeps the cause in the message gets the precise diagnosis', async () => {
    const e = new AuthError(
      'network_error',
      CORR_ID,
      'Network request failed: fetch failed: getaddrinfo ENOTFOUND login.microsoftonline.com',
    );
    const f = await classify(e);
    expect(f).toMatchObject({
      id: 'net-dns',
      code: 'ENOTFOUND',
      params: { host: 'login.microsoftonline.com' },
      correlationId: CORR_ID,
    });
    const timeout = await classify(new AuthError('network_error', '', 'Request timeout'), {
      host: 'login.microsoftonline.com',
      timeoutSeconds: 30,
    });
    expect(timeout).toMatchObject({ id: 'net-timeout', params: { host: 'login.microsoftonline.com', seconds: '30' } });
  });

  it('state_mismatch from acquireTokenByCode', async () => {
    const app = new PublicClientApplication({
      auth: { clientId: CLIENT_ID, authority: `https://${HOST}/t`, knownAuthorities: [HOST], authorityMetadata },
      system: { networkClient: networkModule([]) },
    });
    const e = await caught(
      app.acquireTokenByCode(
        { code: 'c', scopes: ['Mail.Send'], redirectUri: 'https://x/y', state: 'sent' },
        { code: 'c', state: 'other' },
      ),
    );
    expect(await classify(e)).toMatchObject({ id: 'msal-state-mismatch', code: 'state_mismatch' });
  });

  it('no_tokens_found from acquireTokenSilent without a cached sign-in', async () => {
    const app = new PublicClientApplication({
      auth: { clientId: CLIENT_ID, authority: `https://${HOST}/t`, knownAuthorities: [HOST], authorityMetadata },
      system: { networkClient: networkModule([]) },
    });
    const e = await caught(
      app.acquireTokenSilent({
        account: {
          homeAccountId: 'oid.tid',
          environment: HOST,
          tenantId: 'tid',
          username: 'sender@contoso.com',
          localAccountId: 'oid',
        },
        scopes: ['https://graph.microsoft.com/Mail.Send'],
      }),
    );
    expect(await classify(e)).toMatchObject({ id: 'msal-no-account', code: 'no_tokens_found' });
  });

  it('ClientConfigurationError for an insecure authority', async () => {
    const e = await caught(
      Promise.resolve().then(async () => {
        const app = new PublicClientApplication({ auth: { clientId: CLIENT_ID, authority: 'http://insecure.example/t' } });
        await app.getAuthCodeUrl({ scopes: ['Mail.Send'], redirectUri: 'https://x/y' });
      }),
    );
    expect(await classify(e)).toMatchObject({ id: 'msal-configuration', code: 'authority_uri_insecure' });
  });

  it('token_parsing_error, nonce_mismatch, user_canceled (shapes as msal-node HttpClient / msal-common throw them)', async () => {
    expect(
      await classify(new AuthError('token_parsing_error', '', 'Failed to parse response: Unexpected token < in JSON')),
    ).toMatchObject({
      id: 'msal-invalid-response',
    });
    expect(await classify(new ClientAuthError('nonce_mismatch', CORR_ID))).toMatchObject({
      id: 'msal-nonce-mismatch',
      correlationId: CORR_ID,
    });
    expect(await classify(new ClientAuthError('user_canceled', ''))).toMatchObject({ id: 'user-cancelled' });
  });
});

describe('classifyError: Microsoft Graph errors through the real Graph client', () => {
  it('ErrorAccessDenied "Access to OData is disabled." = application access policy; on the probe it is good news', async () => {
    const e = await graphError(graphJson(403, 'ErrorAccessDenied', 'Access to OData is disabled.'));
    expect((e as { constructor: { name: string } }).constructor.name).toBe('GraphError');
    const f = await classify(e, { operation: 'sendMail' });
    expect(f).toMatchObject({
      id: 'graph-mailbox-not-allowed',
      code: 'ErrorAccessDenied',
      httpStatus: 403,
      requestId: TRACE_ID,
      correlationId: CORR_ID,
      timestamp: '2026-11-29 10:12:03Z',
    });
    expect(f.detail).toBe('GraphError [ErrorAccessDenied] (HTTP 403): Access to OData is disabled.');
    expect((await classify(e, { operation: 'probe' })).id).toBe('probe-restricted');
    const plain = await graphError(graphJson(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'));
    expect((await classify(plain, { operation: 'sendMail' })).id).toBe('graph-access-denied');
    const ext = await graphError(
      graphJson(
        403,
        'ExtensionError',
        'Operation: Create; Exception: [Status Code: Forbidden; Reason: Access to OData is disabled.]',
      ),
    );
    expect((await classify(ext, { operation: 'sendMail' })).id).toBe('graph-mailbox-not-allowed');
  });

  it('Authorization_RequestDenied while reading the mailbox with Mail.Send only is "not checked", not a failure', async () => {
    const e = await graphError(
      graphJson(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
      '/users/sender@contoso.com',
    );
    expect((await classify(e, { operation: 'readMailbox' })).id).toBe('graph-mailbox-read-not-checked');
    expect((await classify(e, { operation: 'token' })).id).toBe('graph-insufficient-privileges');
  });

  it.each<[number, string, string, DiagnosticId]>([
    [404, 'ErrorInvalidUser', "The requested user 'sendr@contoso.com' is invalid.", 'graph-invalid-user'],
    [404, 'ResourceNotFound', 'Resource could not be discovered.', 'graph-resource-not-found'],
    [
      404,
      'MailboxNotEnabledForRESTAPI',
      'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
      'graph-mailbox-not-enabled',
    ],
    [
      403,
      'ErrorSendAsDenied',
      'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account. Cannot submit message.',
      'graph-send-as-denied',
    ],
    [401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', 'graph-token-invalid'],
    [400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.', 'graph-bad-message'],
    [400, 'ErrorInvalidRequest', 'The request is invalid.', 'graph-bad-message'],
    [403, 'ErrorMessageSubmissionBlocked', 'Message submission blocked.', 'graph-submission-blocked'],
    [403, 'ErrorExceededMessageLimit', 'Cannot send mail. Daily Message/Recipient limit exceeded.', 'graph-message-limit'],
    [403, 'ErrorQuotaExceeded', 'Cannot save changes made to an item to store.', 'graph-quota-exceeded'],
    // Graph's request limit comes as 413 with the generic BadRequest code: the status decides, not the code.
    [413, 'BadRequest', 'The maximum request length supported is 4MB.', 'graph-request-too-large'],
    [413, 'RequestEntityTooLarge', 'Request Entity Too Large', 'graph-request-too-large'],
    [500, 'UnknownError', 'Internal error.', 'graph-server-error'],
    [400, 'ErrorSomethingNew', 'A new Exchange error.', 'graph-request-failed'],
  ])('HTTP %i %s → %s', async (status, code, message, id) => {
    const f = await classify(await graphError(graphJson(status, code, message)), { operation: 'sendMail' });
    expect(f).toMatchObject({ id, code, httpStatus: status, requestId: TRACE_ID, correlationId: CORR_ID });
  });

  it('ErrorInvalidUser names the mailbox', async () => {
    const f = await classify(
      await graphError(graphJson(404, 'ErrorInvalidUser', "The requested user 'sendr@contoso.com' is invalid.")),
    );
    expect(f.params).toEqual({ mailbox: 'sendr@contoso.com' });
  });

  it('429 with Retry-After gives the seconds; without it, a text that does not promise any', async () => {
    const e = await graphError(
      graphJson(
        429,
        'ApplicationThrottled',
        'Application is over its MailboxConcurrency limit.',
        { 'Retry-After': '2.128' },
        false,
      ),
    );
    const f = await classify(e, { operation: 'sendMail' });
    expect(f).toMatchObject({
      id: 'graph-throttled',
      code: 'ApplicationThrottled',
      httpStatus: 429,
      params: { seconds: '3' },
      requestId: null,
    });
    const bare = await classify(await graphError(() => new Response('', { status: 429 })), { operation: 'sendMail' });
    expect(bare).toMatchObject({ id: 'graph-throttled-unspecified', code: 'HTTP 429', httpStatus: 429 });
  });

  it('503/504: for sendMail the message may already be accepted; otherwise just unavailable', async () => {
    const send = await classify(await graphError(graphJson(503, 'ServiceUnavailable', 'Service unavailable.')), {
      operation: 'sendMail',
    });
    expect(send).toMatchObject({ id: 'graph-send-outcome-unknown', httpStatus: 503 });
    const read = await classify(await graphError(() => new Response('', { status: 504 }), '/users/x'), {
      operation: 'readMailbox',
    });
    expect(read).toMatchObject({ id: 'graph-unavailable', code: 'HTTP 504' });
  });

  it('non-Graph answers: a proxy page, a proxy asking for credentials, an unparseable body', async () => {
    const html = () => new Response('<html>Blocked by policy</html>', { status: 403, headers: { 'Content-Type': 'text/html' } });
    expect(await classify(await graphError(html))).toMatchObject({ id: 'graph-unexpected-response', code: 'HTTP 403' });
    expect(await classify(await graphError(() => new Response('', { status: 407 })))).toMatchObject({
      id: 'net-proxy',
      httpStatus: 407,
    });
    const emptyJson = () => new Response('', { status: 202, headers: { 'Content-Type': 'application/json' } });
    expect(await classify(await graphError(emptyJson))).toMatchObject({ id: 'graph-unexpected-response', httpStatus: 202 });
  });

  it('a fetch failure inside the Graph client (it keeps name and message, not the cause)', async () => {
    const e = await graphError(() =>
      Promise.reject(errno('ENOTFOUND', 'getaddrinfo ENOTFOUND graph.microsoft.com', { hostname: 'graph.microsoft.com' })),
    );
    expect(e).toMatchObject({ statusCode: -1, code: 'TypeError' });
    expect(await classify(e, { host: 'graph.microsoft.com' })).toMatchObject({
      id: 'net-failed',
      code: 'fetch failed',
      httpStatus: null,
    });
    const real = Client.init({
      authProvider: (done) => done(null, 'token'),
      baseUrl: `https://127.0.0.1:${closedPort}`,
      customHosts: new Set(['127.0.0.1']),
    });
    const realError = await caught(real.api('/users/a@contoso.com/sendMail').post({}));
    expect(await classify(realError, { operation: 'sendMail' })).toMatchObject({ id: 'net-failed' });
  });

  it('a plain Graph error body (from a raw fetch) is understood too', async () => {
    const f = await classify({
      error: { code: 'ErrorSendAsDenied', message: 'No.', innerError: { date: '2026-11-29T10:12:03', 'request-id': TRACE_ID } },
    });
    expect(f).toMatchObject({ id: 'graph-send-as-denied', requestId: TRACE_ID, timestamp: '2026-11-29 10:12:03Z' });
  });
});

describe('classifyError: Node fetch / undici failures', () => {
  it('DNS: TypeError("fetch failed") with cause ENOTFOUND', async () => {
    const e = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }),
    });
    expect(await classify(e)).toMatchObject({
      id: 'net-dns',
      code: 'ENOTFOUND',
      params: { host: 'x' },
      httpStatus: null,
      correlationId: null,
    });
    expect(
      await classify(
        errno('EAI_AGAIN', 'getaddrinfo EAI_AGAIN login.microsoftonline.com', { hostname: 'login.microsoftonline.com' }),
      ),
    ).toMatchObject({
      id: 'net-dns',
      params: { host: 'login.microsoftonline.com' },
    });
  });

  it('real fetch: connection refused, connection reset, caller timeout, caller abort', async () => {
    const refused = await caught(fetch(`https://127.0.0.1:${closedPort}/`));
    expect(await classify(refused)).toMatchObject({
      id: 'net-refused',
      code: 'ECONNREFUSED',
      params: { host: `127.0.0.1:${closedPort}` },
    });

    const reset = await caught(fetch(`https://127.0.0.1:${port(resetting)}/`));
    expect(await classify(reset, { operation: 'token' })).toMatchObject({ id: 'net-reset', code: 'ECONNRESET' });
    expect((await classify(reset, { operation: 'sendMail' })).id).toBe('graph-send-outcome-unknown');

    const timeout = await caught(fetch(`https://127.0.0.1:${port(silent)}/`, { signal: AbortSignal.timeout(200) }));
    expect(await classify(timeout, { host: 'graph.microsoft.com', timeoutSeconds: 20 })).toMatchObject({
      id: 'net-timeout',
      code: 'TimeoutError',
      params: { host: 'graph.microsoft.com', seconds: '20' },
    });
    expect((await classify(timeout)).id).toBe('net-timeout-generic');

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = await caught(fetch(`https://127.0.0.1:${port(silent)}/`, { signal: controller.signal }));
    expect(await classify(aborted)).toMatchObject({ id: 'user-cancelled', code: 'AbortError' });
  });

  it.each<[string, DiagnosticId]>([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'net-tls-untrusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'net-tls-untrusted'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'net-tls-untrusted'],
    ['CERT_HAS_EXPIRED', 'net-tls-expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'net-tls-hostname'],
    ['EPROTO', 'net-tls-other'],
    ['EHOSTUNREACH', 'net-unreachable'],
    ['ECONNRESET', 'net-reset'],
  ])('cause %s → %s', async (code, id) => {
    expect(await classify(errno(code, `${code}: something`), { host: 'graph.microsoft.com' })).toMatchObject({ id, code });
  });

  it('undici timeouts use its default seconds unless the caller set its own', async () => {
    expect(
      await classify(errno('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'), { host: 'login.microsoftonline.com' }),
    ).toMatchObject({
      id: 'net-timeout',
      params: { host: 'login.microsoftonline.com', seconds: '10' },
    });
    // A connect timeout means nothing was sent: for sendMail that is a plain timeout, a headers timeout is not.
    expect(
      (await classify(errno('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'), { host: 'h', operation: 'sendMail' })).id,
    ).toBe('net-timeout');
    expect(
      (await classify(errno('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'), { host: 'h', operation: 'sendMail' })).id,
    ).toBe('graph-send-outcome-unknown');
    expect((await classify(errno('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'))).id).toBe('net-timeout-generic');
  });

  it('proxy tunnel refusal (undici ProxyAgent)', async () => {
    const e = new TypeError('fetch failed', {
      cause: Object.assign(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), { code: 'UND_ERR_ABORTED' }),
    });
    expect((await classify(e)).id).toBe('net-proxy');
  });

  it('a proxy the transport names: the diagnosis names it, also when only the message survived', async () => {
    const refused = Object.assign(new Error('PROXY_REFUSED: proxy 10.0.0.8:3128 refused the tunnel to h:443 (HTTP 403)'), {
      code: 'PROXY_REFUSED',
      proxy: '10.0.0.8:3128',
    });
    expect(await classify(Object.assign(new Error('wrapped'), { cause: refused }), { host: 'login.example' })).toMatchObject({
      id: 'net-proxy-server',
      code: 'PROXY_REFUSED',
      params: { proxy: '10.0.0.8:3128', host: 'login.example' },
    });
    const msalText = new AuthError('network_error', '', 'Network request failed: h PROXY_UNREACHABLE via proxy 10.0.0.8:3128');
    expect(await classify(msalText, { host: 'h' })).toMatchObject({ id: 'net-proxy-server', params: { proxy: '10.0.0.8:3128' } });
    // Without a host the text cannot be filled: the plain proxy diagnosis.
    expect((await classify(Object.assign(new Error('x'), { code: 'PROXY_UNREACHABLE' }))).id).toBe('net-proxy');
  });

  it('a fetch failure without a usable cause', async () => {
    expect(await classify(new TypeError('fetch failed', { cause: new Error('bad port') }))).toMatchObject({
      id: 'net-failed',
      code: 'fetch failed',
    });
  });
});

describe('classifyError: fallbacks and hygiene', () => {
  it('anything else is unknown, and still shows a raw code', async () => {
    expect(await classify(new Error('boom'))).toMatchObject({ id: 'unknown', code: 'Error', params: { code: 'Error' } });
    expect(await classify(Object.assign(new Error('x'), { code: 'ERR_SOMETHING' }))).toMatchObject({
      id: 'unknown',
      code: 'ERR_SOMETHING',
    });
    expect(await classify('a string')).toMatchObject({ id: 'unknown', detail: 'a string' });
    expect(await classify(undefined)).toMatchObject({ id: 'unknown' });
    expect(await classify(null)).toMatchObject({ id: 'unknown' });
    const odd = await classify(new AuthError('weird_error', CORR_ID, 'Weird.'));
    expect(odd).toMatchObject({ id: 'unknown', code: 'weird_error', params: { code: 'weird_error' }, correlationId: CORR_ID });
  });

  // SH-3: no secret survives into a diagnosis.
  it('keeps no secret, token, code or password in detail, code or params', async () => {
    const leaky = new TypeError('fetch failed', {
      cause: new Error(
        `POST /token client_secret=${SECRET}&code=0.AXoA-authcode&grant_type=authorization_code Authorization: Bearer ${JWT} password=hunter2`,
      ),
    });
    const f = await classify(leaky, { knownSecrets: [SECRET] });
    expect(f.detail).not.toContain(SECRET);
    expect(f.detail).not.toContain(JWT);
    expect(f.detail).not.toContain('0.AXoA-authcode');
    expect(f.detail).not.toContain('hunter2');
    expect(f.detail).toContain('[redacted');

    // The secret itself, where no key names it: only knownSecrets can catch it.
    const raw = new AuthError('network_error', '', `Network request failed: proxy echoed ${SECRET}`);
    expect((await classify(raw, { knownSecrets: [SECRET] })).detail).not.toContain(SECRET);

    const graph = await graphError(graphJson(401, 'InvalidAuthenticationToken', `Access token validation failure: ${JWT}`));
    const g = await classify(graph);
    expect(JSON.stringify(g)).not.toContain(JWT);

    for (const finding of findings) {
      const all = JSON.stringify(finding);
      expect(all).not.toContain(SECRET);
      expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\./);
      expect(finding.detail).not.toMatch(/[\r\n]/);
      expect(finding.detail.length).toBeLessThanOrEqual(2000);
    }
  });

  it('fills every {{param}} the chosen text uses, in every finding above', () => {
    expect(findings.length).toBeGreaterThan(80);
    for (const f of findings) {
      for (const p of diagnosticParamNames(f.id)) expect(f.params[p], `${f.id} needs ${p}`).toBeTruthy();
    }
  });

  it('has a param-free fallback for every text that needs a param the error may not carry', () => {
    for (const id of DIAGNOSTIC_IDS) {
      // Caller-set ids never come out of classifyError, so it never has to fall back from them.
      if (diagnosticParamNames(id).length === 0 || id === 'unknown') continue;
      if ((CALLER_SET_DIAGNOSTIC_IDS as readonly string[]).includes(id)) continue;
      const fallback = PARAM_FALLBACKS[id];
      expect(fallback, `no fallback for ${id}`).toBeDefined();
      if (fallback !== undefined) expect(diagnosticParamNames(fallback), `${id} → ${fallback}`).toEqual([]);
    }
  });

  it('maps a finding onto the TestStep fields (namespace "diagnostics")', () => {
    const f = classifyError({
      error: 'invalid_client',
      error_description: `AADSTS7000222: expired.\r\nCorrelation ID: ${CORR_ID}\r\nTimestamp: ${TS}`,
    });
    expect(findingStepFields(f)).toEqual({
      messageKey: 'diagnostics:aad-secret-expired.title',
      adviceKey: 'diagnostics:aad-secret-expired.advice',
      params: {},
      code: 'AADSTS7000222',
      correlationId: CORR_ID,
      timestamp: TS,
    });
  });

  it('reaches every catalogue id (except those only callers set)', () => {
    const missing = DIAGNOSTIC_IDS.filter(
      (id) => !reached.has(id) && !(CALLER_SET_DIAGNOSTIC_IDS as readonly string[]).includes(id),
    );
    expect(missing).toEqual([]);
  });
});
