import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AesGcmCipher } from '../../../e2e/hosts/aes-gcm-cipher';
import { openConfStore } from '../testing/conf-store';
import { VALID_DRAFT } from '../../../shared/testing/fixtures';
import { composeTestCore } from '../testing/core-fixture';
import { SecretVault } from '../vault/secret-vault';
import { openStoreFiles } from './store-bootstrap';
import { STORE_FILES } from './store-files';

// DS-7 on real files through conf: after a delete or sign-out, neither the store nor its `.bak.json`
// holds the record, and a start that restores from the backup does not bring it back.

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'absender-ds7-')), 'data');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const cipher = new AesGcmCipher(randomBytes(32));
const SECRET_CANARY = 'Qx8~CANARY-secret-7f3a9d2e-not.a.real.value';
const TOKEN_CANARY = 'CANARY-refresh-token-0b1c2d3e4f5a6b7c8d9e';

/** One app start: the bootstrap's checks, then the core over conf, as both hosts compose it. */
function start() {
  const boot = openStoreFiles({ dir, files: STORE_FILES, open: (n) => openConfStore(dir, n), now: () => new Date() });
  const api = composeTestCore({
    stores: {
      profiles: boot.store('profiles'),
      secrets: boot.store('secrets'),
      settings: boot.store('settings'),
      results: boot.results,
      backups: { profiles: boot.backup('profiles'), secrets: boot.backup('secrets') },
    },
    os: { cipher, clock: { now: () => new Date() } },
  }).api;
  return { boot, api };
}

const file = (name: string): string => readFileSync(join(dir, name), 'utf8');
const records = (name: string): Record<string, { ciphertextB64: string }> =>
  (JSON.parse(file(name)) as { records?: Record<string, { ciphertextB64: string }> }).records ?? {};
const profileIds = (name: string): string[] =>
  Object.keys((JSON.parse(file(name)) as { profiles?: Record<string, unknown> }).profiles ?? {});
const everyFile = (): string =>
  readdirSync(dir)
    .map((f) => `${f}\n${file(f)}`)
    .join('\n');

/** First run: a client-secret profile with the canary secret, a Modern Authentication profile with a token cache. */
async function seed(): Promise<{ secretId: string; modernId: string; ciphertexts: string[] }> {
  const { boot, api } = start();
  const secretProfile = await api.profiles.save({ draft: VALID_DRAFT, clientSecret: SECRET_CANARY });
  const modern = await api.profiles.save({
    draft: { ...VALID_DRAFT, name: 'Lager', accountType: 'modern-auth', mailboxAddress: '', secretExpiresOn: '' },
  });
  // The cache MSAL's plugin writes at sign-in, through the same vault over the same file.
  await new SecretVault(boot.store('secrets'), cipher, () => false).set(
    modern.id,
    'tokenCache',
    JSON.stringify({ RefreshToken: { x: { secret: TOKEN_CANARY } } }),
  );
  const written = records('secrets.json');
  const ciphertexts = [`clientSecret:${secretProfile.id}`, `tokenCache:${modern.id}`].map((k) => written[k]?.ciphertextB64 ?? '');
  expect(ciphertexts.every((c) => c.length > 20)).toBe(true);
  return { secretId: secretProfile.id, modernId: modern.id, ciphertexts };
}

describe('DS-7 deleted means deleted, in the backup too', () => {
  it('delete and sign-out remove the records from the store and its backup; a restore does not bring them back', async () => {
    const { secretId, modernId, ciphertexts } = await seed();

    // Second run: start-up copies the good files to .bak, so the backup now holds both records.
    const { api } = start();
    expect(Object.keys(records('secrets.bak.json')).sort()).toEqual(
      [`clientSecret:${secretId}`, `tokenCache:${modernId}`].sort(),
    );
    expect(profileIds('profiles.bak.json')).toContain(secretId);
    const revision = (await api.profiles.list()).find((p) => p.id === secretId)?.revision ?? 0;
    await api.profiles.delete({ id: secretId, revision });
    await api.signIn.signOut({ profileId: modernId });

    for (const name of ['secrets.json', 'secrets.bak.json']) expect(records(name)).toEqual({});
    expect(profileIds('profiles.json')).toEqual([modernId]);
    expect(profileIds('profiles.bak.json')).toEqual([modernId]);
    const all = everyFile();
    for (const needle of [SECRET_CANARY, TOKEN_CANARY, ...ciphertexts]) expect(all).not.toContain(needle);
    if (process.platform !== 'win32') {
      for (const name of ['secrets.bak.json', 'profiles.bak.json']) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    }
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);

    // Third run, after both store files were damaged: restored from the backups, without the deleted ones.
    writeFileSync(join(dir, 'secrets.json'), '{"records": {');
    writeFileSync(join(dir, 'profiles.json'), '');
    const restored = start();
    expect(restored.boot.results.map((r) => [r.name, r.state])).toEqual([
      ['profiles', 'restored-from-backup'],
      ['secrets', 'restored-from-backup'],
      ['settings', 'ok'],
    ]);
    expect((await restored.api.profiles.list()).map((p) => p.id)).toEqual([modernId]);
    expect(restored.boot.store('secrets').get('records')).toEqual({});
  });

  it('a damaged backup is left alone and the deletion still succeeds', async () => {
    const { secretId } = await seed();
    const { api } = start();
    writeFileSync(join(dir, 'secrets.bak.json'), '{"records": ');
    const revision = (await api.profiles.list()).find((p) => p.id === secretId)?.revision ?? 0;
    await api.profiles.delete({ id: secretId, revision });
    expect(records('secrets.json')[`clientSecret:${secretId}`]).toBeUndefined();
    expect(file('secrets.bak.json')).toBe('{"records": ');
    expect(profileIds('profiles.bak.json')).not.toContain(secretId);
  });
});
