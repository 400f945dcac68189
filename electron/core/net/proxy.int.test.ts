import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestReport } from '../../../shared/ipc/contract';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { createTestCore, VALID_DRAFT } from '../testing/core-fixture';
import { freePort, startTinyproxy, type Tinyproxy } from '../testing/tinyproxy';
import { emulatorEndpoints } from '../testing/emulator-endpoints';

let emulator: Emulator;
let ports: number[];
const proxies: Tinyproxy[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  ports = [Number(new URL(emulator.authorityHost).port), Number(new URL(emulator.graphRoot).port)];
});
beforeEach(() => emulator.clearRequests());
afterEach(async () => {
  // Each test's proxies die with it, passed or failed.
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});
afterAll(async () => emulator.close());

async function proxy(connectPorts: readonly number[]): Promise<Tinyproxy> {
  const started = await startTinyproxy({ connectPorts });
  proxies.push(started);
  return started;
}

async function clientSecretCore() {
  const { api } = createTestCore({
    clock: { now: () => new Date() },
    network: {
      endpoints: emulatorEndpoints(emulator),
      requestTimeoutMs: 10_000,
      maxRetries: 1,
    },
  });
  const profile = await api.profiles.save({
    draft: {
      ...VALID_DRAFT,
      accountType: 'client-secret',
      senderAddress: DEMO.sender.upn,
      mailboxAddress: DEMO.sender.upn,
      clientId: DEMO.confidentialApp.clientId,
      tenant: DEMO.tenantId,
      secretExpiresOn: '',
    },
    clientSecret: DEMO.confidentialApp.secretValue,
  });
  return { api, profile };
}

const step = (report: TestReport, id: string) => report.steps.find((s) => s.id === id);
const failed = (report: TestReport) => report.steps.find((s) => s.status === 'failed');

describe('the core through a real forward proxy (tinyproxy)', () => {
  it('a client-secret test goes through the configured proxy: token and Graph each tunnelled', async () => {
    const tiny = await proxy(ports);
    const { api, profile } = await clientSecretCore();
    expect((await api.settings.update({ proxy: tiny.url })).proxy).toBe(tiny.url);
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: DEMO.sender.upn });
    expect(failed(report)).toBeUndefined();
    expect(step(report, 'send')?.status).toBe('ok');
    expect(emulator.requests().some((r) => r.host === 'login' && r.path.endsWith('/oauth2/v2.0/token'))).toBe(true);
    // One tunnel to the login host, at least one to Graph.
    expect(await tiny.connectsTo([ports[0] as number])).toBeGreaterThanOrEqual(1);
    expect(await tiny.connectsTo([ports[1] as number])).toBeGreaterThanOrEqual(1);
    expect(await tiny.connectsTo(ports)).toBeGreaterThanOrEqual(2);

    // A change applies to the next request, without a restart: "none" bypasses the proxy.
    const before = await tiny.connectsTo(ports);
    await api.settings.update({ proxy: 'none' });
    const direct = await api.tests.run({ profileId: profile.id, testMessageTo: DEMO.sender.upn });
    expect(failed(direct)).toBeUndefined();
    expect(await tiny.connectsTo(ports)).toBe(before);
  });

  it('a proxy that refuses the tunnel: the login step fails and the diagnosis names the proxy', async () => {
    const strict = await proxy([443]); // tunnels only to 443, so the emulator's ports get 403
    const { api, profile } = await clientSecretCore();
    await api.settings.update({ proxy: strict.url });
    const report = await api.tests.run({ profileId: profile.id });
    expect(failed(report)).toMatchObject({
      id: 'login',
      messageKey: 'diagnostics:net-proxy-server.title',
      code: 'PROXY_REFUSED',
      params: { proxy: `127.0.0.1:${strict.port}` },
    });
    expect(failed(report)?.params['host']).toContain('localhost');
    expect(emulator.requests().filter((r) => r.path.endsWith('/oauth2/v2.0/token'))).toEqual([]);
    expect(await strict.log()).toMatch(/CONNECT/);
  });

  it('a proxy that is not there: the diagnosis names it, and Graph calls (token cached) fail the same way', async () => {
    const tiny = await proxy(ports);
    const { api, profile } = await clientSecretCore();
    await api.settings.update({ proxy: tiny.url });
    expect(failed(await api.tests.run({ profileId: profile.id }))).toBeUndefined();
    const closed = await freePort();
    await api.settings.update({ proxy: `http://127.0.0.1:${closed}` });
    // The token is served from MSAL's cache: the first request to leave is Graph's (the Graph client keeps
    // only the error's message; the diagnosis still names the proxy).
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: DEMO.sender.upn });
    expect(step(report, 'token')?.messageKey).toBe('steps.token.cached');
    expect(failed(report)).toMatchObject({
      messageKey: 'diagnostics:net-proxy-server.title',
      params: { proxy: `127.0.0.1:${closed}` },
    });
  });
});
