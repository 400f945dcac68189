import { describe, expect, it } from 'vitest';
import { channelOf } from '../../../shared/ipc/manifest';
import { createTestCore, VALID_DRAFT } from '../testing/core-fixture';

describe('secrets.renew without a network', () => {
  it('refuses a Modern Authentication profile: it has no client secret to replace', async () => {
    const { api } = createTestCore();
    const profile = await api.profiles.save({ draft: { ...VALID_DRAFT, accountType: 'modern-auth', mailboxAddress: '' } });
    await expect(
      api.secrets.renew({ profileId: profile.id, revision: profile.revision, clientSecret: 'x~new', expiresOn: '' }),
    ).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('refuses a value of blanks only, at the secret field', async () => {
    const { api } = createTestCore();
    const profile = await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: 'abc~old' });
    await expect(
      api.secrets.renew({ profileId: profile.id, revision: profile.revision, clientSecret: ' \n ', expiresOn: '' }),
    ).rejects.toMatchObject({ code: 'invalid-request', fields: { clientSecret: 'validation.secretRequired' } });
  });

  // SH-1: secrets go in write-only, through one method.
  it('is the only way a candidate secret crosses IPC: tests.run refuses one', async () => {
    const { handlers } = createTestCore();
    const run = handlers.get(channelOf('tests', 'run'));
    expect(await run?.({ profileId: 'a', candidateSecret: 'x~new' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    const renew = handlers.get(channelOf('secrets', 'renew'));
    expect(await renew?.({ profileId: 'a', revision: 1, clientSecret: 'x~new', expiresOn: '31.12.2027' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });
});
