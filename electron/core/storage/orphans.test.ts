import { describe, expect, it } from 'vitest';
import { InMemoryCipher, InMemoryStore } from '../testing/in-memory';
import { SecretVault } from '../vault/secret-vault';
import { collectOrphanSecrets } from './orphans';

async function vaultWith(...profileIds: string[]) {
  const store = new InMemoryStore();
  const vault = new SecretVault(store, new InMemoryCipher(), () => false);
  for (const id of profileIds) await vault.set(id, 'clientSecret', `secret-of-${id}`);
  return { store, vault };
}

describe('collectOrphanSecrets (DS-6, load-time half)', () => {
  it('deletes ciphertexts whose profile is gone after a clean load', async () => {
    const { vault } = await vaultWith('live', 'crashed');
    expect(collectOrphanSecrets({ profilesState: 'ok', liveProfileIds: () => ['live'], vault })).toEqual({ removed: 1 });
    expect(vault.has('live', 'clientSecret')).toBe(true);
    expect(vault.has('crashed', 'clientSecret')).toBe(false);
  });

  it.each(['restored-from-backup', 'started-empty', 'journal-damaged'] as const)(
    'keeps every secret when profiles were %s',
    async (state) => {
      const { vault } = await vaultWith('newer-than-backup');
      expect(collectOrphanSecrets({ profilesState: state, liveProfileIds: () => [], vault })).toEqual({
        skipped: 'profiles-not-loaded-cleanly',
      });
      expect(vault.has('newer-than-backup', 'clientSecret')).toBe(true);
    },
  );

  it('a failed write is the typed storage error', async () => {
    const { store, vault } = await vaultWith('gone');
    store.failNextWrite = Object.assign(new Error('full'), { code: 'ENOSPC' });
    expect(() => collectOrphanSecrets({ profilesState: 'ok', liveProfileIds: () => [], vault })).toThrow(
      expect.objectContaining({ code: 'storage-write-failed' }),
    );
  });
});
