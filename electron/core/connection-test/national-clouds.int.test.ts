import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestReport } from '../../../shared/ipc/contract';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { createTestCore } from '../testing/core-fixture';
import { emulatorEndpoints } from '../testing/emulator-endpoints';

// The emulator's second cloud stands for US Government (GCC High): its own login and Graph hosts, its own tenant.
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
beforeEach(() => {
  emulator.clearRequests();
  emulator.clearSentMessages();
});

const gov = DEMO.usGov;

function core() {
  return createTestCore({
    clock: { now: () => new Date() },
    network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 10_000, maxRetries: 1 },
  }).api;
}

type Api = ReturnType<typeof core>;

async function govProfile(
  api: Api,
  patch: { cloud?: 'global' | 'usgov'; tenant?: string; clientId?: string; secret?: string } = {},
) {
  return api.profiles.save({
    draft: {
      name: 'Bestellungen (GCC High)',
      accountType: 'client-secret',
      cloud: patch.cloud ?? 'usgov',
      senderAddress: gov.sender.upn,
      mailboxAddress: gov.sender.upn,
      clientId: patch.clientId ?? gov.confidentialApp.clientId,
      tenant: patch.tenant ?? gov.tenantId,
      secretExpiresOn: '',
    },
    clientSecret: patch.secret ?? gov.confidentialApp.secretValue,
  });
}

const step = (report: TestReport, id: string) => report.steps.find((s) => s.id === id);

describe('national clouds against the emulator (real MSAL, real Graph client)', () => {
  it('a US Government profile gets its token from the US Government login host and sends through its Graph', async () => {
    const api = core();
    const profile = await govProfile(api);
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: 'einkauf@lieferant.example' });
    expect(step(report, 'token')).toMatchObject({ status: 'ok', messageKey: 'steps.token.ok' });
    expect(step(report, 'send')).toMatchObject({ status: 'ok', messageKey: 'steps.send.accepted' });
    expect(step(report, 'login')?.params['host']).toBe(new URL(emulator.secondCloud.authorityHost).host);

    const requests = emulator.requests();
    const token = requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(token.map((r) => `${r.origin} ${r.path}`)).toEqual([
      `${emulator.secondCloud.authorityHost} /${gov.tenantId}/oauth2/v2.0/token`,
    ]);
    const send = requests.filter((r) => r.path.endsWith('/sendMail'));
    expect(send.map((r) => r.origin)).toEqual([emulator.secondCloud.graphRoot]);
    // Nothing of this profile touched the global cloud's hosts.
    expect(requests.filter((r) => r.origin === emulator.authorityHost || r.origin === emulator.graphRoot)).toEqual([]);
    expect(emulator.sentMessages().map((m) => m.sender)).toEqual([gov.sender.upn]);
  });

  it('each cloud’s Graph accepts only tokens for itself (audience https://graph.microsoft.us on the US Government host)', async () => {
    const tokenFrom = async (
      authorityHost: string,
      tenant: string,
      app: { clientId: string; secretValue: string },
      resource: string,
    ) => {
      const response = await fetch(`${authorityHost}/${tenant}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: app.clientId,
          client_secret: app.secretValue,
          scope: `${resource}/.default`,
        }).toString(),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const global = await tokenFrom(emulator.authorityHost, DEMO.tenantId, DEMO.confidentialApp, DEMO.graphResource);
    const usgov = await tokenFrom(emulator.secondCloud.authorityHost, gov.tenantId, gov.confidentialApp, gov.graphResource);
    expect([global.status, usgov.status]).toEqual([200, 200]);
    // The US Government login host does not hand out tokens for the global Graph.
    const wrongResource = await tokenFrom(
      emulator.secondCloud.authorityHost,
      gov.tenantId,
      gov.confidentialApp,
      DEMO.graphResource,
    );
    expect(wrongResource.status).toBe(400);
    const me = (root: string, token: unknown, upn: string) =>
      fetch(`${root}/v1.0/users/${upn}`, { headers: { Authorization: `Bearer ${String(token)}` } }).then((r) => r.status);
    expect(await me(emulator.secondCloud.graphRoot, global.body['access_token'], gov.sender.upn)).toBe(401);
    expect(await me(emulator.graphRoot, usgov.body['access_token'], DEMO.sender.upn)).toBe(401);
    expect(await me(emulator.secondCloud.graphRoot, usgov.body['access_token'], gov.sender.upn)).not.toBe(401);
  });

  it('a global profile pointed at the US Government tenant: AADSTS900382, explained as a cloud mismatch', async () => {
    const api = core();
    const profile = await govProfile(api, { cloud: 'global' });
    const report = await api.tests.run({ profileId: profile.id });
    const token = step(report, 'token');
    expect(token).toMatchObject({ status: 'failed', messageKey: 'diagnostics:aad-cloud-mismatch.title' });
    expect(token?.code).toBe('AADSTS900382');
    expect(token?.params).toMatchObject({
      tenant: gov.tenantId,
      tenantCloud: 'US Government (GCC High)',
      profileCloud: 'Global',
    });
    expect(step(report, 'send')?.status).toBe('skipped');
    // The explanation comes from the other cloud's OpenID discovery, with no credentials sent there.
    const discovery = emulator.requests().filter((r) => r.path.endsWith('/.well-known/openid-configuration'));
    expect(discovery.map((r) => r.origin)).toEqual([emulator.secondCloud.authorityHost]);
  });

  it('a US Government profile pointed at a global tenant: AADSTS90002, explained as a cloud mismatch', async () => {
    const api = core();
    const profile = await govProfile(api, {
      tenant: DEMO.tenantId,
      clientId: DEMO.confidentialApp.clientId,
      secret: DEMO.confidentialApp.secretValue,
    });
    const report = await api.tests.run({ profileId: profile.id });
    const token = step(report, 'token');
    expect(token).toMatchObject({ status: 'failed', messageKey: 'diagnostics:aad-cloud-mismatch.title' });
    expect(token?.code).toBe('AADSTS90002');
    expect(token?.params).toMatchObject({ tenantCloud: 'Global', profileCloud: 'US Government (GCC High)' });
  });

  it('a tenant no cloud knows stays "tenant not found"', async () => {
    const api = core();
    const profile = await govProfile(api, { cloud: 'global', tenant: DEMO.unknownTenantId });
    const report = await api.tests.run({ profileId: profile.id });
    expect(step(report, 'token')?.messageKey).toBe('diagnostics:aad-tenant-not-found.title');
  });

  it('switching the cloud of a saved profile keeps its secret and then works in the new cloud', async () => {
    const api = core();
    const saved = await govProfile(api, { cloud: 'global' });
    expect(step(await api.tests.run({ profileId: saved.id }), 'token')?.status).toBe('failed');
    const switched = await api.profiles.save({
      draft: {
        id: saved.id,
        revision: saved.revision,
        name: saved.name,
        accountType: saved.accountType,
        cloud: 'usgov',
        senderAddress: saved.senderAddress,
        mailboxAddress: saved.mailboxAddress,
        clientId: saved.clientId,
        tenant: saved.tenant,
        secretExpiresOn: '',
      },
    });
    expect(switched.cloud).toBe('usgov');
    expect(switched.secret.hasSecret).toBe(true);
    expect(step(await api.tests.run({ profileId: saved.id }), 'token')?.status).toBe('ok');
  });
});
