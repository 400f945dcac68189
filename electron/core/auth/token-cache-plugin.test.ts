import { TokenCacheContext, type ISerializableTokenCache } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { InMemoryCipher, InMemoryStore, MemoryLogger } from '../testing/in-memory';
import { SecretVault } from '../vault/secret-vault';
import { VaultCachePlugin } from './token-cache-plugin';

/** A stand-in for MSAL's TokenCache: what the plugin deserializes into, and what it serializes. */
class FakeCache implements ISerializableTokenCache {
  state = '';
  deserialize(cache: string): void {
    this.state = cache;
  }
  serialize(): string {
    return this.state;
  }
}

const CACHE = JSON.stringify({ RefreshToken: { k: { secret: '1.refresh-token-value' } } });

function setup() {
  const store = new InMemoryStore();
  const cipher = new InMemoryCipher();
  const vault = new SecretVault(store, cipher, () => false);
  const plugin = new VaultCachePlugin(vault, 'p1', new MemoryLogger());
  const cache = new FakeCache();
  const ctx = (changed: boolean) => new TokenCacheContext(cache, changed);
  return { store, cipher, vault, plugin, cache, ctx };
}

// OA-6: the token cache lives in the vault, written only on a change.
describe('VaultCachePlugin', () => {
  it('loads an explicit empty cache when nothing is stored (MSAL keeps memory on an empty string)', async () => {
    const { plugin, cache, ctx } = setup();
    cache.state = 'stale in-memory state';
    await plugin.beforeCacheAccess(ctx(false));
    expect(JSON.parse(cache.state)).toEqual({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} });
  });

  it('writes only when MSAL reports a change, encrypted, and reads it back', async () => {
    const { plugin, cache, ctx, store, cipher } = setup();
    cache.state = CACHE;
    await plugin.afterCacheAccess(ctx(false));
    expect(store.dump()).toBe('');
    await plugin.afterCacheAccess(ctx(true));
    expect(store.dump()).not.toContain('refresh-token-value');
    expect(store.dump()).not.toContain('RefreshToken');
    cache.state = '';
    await plugin.beforeCacheAccess(ctx(false));
    expect(cache.state).toBe(CACHE);
    expect(cipher.decryptCalls).toBe(1);
  });

  it('holds writes back until commit, and discard leaves the stored cache untouched', async () => {
    const { plugin, cache, ctx, vault } = setup();
    plugin.hold();
    cache.state = CACHE;
    await plugin.afterCacheAccess(ctx(true));
    expect(vault.has('p1', 'tokenCache')).toBe(false);
    cache.state = '';
    await plugin.beforeCacheAccess(ctx(false)); // MSAL sees its own held write
    expect(cache.state).toBe(CACHE);
    plugin.discard();
    await plugin.beforeCacheAccess(ctx(false));
    expect(JSON.parse(cache.state)).toHaveProperty('Account', {});
    expect(vault.has('p1', 'tokenCache')).toBe(false);

    plugin.hold();
    cache.state = CACHE;
    await plugin.afterCacheAccess(ctx(true));
    await plugin.commit();
    expect(vault.has('p1', 'tokenCache')).toBe(true);
    cache.state = CACHE.replace('value', 'rotated');
    await plugin.afterCacheAccess(ctx(true)); // writing through again
    cache.state = '';
    await plugin.beforeCacheAccess(ctx(false));
    expect(cache.state).toContain('rotated');
  });

  // SS-6: an unreadable cache is no cache, not a crash.
  it('treats an unreadable cache as signed out instead of failing', async () => {
    const { plugin, cache, ctx, store } = setup();
    store.set('records', {
      'tokenCache:p1': { ciphertextB64: Buffer.from('garbage').toString('base64'), backend: 'test', v: 1 },
    });
    await plugin.beforeCacheAccess(ctx(false));
    expect(JSON.parse(cache.state)).toHaveProperty('RefreshToken', {});
  });

  // SS-3: the token cache follows the same opt-in rule.
  it('refuses to store without OS encryption the admin has not accepted', async () => {
    const store = new InMemoryStore();
    const vault = new SecretVault(store, new InMemoryCipher('basic_text', false), () => false);
    const plugin = new VaultCachePlugin(vault, 'p1', new MemoryLogger());
    const cache = new FakeCache();
    cache.state = CACHE;
    await expect(plugin.afterCacheAccess(new TokenCacheContext(cache, true))).rejects.toMatchObject({
      code: 'encryption-unavailable',
    });
    expect(store.dump()).toBe('');
  });
});
