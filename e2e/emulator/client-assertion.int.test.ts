import { createPrivateKey, randomUUID } from 'node:crypto';
import {
  ConfidentialClientApplication,
  ServerError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, type CertificateMaterial } from '../../electron/core/certificates/certificate-material';
import { DEMO, startEmulator, type Emulator } from './index';
import { claims, expectAadErrorBody, rawToken } from './test-helpers';

const app = DEMO.confidentialApp;
let emu: Emulator;
let registered: CertificateMaterial;
let unregistered: CertificateMaterial;

beforeAll(async () => {
  emu = await startEmulator();
  registered = createCertificate('Einkauf', new Date(emu.now() - 60_000));
  unregistered = createCertificate('Fremd', new Date(emu.now() - 60_000));
  emu.registerCertificate(app.clientId, registered.info.certPem);
});
afterAll(async () => {
  await emu.close();
});

/** Token request bodies MSAL sent, recorded by a pass-through network client (the transport, not MSAL, is swapped). */
const sentBodies: string[] = [];
const recordingClient: INetworkModule = {
  sendGetRequestAsync: async <T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const res = await fetch(url, { headers: options?.headers ?? {} });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: (await res.json()) as T };
  },
  sendPostRequestAsync: async <T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    sentBodies.push(options?.body ?? '');
    const res = await fetch(url, { method: 'POST', headers: options?.headers ?? {}, body: options?.body ?? '' });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: (await res.json()) as T };
  },
};

const certClient = (m: CertificateMaterial, sha1 = false): ConfidentialClientApplication =>
  new ConfidentialClientApplication({
    system: { networkClient: recordingClient },
    auth: {
      clientId: app.clientId,
      clientCertificate: sha1
        ? // eslint-disable-next-line @typescript-eslint/no-deprecated -- the legacy RS256 + x5t path Entra still accepts is the point
          { thumbprint: m.info.thumbprintSha1, privateKey: m.privateKeyPem }
        : { thumbprintSha256: m.info.thumbprintSha256, privateKey: m.privateKeyPem },
      ...emu.msalAuthority(DEMO.tenantId),
    },
  });

async function serverError(p: Promise<unknown>): Promise<ServerError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ServerError);
  return e as ServerError;
}

const tokenEndpoint = (): string => `${emu.authorityHost}/${DEMO.tenantId}/oauth2/v2.0/token`;

/** An assertion built by hand, each claim overridable, signed PS256 with x5t#S256 unless told otherwise. */
async function forged(
  m: CertificateMaterial,
  o: { aud?: string; iss?: string; sub?: string; nbf?: number; exp?: number; jti?: string | null; alg?: 'PS256' | 'RS256' } = {},
): Promise<string> {
  const now = Math.floor(emu.now() / 1000);
  const payload: Record<string, unknown> = {
    aud: o.aud ?? tokenEndpoint(),
    iss: o.iss ?? app.clientId,
    sub: o.sub ?? app.clientId,
    nbf: o.nbf ?? now,
    exp: o.exp ?? now + 600,
    ...(o.jti === null ? {} : { jti: o.jti ?? randomUUID() }),
  };
  const alg = o.alg ?? 'PS256';
  const thumb = Buffer.from(alg === 'PS256' ? m.info.thumbprintSha256 : m.info.thumbprintSha1, 'hex').toString('base64url');
  return new SignJWT(payload)
    .setProtectedHeader({ alg, typ: 'JWT', ...(alg === 'PS256' ? { 'x5t#S256': thumb } : { x5t: thumb }) })
    .sign(createPrivateKey(m.privateKeyPem));
}

const redeem = (assertion: string) =>
  rawToken(emu, DEMO.tenantId, {
    client_id: app.clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    grant_type: 'client_credentials',
    scope: DEMO.graphDefaultScope,
  });

describe('certificate credentials (private_key_jwt) against the real ConfidentialClientApplication', () => {
  it('accepts MSAL’s own assertion (PS256, x5t#S256) for a registered certificate and issues the app token', async () => {
    sentBodies.length = 0;
    const result = await certClient(registered).acquireTokenByClientCredential({ scopes: [DEMO.graphDefaultScope] });
    expect(claims(result?.accessToken ?? '')).toMatchObject({ appid: app.clientId, idtyp: 'app', roles: ['Mail.Send'] });
    const form = new URLSearchParams(sentBodies.at(-1) ?? '');
    const sent = form.get('client_assertion') ?? '';
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(form.has('client_secret')).toBe(false);
    const header = JSON.parse(Buffer.from(sent.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(header).toMatchObject({
      alg: 'PS256',
      'x5t#S256': Buffer.from(registered.info.thumbprintSha256, 'hex').toString('base64url'),
    });
    expect(claims(sent)).toMatchObject({ aud: tokenEndpoint(), iss: app.clientId, sub: app.clientId });
  });

  it('accepts the legacy RS256 + x5t (SHA-1) assertion too', async () => {
    const result = await certClient(registered, true).acquireTokenByClientCredential({ scopes: [DEMO.graphDefaultScope] });
    expect(result?.accessToken).toBeTruthy();
    expect((await redeem(await forged(registered, { alg: 'RS256' }))).status).toBe(200);
  });

  it('answers 700027 with the thumbprint for a certificate that is not registered', async () => {
    const e = await serverError(certClient(unregistered).acquireTokenByClientCredential({ scopes: [DEMO.graphDefaultScope] }));
    expect(e.errorCode).toBe('invalid_client');
    expect(e.errorMessage).toContain('AADSTS700027');
    expect(e.errorMessage).toContain(unregistered.info.thumbprintSha256);
    const raw = await redeem(await forged(unregistered));
    expect(raw.status).toBe(401);
    expectAadErrorBody(raw.body, {
      error: 'invalid_client',
      code: 700027,
      messageStart: 'The certificate with identifier used to sign the client assertion is not registered',
    });
  });

  it('answers 700027 for a signature by another key under the registered thumbprint', async () => {
    const good = await forged(registered);
    const other = await forged(unregistered);
    const spliced = `${good.split('.').slice(0, 2).join('.')}.${other.split('.')[2] ?? ''}`;
    const raw = await redeem(spliced);
    expectAadErrorBody(raw.body, {
      error: 'invalid_client',
      code: 700027,
      messageStart: 'Client assertion failed signature validation.',
    });
  });

  it('answers 700024 for an expired and for a not-yet-valid assertion (beyond 5 minutes of skew)', async () => {
    const now = Math.floor(emu.now() / 1000);
    const expired = await redeem(await forged(registered, { nbf: now - 3600, exp: now - 900 }));
    expectAadErrorBody(expired.body, {
      error: 'invalid_client',
      code: 700024,
      messageStart: 'Client assertion is not within its valid time range.',
    });
    const future = await redeem(await forged(registered, { nbf: now + 900, exp: now + 1500 }));
    expect(future.body['error_codes']).toEqual([700024]);
    // Within the skew it passes: a PC clock a minute off must not break tonight's job.
    expect((await redeem(await forged(registered, { nbf: now + 60, exp: now + 600 }))).status).toBe(200);
  });

  it('answers 700023 for an audience that is not this tenant’s token endpoint, 700021 for a foreign issuer', async () => {
    const aud = await redeem(await forged(registered, { aud: `${emu.authorityHost}/${randomUUID()}/oauth2/v2.0/token` }));
    expectAadErrorBody(aud.body, {
      error: 'invalid_client',
      code: 700023,
      messageStart: 'Client assertion audience claim does not match Realm issuer.',
    });
    const iss = await redeem(await forged(registered, { iss: randomUUID(), sub: randomUUID() }));
    expectAadErrorBody(iss.body, {
      error: 'invalid_client',
      code: 700021,
      messageStart: "Client assertion application identifier doesn't match 'client_id' parameter.",
    });
  });

  it('requires a jti and the jwt-bearer assertion type', async () => {
    expect((await redeem(await forged(registered, { jti: null }))).body['error_codes']).toEqual([50027]);
    const wrongType = await rawToken(emu, DEMO.tenantId, {
      client_id: app.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
      client_assertion: await forged(registered),
      grant_type: 'client_credentials',
      scope: DEMO.graphDefaultScope,
    });
    expect(wrongType.body['error_codes']).toEqual([50027]);
  });

  it('answers 700027 "expired" once the registered certificate has run out, and stops after removal', async () => {
    const soon = createCertificate('Kurz', new Date(emu.now() - 60_000), 1);
    const credential = emu.registerCertificate(app.clientId, soon.info.certPem);
    expect(credential.thumbprintSha256).toBe(soon.info.thumbprintSha256);
    expect((await redeem(await forged(soon))).status).toBe(200);
    emu.advanceClock(2 * 86_400_000);
    try {
      const late = await redeem(await forged(soon));
      expect(late.body['error_description']).toMatch(/^AADSTS700027: .*The key used is expired/);
    } finally {
      emu.advanceClock(-2 * 86_400_000);
    }
    emu.world.removeCertificate(app.clientId, credential.keyId);
    expect((await redeem(await forged(soon))).body['error_codes']).toEqual([700027]);
  });
});
