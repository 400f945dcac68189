import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import type { ProfileDraft } from '../../../shared/domain';
import type { TestReport } from '../../../shared/ipc/contract';
import type { Clock } from '../ports';
import { createTestCore } from '../testing/core-fixture';
import { emulatorEndpoints } from '../testing/emulator-endpoints';

// Renewal with overlap and the way from a client secret to a certificate: the successor is created and
// tested while the stored credential stays in use, and only a successor that got a token replaces it.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());

const clock: Clock = { now: () => new Date() };
const tokenStep = (report: TestReport) => report.steps.find((s) => s.id === 'token');

const draft = (accountType: ProfileDraft['accountType'], clientId: string, name: string): ProfileDraft => ({
  name,
  accountType,
  senderAddress: DEMO.sender.upn,
  mailboxAddress: DEMO.sender.upn,
  clientId,
  tenant: DEMO.tenantId,
  secretExpiresOn: '',
});

function core() {
  return createTestCore({ clock, network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 10_000, maxRetries: 2 } });
}

describe('the next certificate (overlap)', () => {
  it('renewal: next is tested while the old one stays current, switch only after a token, old thumbprint reported', async () => {
    const app = DEMO.rbacApp;
    const { api, stores } = core();
    const saved = await api.profiles.save({ draft: draft('client-certificate', app.clientId, 'Erneuern') });
    const first = await api.certificates.create({ profileId: saved.id, revision: saved.revision });
    const old = first.certificate;
    emulator.registerCertificate(app.clientId, old?.certPem ?? '');

    const withNext = await api.certificates.create({ profileId: saved.id, revision: first.revision, slot: 'next' });
    expect(withNext.certificate).toEqual(old);
    const next = withNext.certificateNext;
    expect(next?.thumbprintSha256).not.toBe(old?.thumbprintSha256);
    expect(stores.secrets.get('records')).toHaveProperty(`certificateKeyNext:${saved.id}`);
    const exported = await api.certificates.export({ profileId: saved.id, format: 'pem', slot: 'next' });
    expect(exported.thumbprintSha256).toBe(next?.thumbprintSha256);

    // Not yet uploaded: the successor's test fails with 700027 and its own thumbprint; nothing switches.
    const unregistered = await api.certificates.testNext({ profileId: saved.id });
    expect(tokenStep(unregistered)).toMatchObject({
      status: 'failed',
      code: 'AADSTS700027',
      params: { thumbprint: next?.thumbprintSha256 },
    });
    const refused = await api.certificates.switchNext({ profileId: saved.id, revision: withNext.revision });
    expect(refused.outcome).toBe('rejected');
    const still = (await api.profiles.list())[0];
    expect(still?.certificate?.thumbprintSha256).toBe(old?.thumbprintSha256);
    expect(still?.lastTest).toBeNull(); // a candidate's test is not the profile's test
    expect(tokenStep(await api.tests.run({ profileId: saved.id }))?.status).toBe('ok');

    emulator.registerCertificate(app.clientId, next?.certPem ?? '');
    expect(tokenStep(await api.certificates.testNext({ profileId: saved.id }))?.status).toBe('ok');
    const current = (await api.profiles.list())[0];
    const records = () => stores.secrets.get('records') as Record<string, unknown>;
    const nextRecord = records()[`certificateKeyNext:${saved.id}`];
    const switched = await api.certificates.switchNext({ profileId: saved.id, revision: current?.revision ?? -1 });
    expect(switched).toMatchObject({
      outcome: 'switched',
      replaced: { thumbprintSha256: old?.thumbprintSha256, thumbprintSha1: old?.thumbprintSha1 },
      replacedSecretHint: null,
    });
    const after = (await api.profiles.list())[0];
    expect(after?.certificate).toEqual(next);
    expect(after?.certificateNext).toBeUndefined();
    expect(stores.secrets.get('records')).not.toHaveProperty(`certificateKeyNext:${saved.id}`);
    // The successor's ciphertext moved to the current record as it was: the key was never decrypted for it.
    expect(records()[`certificateKey:${saved.id}`]).toEqual(nextRecord);

    // The old one removed in Entra: the profile keeps working with the new key.
    emulator.world.removeCertificate(app.clientId, old?.thumbprintSha256 ?? '');
    expect(tokenStep(await api.tests.run({ profileId: saved.id }))?.status).toBe('ok');
    emulator.world.removeCertificate(app.clientId, next?.thumbprintSha256 ?? '');
  });

  it('secret → certificate keeps IDs and mailbox, and the secret stays until the certificate got a token', async () => {
    const app = DEMO.confidentialApp;
    const { api, stores } = core();
    const saved = await api.profiles.save({
      draft: { ...draft('client-secret', app.clientId, 'Umstieg'), mailboxAddress: DEMO.sender.upn },
      clientSecret: app.secretValue,
    });
    // A certificate profile's slot 'current' is refused for a secret profile.
    await expect(api.certificates.create({ profileId: saved.id, revision: saved.revision })).rejects.toMatchObject({
      code: 'invalid-request',
    });
    const withNext = await api.certificates.create({ profileId: saved.id, revision: saved.revision, slot: 'next' });
    expect(withNext.accountType).toBe('client-secret');
    expect(withNext.secret.secretHint).toBe(saved.secret.secretHint);

    const refused = await api.certificates.switchNext({ profileId: saved.id, revision: withNext.revision });
    expect(refused.outcome).toBe('rejected');
    expect(stores.secrets.get('records')).toHaveProperty(`clientSecret:${saved.id}`);
    expect((await api.profiles.list())[0]?.accountType).toBe('client-secret');

    emulator.registerCertificate(app.clientId, withNext.certificateNext?.certPem ?? '');
    const switched = await api.certificates.switchNext({ profileId: saved.id, revision: withNext.revision });
    expect(switched).toMatchObject({ outcome: 'switched', replaced: null, replacedSecretHint: saved.secret.secretHint });
    const after = (await api.profiles.list())[0];
    expect(after).toMatchObject({
      id: saved.id,
      accountType: 'client-certificate',
      clientId: app.clientId,
      tenant: DEMO.tenantId,
      mailboxAddress: DEMO.sender.upn,
      senderAddress: DEMO.sender.upn,
      certificate: withNext.certificateNext,
      secret: { hasSecret: true, secretHint: null, secretExpiresOn: null },
    });
    expect(stores.secrets.get('records')).not.toHaveProperty(`clientSecret:${saved.id}`);
    expect(tokenStep(await api.tests.run({ profileId: saved.id }))?.status).toBe('ok');
    emulator.world.removeCertificate(app.clientId, withNext.certificateNext?.thumbprintSha256 ?? '');
  });
});
