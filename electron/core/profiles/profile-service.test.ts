import { describe, expect, it } from 'vitest';
import { ProfileView } from '../../../shared/domain';
import { createTestCore, VALID_DRAFT } from '../testing/core-fixture';

const CANARY = 'Zq7~Canary_SecretValue.abcdefghijklmnopqr';

describe('profiles through the core API', () => {
  // DS-2: the profile holds a hint, the secret is a separate ciphertext.
  it('saves a client-secret profile: secret encrypted apart, hint of three characters in the view', async () => {
    const { api, stores } = createTestCore();
    const saved = await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: `  ${CANARY}\n` });
    expect(ProfileView.parse(saved)).toEqual(saved);
    expect(saved.secret).toEqual({ hasSecret: true, secretHint: 'Zq7', secretExpiresOn: '2027-06-30' });
    expect(JSON.stringify(saved)).not.toContain(CANARY.slice(3));
    expect(stores.profiles.dump()).not.toContain(CANARY.slice(3));
    expect(stores.secrets.dump()).not.toContain(CANARY);
    expect(await api.profiles.list()).toEqual([saved]);
  });

  // Issue 11: a Secret ID saved despite the paste warning stays flagged on the profile.
  it('flags a secret saved although it looks like the Secret ID; edits keep the flag, a new value or another type drops it', async () => {
    const clock = { now: () => new Date('2026-11-29T10:00:00Z') };
    const { api } = createTestCore({ clock });
    const secretId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const saved = await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: ` ${secretId} ` });
    expect(saved.secret.issue).toEqual({ kind: 'secret-id', at: '2026-11-29T10:00:00.000Z' });
    const renamed = await api.profiles.save({ draft: { ...VALID_DRAFT, id: saved.id, revision: saved.revision, name: 'X' } });
    expect(renamed.secret.issue?.kind).toBe('secret-id');
    const fixed = await api.profiles.save({
      draft: { ...VALID_DRAFT, id: saved.id, revision: renamed.revision },
      clientSecret: CANARY,
    });
    expect(fixed.secret.issue).toBeUndefined();
    expect(ProfileView.parse(fixed)).toEqual(fixed);
    const again = await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: secretId });
    const modern = await api.profiles.save({
      draft: { ...VALID_DRAFT, id: again.id, revision: again.revision, accountType: 'modern-auth' },
    });
    expect(modern.secret).toEqual({ hasSecret: false, secretHint: null, secretExpiresOn: null });
  });

  // DS-8: a stale save is refused.
  it('refuses a stale revision and overwrites nothing', async () => {
    const { api, stores } = createTestCore();
    const first = await api.profiles.save({ draft: { ...VALID_DRAFT } });
    await api.profiles.save({ draft: { ...VALID_DRAFT, id: first.id, revision: first.revision, name: 'Neu' } });
    const before = stores.profiles.dump();
    await expect(
      api.profiles.save({ draft: { ...VALID_DRAFT, id: first.id, revision: first.revision, name: 'Alt' } }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(
      api.profiles.save({ draft: { ...VALID_DRAFT, id: first.id, revision: first.revision }, clientSecret: 'x-new' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(stores.profiles.dump()).toBe(before);
    expect(stores.secrets.data.size).toBe(0);
  });

  // DS-4: a failed write is a typed error; the stored profile stays.
  it('keeps the old profile when the write fails, and says why', async () => {
    const { api, stores } = createTestCore();
    const first = await api.profiles.save({ draft: { ...VALID_DRAFT } });
    const before = stores.profiles.dump();
    stores.profiles.failNextWrite = Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' });
    await expect(
      api.profiles.save({ draft: { ...VALID_DRAFT, id: first.id, revision: first.revision, name: 'X' } }),
    ).rejects.toMatchObject({
      code: 'storage-write-failed',
      params: { reason: 'disk-full' },
    });
    expect(stores.profiles.dump()).toBe(before);
  });

  // DS-6: secret first, then the profile that references it.
  it('writes the secret before the profile (a failed profile write leaves only a collectable orphan)', async () => {
    const { api, stores } = createTestCore();
    stores.profiles.failNextWrite = Object.assign(new Error('EROFS'), { code: 'EROFS' });
    await expect(api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: CANARY })).rejects.toMatchObject({
      code: 'storage-write-failed',
    });
    expect(stores.secrets.data.size).toBe(1);
    expect(await api.profiles.list()).toEqual([]);
  });

  // DS-7: a deleted profile leaves no secret.
  it('deletes the secret with the profile', async () => {
    const { api, stores } = createTestCore();
    const saved = await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: CANARY });
    await api.profiles.delete({ id: saved.id, revision: saved.revision });
    expect(await api.profiles.list()).toEqual([]);
    expect(stores.secrets.get('records')).toEqual({});
  });

  it('switching to Modern Authentication drops the client secret; duplicate copies without the secret', async () => {
    const { api, stores } = createTestCore();
    const saved = await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: CANARY });
    const copy = await api.profiles.duplicate({ id: saved.id });
    expect(copy.secret.hasSecret).toBe(false);
    expect(copy.name).toBe('Bestellungen (2)');
    const modern = await api.profiles.save({
      draft: { ...VALID_DRAFT, id: saved.id, revision: saved.revision, accountType: 'modern-auth' },
    });
    expect(modern.secret).toEqual({ hasSecret: false, secretHint: null, secretExpiresOn: null });
    expect(modern.mailboxAddress).toBe('');
    expect(stores.secrets.get('records')).toEqual({});
  });

  it('a refused or failed save leaves the stored secret as it was (no half-saved secret)', async () => {
    const { api, stores, cipher } = createTestCore();
    const first = await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: 'OLD-secret-value-0123456789' });
    const before = stores.secrets.dump();
    // Two saves from the same revision: one wins, the other is refused and must not leave its secret.
    const results = await Promise.allSettled([
      api.profiles.save({
        draft: { ...VALID_DRAFT, id: first.id, revision: first.revision },
        clientSecret: 'AAA-secret-value-0123456789',
      }),
      api.profiles.save({
        draft: { ...VALID_DRAFT, id: first.id, revision: first.revision },
        clientSecret: 'BBB-secret-value-0123456789',
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    const [winner] = await api.profiles.list();
    expect(winner?.secret.secretHint).toBe('AAA');
    // The test cipher is reversible: read what tonight's batch job would use.
    const storedSecret = async (): Promise<string> => {
      const records = stores.secrets.get('records') as Record<string, { ciphertextB64: string }>;
      const ciphertext = Buffer.from(records[`clientSecret:${first.id}`]?.ciphertextB64 ?? '', 'base64');
      return (await cipher.decrypt(ciphertext)).plaintext;
    };
    expect(stores.secrets.dump()).not.toBe(before);
    expect(await storedSecret()).toBe('AAA-secret-value-0123456789');

    // A profile write that fails after the secret was written puts the previous secret back.
    const afterWin = stores.secrets.dump();
    stores.profiles.failNextWrite = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    await expect(
      api.profiles.save({
        draft: { ...VALID_DRAFT, id: first.id, revision: winner?.revision ?? 0 },
        clientSecret: 'NEW-secret-value-0123456789',
      }),
    ).rejects.toMatchObject({ code: 'storage-write-failed' });
    expect(stores.secrets.dump()).toBe(afterWin);
    expect(await storedSecret()).toBe('AAA-secret-value-0123456789');
  });
});
