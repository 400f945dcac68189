import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
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
const WRONG = 'Wr0ng~SecretValue.abcdefghijklmnopqrstuv';

function core() {
  const { api, stores } = createTestCore({
    clock: { now: () => new Date() },
    network: {
      endpoints: emulatorEndpoints(emulator),
      requestTimeoutMs: 10_000,
      maxRetries: 2,
    },
  });
  return { api, stores };
}

async function expiredProfile(api: ReturnType<typeof core>['api']) {
  return api.profiles.save({
    draft: {
      name: 'Bestellungen',
      accountType: 'client-secret',
      senderAddress: DEMO.sender.upn,
      mailboxAddress: DEMO.sender.upn,
      clientId: app.clientId,
      tenant: DEMO.tenantId,
      secretExpiresOn: '2026-01-01',
    },
    clientSecret: app.expiredSecretValue,
  });
}

describe('secrets.renew against the emulator (real MSAL)', () => {
  it('keeps the stored secret when the new value fails its token step', async () => {
    const { api, stores } = core();
    const profile = await expiredProfile(api);
    const secretsBefore = stores.secrets.dump();
    const result = await api.secrets.renew({
      profileId: profile.id,
      revision: profile.revision,
      clientSecret: WRONG,
      expiresOn: '2027-12-31',
    });
    expect(result.outcome).toBe('rejected');
    expect(result.report.steps.find((s) => s.id === 'token')?.status).toBe('failed');
    expect(result.report.profile).toEqual(profile);
    expect(stores.secrets.dump()).toBe(secretsBefore);
    expect(await api.profiles.list()).toEqual([profile]);
  });

  it('stores a working value with its expiry, names the old one, and changes nothing else', async () => {
    const { api } = core();
    const profile = await expiredProfile(api);
    const result = await api.secrets.renew({
      profileId: profile.id,
      revision: profile.revision,
      clientSecret: `  ${app.secretValue}\n`,
      expiresOn: '2027-12-31',
    });
    expect(result).toMatchObject({ outcome: 'renewed', replacedHint: app.expiredSecretValue.slice(0, 3) });
    const renewed = result.report.profile;
    expect(renewed.secret).toEqual({ hasSecret: true, secretHint: app.secretValue.slice(0, 3), secretExpiresOn: '2027-12-31' });
    expect(renewed.revision).toBe(profile.revision + 1);
    expect({ ...renewed, secret: profile.secret, revision: profile.revision, updatedAt: profile.updatedAt }).toEqual(profile);
    expect(await api.profiles.list()).toEqual([renewed]);
    // The stored secret is now the new one: a plain test passes with it.
    const after = await api.tests.run({ profileId: profile.id });
    expect(after.steps.find((s) => s.id === 'token')?.status).toBe('ok');
    expect(after.outcome).not.toBe('failed');
    expect(after.profile.lastTest).toEqual({ at: after.finishedAt, outcome: after.outcome, failedStep: null });
    expect(emulator.sentMessages()).toEqual([]);
  });

  // DS-8: a stale renewal is refused too.
  it('refuses a stale revision before any request is made', async () => {
    const { api } = core();
    const profile = await expiredProfile(api);
    await api.profiles.save({ draft: { ...profileDraft(profile), name: 'Neu' } });
    emulator.clearRequests();
    await expect(
      api.secrets.renew({ profileId: profile.id, revision: profile.revision, clientSecret: app.secretValue, expiresOn: '' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(emulator.requests()).toEqual([]);
    expect((await api.profiles.list())[0]?.secret.secretHint).toBe(app.expiredSecretValue.slice(0, 3));
  });
});

function profileDraft(p: Awaited<ReturnType<typeof expiredProfile>>) {
  return {
    id: p.id,
    revision: p.revision,
    name: p.name,
    accountType: p.accountType,
    senderAddress: p.senderAddress,
    mailboxAddress: p.mailboxAddress,
    clientId: p.clientId,
    tenant: p.tenant,
    secretExpiresOn: p.secret.secretExpiresOn ?? '',
  };
}
