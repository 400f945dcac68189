import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestReport } from '../../../shared/ipc/contract';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { createTestCore, inMemoryStores } from '../testing/core-fixture';
import { emulatorEndpoints } from '../testing/emulator-endpoints';
import { InMemoryCipher } from '../testing/in-memory';

// Issue 11 "one consistent report" / "what a failure taught is kept", issue 15 (RBAC grants are not in `roles`).

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

const sender = DEMO.sender.upn;

function core(stores = inMemoryStores(), cipher = new InMemoryCipher()) {
  const { api } = createTestCore({
    clock: { now: () => new Date() },
    stores,
    cipher,
    network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 10_000, maxRetries: 2 },
  });
  return api;
}

type Api = ReturnType<typeof core>;

function save(api: Api, patch: { app?: { clientId: string }; secret: string; mailbox?: string; id?: string; revision?: number }) {
  return api.profiles.save({
    draft: {
      ...(patch.id !== undefined ? { id: patch.id, revision: patch.revision ?? 0 } : {}),
      name: 'Bestellungen',
      accountType: 'client-secret',
      senderAddress: patch.mailbox ?? sender,
      mailboxAddress: patch.mailbox ?? sender,
      clientId: (patch.app ?? DEMO.confidentialApp).clientId,
      tenant: DEMO.tenantId,
      secretExpiresOn: '',
    },
    clientSecret: patch.secret,
  });
}

const step = (report: TestReport, id: string) => report.steps.find((s) => s.id === id);

describe('one consistent report', () => {
  it('RBAC for Applications: no roles in the token is no error when Exchange accepts the message', async () => {
    const api = core();
    const profile = await save(api, { app: DEMO.rbacApp, secret: DEMO.rbacApp.secretValue });
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: 'einkauf@lieferant.example' });
    expect(step(report, 'send')?.status).toBe('ok');
    expect(step(report, 'claims')).toMatchObject({ status: 'ok', messageKey: 'steps.claims.grantedByExchange' });
    // The message went through the mailbox: it is reachable, whatever reading it says.
    expect(step(report, 'mailbox')).toMatchObject({ status: 'ok', messageKey: 'steps.mailbox.provenBySend', code: null });
    expect(report.outcome).toBe('ok');
  });

  it('a mailbox outside the restriction: the token step no longer says the app may send as every mailbox', async () => {
    const api = core();
    const profile = await save(api, { secret: DEMO.confidentialApp.secretValue, mailbox: DEMO.otherMailbox.upn });
    const report = await api.tests.run({ profileId: profile.id, testMessageTo: sender });
    expect(step(report, 'send')).toMatchObject({ status: 'failed', messageKey: 'diagnostics:graph-mailbox-not-allowed.title' });
    expect(step(report, 'claims')).toMatchObject({ status: 'ok', messageKey: 'steps.claims.tenantWideButRestricted' });
    expect(report.steps.map((s) => s.messageKey)).not.toContain('steps.claims.tenantWide');
    expect(step(report, 'mailbox')).toMatchObject({
      status: 'skipped',
      messageKey: 'steps.mailbox.notReadableSeeSend',
      code: null,
      httpStatus: null,
    });
  });

  it('the restriction probe corrects the tenant-wide warning too', async () => {
    const api = core();
    const profile = await save(api, { secret: DEMO.confidentialApp.secretValue });
    const before = await api.tests.run({ profileId: profile.id });
    expect(step(before, 'claims')).toMatchObject({ status: 'warning', messageKey: 'steps.claims.tenantWide' });
    const after = await api.tests.run({ profileId: profile.id, restrictionProbeMailbox: DEMO.otherMailbox.upn });
    expect(step(after, 'claims')).toMatchObject({ status: 'ok', messageKey: 'steps.claims.tenantWideButRestricted' });
  });

  it('a mailbox Mail.Send may not read, without a test message: skipped, no raw code, a title that fits', async () => {
    const api = core();
    const profile = await save(api, { secret: DEMO.confidentialApp.secretValue });
    const report = await api.tests.run({ profileId: profile.id });
    expect(step(report, 'mailbox')).toMatchObject({
      status: 'skipped',
      messageKey: 'steps.mailbox.notReadable',
      code: null,
      httpStatus: null,
      requestId: null,
      correlationId: null,
    });
  });

  it('login and token come from one request: one duration, on the token step', async () => {
    const api = core();
    const profile = await save(api, { secret: DEMO.confidentialApp.secretValue });
    const ok = await api.tests.run({ profileId: profile.id });
    expect(step(ok, 'login')?.durationMs).toBeNull();
    expect(step(ok, 'token')?.durationMs).toEqual(expect.any(Number));
    const bad = await save(api, { secret: DEMO.confidentialApp.expiredSecretValue, id: profile.id, revision: 1 });
    const failed = await api.tests.run({ profileId: bad.id });
    expect(step(failed, 'login')).toMatchObject({ status: 'ok', durationMs: null });
    expect(step(failed, 'token')?.status).toBe('failed');
    expect(step(failed, 'token')?.durationMs).toEqual(expect.any(Number));
  });
});

describe('what a failure taught is kept', () => {
  it('AADSTS7000222 marks the stored secret expired, across a restart, until the secret gets a token', async () => {
    const stores = inMemoryStores();
    const cipher = new InMemoryCipher();
    const api = core(stores, cipher);
    const profile = await save(api, { secret: DEMO.confidentialApp.expiredSecretValue });
    expect(profile.secret.issue).toBeUndefined();
    const report = await api.tests.run({ profileId: profile.id });
    expect(step(report, 'token')?.code).toBe('AADSTS7000222');
    expect(report.profile.secret.issue?.kind).toBe('expired');

    const restarted = core(stores, cipher);
    const [again] = await restarted.profiles.list();
    expect(again?.secret.issue).toMatchObject({ kind: 'expired', at: report.finishedAt });
    // An edit that keeps the secret keeps what Entra said about it.
    const edited = await restarted.profiles.save({
      draft: {
        id: profile.id,
        revision: again?.revision ?? 0,
        name: 'Bestellungen (neu)',
        accountType: 'client-secret',
        senderAddress: sender,
        mailboxAddress: sender,
        clientId: DEMO.confidentialApp.clientId,
        tenant: DEMO.tenantId,
        secretExpiresOn: '2026-01-31',
      },
    });
    expect(edited.secret.issue?.kind).toBe('expired');

    const renewed = await save(restarted, {
      secret: DEMO.confidentialApp.secretValue,
      id: profile.id,
      revision: edited.revision,
    });
    expect(renewed.secret.issue).toBeUndefined();
    expect((await restarted.tests.run({ profileId: profile.id })).profile.secret.issue).toBeUndefined();
  });

  it('a Secret ID saved anyway keeps its warning through failed tests and a restart; a token clears it', async () => {
    const stores = inMemoryStores();
    const cipher = new InMemoryCipher();
    const api = core(stores, cipher);
    const profile = await save(api, { secret: DEMO.confidentialApp.secretId });
    expect(profile.secret.issue?.kind).toBe('secret-id');
    const failed = await api.tests.run({ profileId: profile.id });
    expect(step(failed, 'token')?.messageKey).toBe('diagnostics:aad-secret-id-pasted.title');
    expect(failed.profile.secret.issue?.kind).toBe('secret-id');

    const restarted = core(stores, cipher);
    expect((await restarted.profiles.list())[0]?.secret.issue?.kind).toBe('secret-id');
    const fixed = await save(restarted, { secret: DEMO.confidentialApp.secretValue, id: profile.id, revision: profile.revision });
    expect(fixed.secret.issue).toBeUndefined();
    expect((await restarted.tests.run({ profileId: profile.id })).outcome).not.toBe('failed');
  });

  it('a renewal candidate that fails teaches nothing about the stored secret', async () => {
    const api = core();
    const profile = await save(api, { secret: DEMO.confidentialApp.secretValue });
    const result = await api.secrets.renew({
      profileId: profile.id,
      revision: profile.revision,
      clientSecret: DEMO.confidentialApp.expiredSecretValue,
      expiresOn: '2028-05-24',
    });
    expect(result.outcome).toBe('rejected');
    expect((await api.profiles.list())[0]?.secret.issue).toBeUndefined();
  });
});
