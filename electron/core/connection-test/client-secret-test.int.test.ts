import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestReport } from '../../../shared/ipc/contract';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { createCa } from '../../../e2e/emulator/ca';
import { createTestCore } from '../testing/core-fixture';
import { emulatorEndpoints } from '../testing/emulator-endpoints';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
  emulator.clearSentMessages();
});

const app = DEMO.confidentialApp;
const sender = DEMO.sender.upn;

function core(options: { timeoutMs?: number } = {}) {
  const events: unknown[] = [];
  const { api, logger } = createTestCore({
    clock: { now: () => new Date() },
    emit: (_e, payload) => events.push(payload),
    network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: options.timeoutMs ?? 10_000, maxRetries: 2 },
  });
  return { api, events, logger };
}

async function profileWith(
  api: ReturnType<typeof core>['api'],
  patch: { clientId?: string; tenant?: string; secret?: string; mailbox?: string } = {},
) {
  return api.profiles.save({
    draft: {
      name: 'Bestellungen',
      accountType: 'client-secret',
      senderAddress: patch.mailbox ?? sender,
      mailboxAddress: patch.mailbox ?? sender,
      clientId: patch.clientId ?? app.clientId,
      tenant: patch.tenant ?? DEMO.tenantId,
      secretExpiresOn: '',
    },
    clientSecret: patch.secret ?? app.secretValue,
  });
}

const summary = (report: TestReport) => Object.fromEntries(report.steps.map((s) => [s.id, `${s.status}:${s.messageKey ?? ''}`]));
const step = (report: TestReport, id: string) => report.steps.find((s) => s.id === id);

describe('client-secret connection test against the emulator (real MSAL, real Graph client)', () => {
  it('passes and the test message lands in the sink; a warm run needs only the Graph round trip', async () => {
    const { api, events } = core();
    const profile = await profileWith(api);
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: 'einkauf@lieferant.example' });
    expect(summary(report)).toMatchObject({
      login: 'ok:steps.login.ok',
      token: 'ok:steps.token.ok',
      // A message went through the mailbox: "not checked without a test message" would contradict it (issue 11).
      mailbox: 'ok:steps.mailbox.provenBySend',
      send: 'ok:steps.send.accepted',
      probe: 'skipped:steps.probe.notRequested',
    });
    expect(report.outcome).not.toBe('failed');
    const sent = emulator.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.sender).toBe(sender);
    expect(sent[0]?.toRecipients[0]?.address).toBe('einkauf@lieferant.example');
    expect(sent[0]?.subject).toContain('[Absender] Bestellungen');
    expect(events.length).toBeGreaterThan(report.steps.length); // pushed live, step by step
    const cold = emulator.requests().map((r) => `${r.host} ${r.method} ${r.path}`);
    expect(cold.filter((r) => r.startsWith('login'))).toEqual([`login POST /${DEMO.tenantId}/oauth2/v2.0/token`]);

    emulator.clearRequests();
    const warm = await api.tests.run({ profileId: profile.id });
    expect(step(warm, 'token')?.messageKey).toBe('steps.token.cached');
    expect(emulator.requests().filter((r) => r.host === 'login')).toEqual([]);
    expect(emulator.requests().filter((r) => r.host === 'graph')).toHaveLength(1);
    expect((await api.profiles.list())[0]?.lastTest?.outcome).toBe(warm.outcome);
  });

  it.each([
    ['wrong secret', { secret: 'Wr0ng~SecretValue.abcdefghijklmnopqrstuv' }, 'token', 'aad-secret-invalid', 'AADSTS7000215'],
    ['Secret ID instead of value', { secret: app.secretId }, 'token', 'aad-secret-id-pasted', 'AADSTS7000215'],
    ['expired secret', { secret: app.expiredSecretValue }, 'token', 'aad-secret-expired', 'AADSTS7000222'],
    ['unknown tenant', { tenant: DEMO.unknownTenantId }, 'token', 'aad-tenant-not-found', 'AADSTS90002'],
    ['unknown app', { clientId: DEMO.unknownClientId }, 'token', 'aad-app-not-found', 'AADSTS700016'],
  ])('%s: the failing step names the fix and the raw code', async (_name, patch, failedStep, diagnosis, code) => {
    const { api, logger } = core();
    const profile = await profileWith(api, patch);
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: sender });
    expect(report.outcome).toBe('failed');
    const failed = step(report, failedStep);
    expect(failed).toMatchObject({ status: 'failed', messageKey: `diagnostics:${diagnosis}.title`, code });
    expect(failed?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failed?.timestamp).toBeTruthy();
    expect(step(report, 'login')?.status).toBe('ok');
    expect(step(report, 'send')).toMatchObject({ status: 'skipped', messageKey: 'steps.skipped.noToken' });
    expect(emulator.sentMessages()).toEqual([]);
    const secret = 'secret' in patch ? patch.secret : app.secretValue;
    expect(JSON.stringify(report) + logger.lines.join('\n')).not.toContain(secret.slice(3));
  });

  it('mailbox outside the access policy: the restriction probe reports the app as restricted', async () => {
    const { api } = core();
    const profile = await profileWith(api);
    const report = await api.tests.run({ profileId: profile.id, restrictionProbeMailbox: DEMO.otherMailbox.upn });
    expect(step(report, 'probe')).toMatchObject({
      status: 'ok',
      messageKey: 'diagnostics:probe-restricted.title',
      code: 'ErrorAccessDenied',
    });
    expect(emulator.sentMessages()).toEqual([]);
  });

  it('an unrestricted app with broad roles is flagged, and the probe warns', async () => {
    const { api } = core();
    const profile = await profileWith(api, { clientId: DEMO.broadApp.clientId, secret: DEMO.broadApp.secretValue });
    const report = await api.tests.run({ profileId: profile.id, restrictionProbeMailbox: DEMO.otherMailbox.upn });
    expect(step(report, 'claims')).toMatchObject({ status: 'warning', messageKey: 'steps.claims.broadRoles' });
    // The role sending never needs is named; Mail.ReadWrite is not one (drafts need it).
    expect(step(report, 'claims')?.params['roles']).toBe('User.Read.All');
    expect(step(report, 'probe')).toMatchObject({ status: 'warning', messageKey: 'diagnostics:probe-not-restricted.title' });
    expect(report.outcome).toBe('warning');
  });

  it('the drafts app (Mail.Send + Mail.ReadWrite) is not told to drop Mail.ReadWrite: tenant-wide until Exchange shows the restriction', async () => {
    const { api } = core();
    const profile = await profileWith(api, { clientId: DEMO.draftApp.clientId, secret: DEMO.draftApp.secretValue });
    const unprobed = await api.tests.run({ profileId: profile.id });
    expect(step(unprobed, 'claims')).toMatchObject({
      status: 'warning',
      messageKey: 'steps.claims.tenantWideDrafts',
      params: { roles: 'Mail.Send, Mail.ReadWrite' },
    });
    const probed = await api.tests.run({ profileId: profile.id, restrictionProbeMailbox: DEMO.otherMailbox.upn });
    expect(step(probed, 'probe')).toMatchObject({ status: 'ok', messageKey: 'diagnostics:probe-restricted.title' });
    expect(step(probed, 'claims')).toMatchObject({ status: 'ok', messageKey: 'steps.claims.tenantWideDraftsButRestricted' });
  });

  // OA-10: 429 waits per Retry-After.
  it('429 with Retry-After is honoured, then the message is sent once', async () => {
    const { api } = core();
    const profile = await profileWith(api);
    emulator.setFault({
      match: { host: 'graph', path: '/sendMail' },
      action: { type: 'status', status: 429, retryAfterSeconds: 1 },
      times: 1,
    });
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: sender });
    expect(step(report, 'send')?.status).toBe('ok');
    const sends = emulator.requests().filter((r) => r.path.endsWith('/sendMail'));
    expect(sends.map((r) => r.status)).toEqual([429, 202]);
    expect((sends[1]?.startedAt ?? 0) - (sends[0]?.endedAt ?? 0)).toBeGreaterThanOrEqual(900);
    expect(emulator.sentMessages()).toHaveLength(1);
  });

  // OA-10: the wait is capped.
  it('a Retry-After beyond the cap is not waited out: the step ends at once with the throttling advice', async () => {
    const { api } = core();
    const profile = await profileWith(api);
    emulator.setFault({
      match: { host: 'graph', path: '/sendMail' },
      action: { type: 'status', status: 429, retryAfterSeconds: 170 },
    });
    const started = Date.now();
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: sender });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(step(report, 'send')).toMatchObject({ status: 'failed', httpStatus: 429 });
    expect(emulator.requests().filter((r) => r.path.endsWith('/sendMail'))).toHaveLength(1);
  });

  // OA-10: sendMail is never retried blindly.
  it('503 on sendMail is not retried blindly: the result says the message may have been sent', async () => {
    const { api } = core();
    const profile = await profileWith(api);
    emulator.setFault({ match: { host: 'graph', path: '/sendMail' }, action: { type: 'status', status: 503 } });
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: sender });
    expect(step(report, 'send')).toMatchObject({
      status: 'failed',
      messageKey: 'diagnostics:graph-send-outcome-unknown.title',
      httpStatus: 503,
    });
    expect(emulator.requests().filter((r) => r.path.endsWith('/sendMail'))).toHaveLength(1);
  });

  it('a hung token endpoint ends in a clear timeout, never a spinner forever', async () => {
    const { api } = core({ timeoutMs: 1500 });
    const profile = await profileWith(api);
    emulator.setFault({ match: { host: 'login', path: '/oauth2/v2.0/token' }, action: { type: 'hang' } });
    const started = Date.now();
    const report = await api.tests.run({ profileId: profile.id });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(step(report, 'login')).toMatchObject({ status: 'failed', messageKey: 'diagnostics:net-timeout.title' });
    expect(step(report, 'login')?.params['host']).toContain('localhost');
  });

  it('mailbox without Exchange Online: the test message step says so', async () => {
    const { api } = core();
    const profile = await profileWith(api, {
      clientId: DEMO.broadApp.clientId,
      secret: DEMO.broadApp.secretValue,
      mailbox: DEMO.unlicensedUser.upn,
    });
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: sender });
    expect(step(report, 'send')).toMatchObject({
      status: 'failed',
      messageKey: 'diagnostics:graph-mailbox-not-enabled.title',
      code: 'MailboxNotEnabledForRESTAPI',
    });
  });

  it('a mailbox that does not exist fails the mailbox step and no message is attempted', async () => {
    const { api } = core();
    const missing = `niemand@${DEMO.tenantDomain}`;
    const profile = await profileWith(api, {
      clientId: DEMO.broadApp.clientId,
      secret: DEMO.broadApp.secretValue,
      mailbox: missing,
    });
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: sender });
    expect(step(report, 'mailbox')?.status).toBe('failed');
    expect(step(report, 'send')).toMatchObject({ status: 'skipped', messageKey: 'steps.skipped.mailboxMissing' });
    expect(emulator.requests().filter((r) => r.path.endsWith('/sendMail'))).toEqual([]);
  });

  it('trusts an extra CA given in the settings, without NODE_EXTRA_CA_CERTS', async () => {
    const ca = createCa();
    const other = await startEmulator({ ca });
    try {
      const make = (extraCaPem?: string) =>
        createTestCore({
          clock: { now: () => new Date() },
          network: { endpoints: emulatorEndpoints(other) },
          ...(extraCaPem ? { extraCaPem } : {}),
        }).api;
      const untrusting = make();
      const p1 = await profileWith(untrusting);
      expect(step(await untrusting.tests.run({ profileId: p1.id }), 'login')).toMatchObject({
        status: 'failed',
        messageKey: 'diagnostics:net-tls-untrusted.title',
      });
      const trusting = make(ca.caCertPem);
      const p2 = await profileWith(trusting);
      expect(step(await trusting.tests.run({ profileId: p2.id, testMessageTo: sender }), 'send')?.status).toBe('ok');
    } finally {
      await other.close();
    }
  });
});
