import { randomUUID } from 'node:crypto';
import { ServerError } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from './index';
import { cca, claims, expectAadErrorBody, rawToken } from './test-helpers';

const SCOPES = [DEMO.graphDefaultScope];
const app = DEMO.confidentialApp;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

/** Runs an MSAL call expected to fail and returns the ServerError. */
async function serverError(p: Promise<unknown>): Promise<ServerError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ServerError);
  return e as ServerError;
}

describe('client credentials with the real ConfidentialClientApplication', () => {
  it('trusts the per-run CA in the fork worker without disabling verification', () => {
    expect(process.env['NODE_EXTRA_CA_CERTS']).toBe(emu.caCertPath);
    expect(process.env['NODE_TLS_REJECT_UNAUTHORIZED']).toBeUndefined();
  });

  it('issues an app-only Graph token with roles and makes no discovery request', async () => {
    emu.clearRequests();
    const result = await cca(emu, app.clientId, app.secretValue).acquireTokenByClientCredential({ scopes: SCOPES });
    expect(result).not.toBeNull();
    const c = claims(result?.accessToken ?? '');
    expect(c).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${DEMO.tenantId}/`,
      tid: DEMO.tenantId,
      appid: app.clientId,
      oid: app.servicePrincipalId,
      idtyp: 'app',
      roles: ['Mail.Send'],
      ver: '1.0',
    });
    expect(c).not.toHaveProperty('scp');
    const log = emu.requests();
    expect(log.some((r) => r.path.includes('openid-configuration') || r.path.includes('discovery'))).toBe(false);
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /${DEMO.tenantId}/oauth2/v2.0/token`]);
  });

  it('answers the raw success shape Entra uses (no scope, no refresh token)', async () => {
    const r = await rawToken(emu, DEMO.tenantId, {
      client_id: app.clientId,
      client_secret: app.secretValue,
      grant_type: 'client_credentials',
      scope: DEMO.graphDefaultScope,
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['token_type', 'expires_in', 'ext_expires_in', 'access_token']);
    expect(r.body['token_type']).toBe('Bearer');
    expect(r.body['expires_in']).toBe(3599);
    expect(r.headers.get('cache-control')).toBe('no-store, no-cache');
    expect(r.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts the tenant domain as authority', async () => {
    const result = await cca(emu, app.clientId, app.secretValue, DEMO.tenantDomain).acquireTokenByClientCredential({
      scopes: SCOPES,
    });
    expect(claims(result?.accessToken ?? '')['tid']).toBe(DEMO.tenantId);
  });

  it('rejects a wrong secret with AADSTS7000215 (401 invalid_client)', async () => {
    const e = await serverError(
      cca(emu, app.clientId, 'abc8Q~wrongwrongwrongwrongwrongwrongwron').acquireTokenByClientCredential({ scopes: SCOPES }),
    );
    expect(e.errorCode).toBe('invalid_client');
    expect(Number(e.errorNo)).toBe(7000215);
    expect(e.status).toBe(401);
    expect(e.errorMessage).toMatch(
      /^Error\(s\): 7000215 - Timestamp: .+ - Description: AADSTS7000215: Invalid client secret provided\./,
    );
    expect(e.errorMessage).toMatch(/ - Correlation ID: [0-9a-f-]{36} - Trace ID: [0-9a-f-]{36}$/);

    const correlationId = randomUUID();
    const raw = await rawToken(
      emu,
      DEMO.tenantId,
      { client_id: app.clientId, client_secret: 'nope', grant_type: 'client_credentials', scope: DEMO.graphDefaultScope },
      correlationId,
    );
    expect(raw.status).toBe(401);
    expect(raw.headers.get('x-ms-request-id')).toBe(raw.body['trace_id']);
    expect(raw.headers.get('client-request-id')).toBe(correlationId);
    expectAadErrorBody(raw.body, {
      error: 'invalid_client',
      code: 7000215,
      messageStart: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      correlationId,
    });
  });

  it('treats the Secret ID pasted instead of the value as a wrong secret (7000215)', async () => {
    const e = await serverError(cca(emu, app.clientId, app.secretId).acquireTokenByClientCredential({ scopes: SCOPES }));
    expect(Number(e.errorNo)).toBe(7000215);
    expect(e.status).toBe(401);
  });

  it('rejects an expired secret with AADSTS7000222', async () => {
    const e = await serverError(
      cca(emu, app.clientId, app.expiredSecretValue).acquireTokenByClientCredential({ scopes: SCOPES }),
    );
    expect(e.errorCode).toBe('invalid_client');
    expect(Number(e.errorNo)).toBe(7000222);
    expect(e.status).toBe(401);
    const raw = await rawToken(emu, DEMO.tenantId, {
      client_id: app.clientId,
      client_secret: app.expiredSecretValue,
      grant_type: 'client_credentials',
      scope: DEMO.graphDefaultScope,
    });
    expectAadErrorBody(raw.body, {
      error: 'invalid_client',
      code: 7000222,
      messageStart: `The provided client secret keys for app '${app.clientId}' are expired.`,
    });
  });

  it('expires the valid secret too once the clock passes its end date', async () => {
    const emu2 = await startEmulator();
    try {
      emu2.advanceClock(Date.parse(app.secretExpiresAt) - emu2.now() + 1000);
      const e = await serverError(cca(emu2, app.clientId, app.secretValue).acquireTokenByClientCredential({ scopes: SCOPES }));
      expect(Number(e.errorNo)).toBe(7000222);
    } finally {
      await emu2.close();
    }
  });

  it('reports an unknown tenant with AADSTS90002', async () => {
    const e = await serverError(
      cca(emu, app.clientId, app.secretValue, DEMO.unknownTenantId).acquireTokenByClientCredential({ scopes: SCOPES }),
    );
    expect(e.errorCode).toBe('invalid_request');
    expect(Number(e.errorNo)).toBe(90002);
    expect(e.status).toBe(400);
    const raw = await rawToken(emu, DEMO.unknownTenantId, {
      client_id: app.clientId,
      client_secret: app.secretValue,
      grant_type: 'client_credentials',
      scope: DEMO.graphDefaultScope,
    });
    expectAadErrorBody(raw.body, {
      error: 'invalid_request',
      code: 90002,
      messageStart: `Tenant '${DEMO.unknownTenantId}' not found.`,
    });
  });

  it('reports an unknown app with AADSTS700016', async () => {
    const e = await serverError(
      cca(emu, DEMO.unknownClientId, app.secretValue).acquireTokenByClientCredential({ scopes: SCOPES }),
    );
    expect(e.errorCode).toBe('unauthorized_client');
    expect(Number(e.errorNo)).toBe(700016);
    expect(e.status).toBe(400);
    const raw = await rawToken(emu, DEMO.tenantId, {
      client_id: DEMO.unknownClientId,
      client_secret: 'x',
      grant_type: 'client_credentials',
      scope: DEMO.graphDefaultScope,
    });
    expectAadErrorBody(raw.body, {
      error: 'unauthorized_client',
      code: 700016,
      messageStart: `Application with identifier '${DEMO.unknownClientId}' was not found in the directory '${DEMO.tenantDomain}'.`,
    });
  });

  it('issues a token without roles when admin consent is missing', async () => {
    const a = DEMO.noConsentApp;
    const result = await cca(emu, a.clientId, a.secretValue).acquireTokenByClientCredential({ scopes: SCOPES });
    const c = claims(result?.accessToken ?? '');
    expect(c['appid']).toBe(a.clientId);
    expect(c).not.toHaveProperty('roles');
  });

  it('shows broad roles for the legacy app', async () => {
    const a = DEMO.broadApp;
    const result = await cca(emu, a.clientId, a.secretValue).acquireTokenByClientCredential({ scopes: SCOPES });
    expect(claims(result?.accessToken ?? '')['roles']).toEqual(['Mail.Send', 'Mail.ReadWrite', 'User.Read.All']);
  });

  it('rejects a scope without /.default (1002012) and a missing parameter (900144)', async () => {
    const raw = await rawToken(emu, DEMO.tenantId, {
      client_id: app.clientId,
      client_secret: app.secretValue,
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/Mail.Send',
    });
    expect(raw.status).toBe(400);
    expectAadErrorBody(raw.body, {
      error: 'invalid_scope',
      code: 1002012,
      messageStart:
        'The provided value for scope https://graph.microsoft.com/Mail.Send is not valid. Client credential flows must have a scope value with /.default',
    });
    const missing = await rawToken(emu, DEMO.tenantId, {
      client_id: app.clientId,
      client_secret: app.secretValue,
      scope: DEMO.graphDefaultScope,
    });
    expect(missing.status).toBe(400);
    expectAadErrorBody(missing.body, {
      error: 'invalid_request',
      code: 900144,
      messageStart: "The request body must contain the following parameter: 'grant_type'.",
    });
  });

  it('blocks an app by Conditional Access with 53003 (InteractionRequiredAuthError even for CCA)', async () => {
    const a = DEMO.broadApp;
    emu.world.blockWithConditionalAccess({ name: 'block broad app', appId: a.clientId });
    try {
      const e: unknown = await cca(emu, a.clientId, a.secretValue)
        .acquireTokenByClientCredential({ scopes: SCOPES })
        .catch((err: unknown) => err);
      expect((e as { name: string }).name).toBe('InteractionRequiredAuthError');
      expect((e as { errorCode: string }).errorCode).toBe('invalid_grant');
      expect((e as { subError: string }).subError).toBe('message_only');
    } finally {
      emu.world.data.conditionalAccessBlocks = emu.world.data.conditionalAccessBlocks.filter((b) => b.appId !== a.clientId);
    }
  });

  it('serves the OIDC metadata and JWKS when asked (option A of the reference)', async () => {
    const res = await fetch(`${emu.authorityHost}/${DEMO.tenantDomain}/v2.0/.well-known/openid-configuration`);
    const meta = (await res.json()) as Record<string, string>;
    expect(meta['issuer']).toBe(`${emu.authorityHost}/${DEMO.tenantId}/v2.0`);
    expect(meta['token_endpoint']).toBe(`${emu.authorityHost}/${DEMO.tenantId}/oauth2/v2.0/token`);
    const common = (await (await fetch(`${emu.authorityHost}/common/v2.0/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    expect(common['issuer']).toBe(`${emu.authorityHost}/{tenantid}/v2.0`);
    expect(common['authorization_endpoint']).toBe(`${emu.authorityHost}/common/oauth2/v2.0/authorize`);
    const unknown = await fetch(`${emu.authorityHost}/${DEMO.unknownTenantId}/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expectAadErrorBody((await unknown.json()) as Record<string, unknown>, {
      error: 'invalid_tenant',
      code: 90002,
      messageStart: `Tenant '${DEMO.unknownTenantId}' not found.`,
    });
    const jwks = (await (await fetch(meta['jwks_uri'] ?? '')).json()) as { keys: { kid: string; kty: string }[] };
    expect(jwks.keys[0]?.kty).toBe('RSA');
  });

  describe('token endpoint faults', () => {
    const acquire = () => cca(emu, app.clientId, app.secretValue).acquireTokenByClientCredential({ scopes: SCOPES });

    it('answers injected 503s in Entra JSON shape (MSAL ServerError) and HTML gateway pages (token_parsing_error)', async () => {
      emu.setFault({
        match: { host: 'login', path: '/oauth2/v2.0/token' },
        action: { type: 'status', status: 503, retryAfterSeconds: 5 },
        times: 1,
      });
      const e = await serverError(acquire());
      expect([e.errorCode, Number(e.errorNo), e.status]).toEqual(['server_error', 90033, 503]);
      emu.setFault({
        match: { path: '/token' },
        action: { type: 'status', status: 502, body: '<html>Bad Gateway</html>' },
        times: 1,
      });
      const html: unknown = await acquire().catch((err: unknown) => err);
      expect((html as { errorCode: string }).errorCode).toBe('token_parsing_error');
    });

    it('drops and hangs connections (MSAL network_error; the log records the outcome)', async () => {
      emu.setFault({ match: { path: '/token' }, action: { type: 'drop' }, times: 1 });
      const dropped: unknown = await acquire().catch((err: unknown) => err);
      expect((dropped as { errorCode: string }).errorCode).toBe('network_error');
      emu.setFault({ match: { path: '/token' }, action: { type: 'hang' }, times: 1 });
      const hung: unknown = await fetch(`${emu.authorityHost}/${DEMO.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        signal: AbortSignal.timeout(300),
      }).catch((err: unknown) => err);
      expect((hung as Error).name).toBe('TimeoutError');
      const outcomes = emu
        .requests()
        .filter((r) => r.faults.includes('drop') || r.faults.includes('hang'))
        .map((r) => r.outcome);
      expect(outcomes).toEqual(['dropped', 'hung']);
    });
  });
});
