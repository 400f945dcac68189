import { describe, expect, it } from 'vitest';
import { CipherUnavailableError } from '../../core/ports';
import { cipherContract } from '../../core/testing/cipher-contract';
import { InMemoryStore } from '../../core/testing/in-memory';
import { SecretVault } from '../../core/vault/secret-vault';
import { fakeSafeStorage, type FakeSafeStorageState } from '../testing/fake-safe-storage';
import { SafeStorageCipher } from './safe-storage-cipher';

const CANARY = 'Qx8~CANARY.secret-value_1234567890abcdEFGH';

async function cipherOn(initial: Partial<FakeSafeStorageState> = {}) {
  const fake = fakeSafeStorage(initial);
  const cipher = await SafeStorageCipher.create(fake.safeStorage, fake.state.platform, { retryDelayMs: 0 });
  return { cipher, ...fake };
}

const storedCiphertext = (store: InMemoryStore, key: string): string =>
  (store.get('records') as Record<string, { ciphertextB64: string; backend: string }>)[key]?.ciphertextB64 ?? '';

describe('SafeStorageCipher availability (SS-2)', () => {
  it.each([
    { platform: 'win32', backend: 'dpapi' },
    { platform: 'darwin', backend: 'keychain' },
    { platform: 'linux', backend: 'gnome_libsecret' },
    { platform: 'linux', backend: 'kwallet' },
    { platform: 'linux', backend: 'kwallet5' },
    { platform: 'linux', backend: 'kwallet6' },
  ] as const)('$platform with $backend is available and named so', async ({ platform, backend }) => {
    const { cipher } = await cipherOn({ platform, backend: platform === 'linux' ? backend : 'basic_text' });
    expect(cipher.isAvailable()).toBe(true);
    expect(cipher.backend()).toBe(backend);
  });

  it('Linux keyring out of reach: async says available (fallback key), the sync check makes it unavailable', async () => {
    const { cipher, safeStorage } = await cipherOn({ backend: 'gnome_libsecret', keyStoreReachable: false });
    expect(await safeStorage.isAsyncEncryptionAvailable()).toBe(true);
    expect(cipher.isAvailable()).toBe(false);
    // The name stays, so records written under it decrypt (and get re-encrypted) once the keyring is back.
    expect(cipher.backend()).toBe('gnome_libsecret');
  });

  it('Linux basic_text is unavailable, even where the sync check would say yes (setUsePlainTextEncryption)', async () => {
    expect((await cipherOn({ backend: 'basic_text', keyStoreReachable: false })).cipher.isAvailable()).toBe(false);
    const plainText = await cipherOn({ backend: 'basic_text', keyStoreReachable: true });
    expect(plainText.cipher.isAvailable()).toBe(false);
    expect(plainText.cipher.backend()).toBe('basic_text');
  });

  it('Linux unknown is unavailable', async () => {
    const { cipher } = await cipherOn({ backend: 'unknown' });
    expect(cipher.isAvailable()).toBe(false);
    expect(cipher.backend()).toBe('unknown');
  });

  // SS-1: before ready, nothing is encrypted.
  it.each(['linux', 'win32', 'darwin'] as const)(
    'created before ready on %s: unavailable, and nothing is encrypted',
    async (platform) => {
      const { cipher, state } = await cipherOn({ platform, ready: false });
      expect(cipher.isAvailable()).toBe(false);
      if (platform === 'linux') expect(cipher.backend()).toBe('unknown');
      await expect(cipher.encrypt(CANARY)).rejects.toThrow(/before app is ready/);
      expect(state.encryptCalls).toBe(0);
    },
  );
});

describe('SafeStorageCipher decrypt', () => {
  it('rejects a ciphertext from another key and one without a v10/v11 prefix', async () => {
    const { cipher } = await cipherOn();
    const other = await cipherOn({ currentKey: 'someone-else' });
    await expect(other.cipher.decrypt(await cipher.encrypt(CANARY))).rejects.toThrow(/Error while decrypting/);
    await expect(cipher.decrypt(Buffer.from(CANARY))).rejects.toThrow(/Error while decrypting/);
  });

  it('rejects an empty ciphertext, which Electron itself would turn into an empty secret (SS-6)', async () => {
    const { cipher, safeStorage } = await cipherOn();
    expect(await safeStorage.decryptStringAsync(Buffer.alloc(0))).toEqual({ shouldReEncrypt: false, result: '' });
    await expect(cipher.decrypt(Buffer.alloc(0))).rejects.toThrow(/empty ciphertext/);
  });

  it('retries a temporarily unavailable key store a bounded number of times (SS-7)', async () => {
    const { cipher, state } = await cipherOn();
    const ciphertext = await cipher.encrypt(CANARY);
    state.temporarilyUnavailable = 2;
    expect(await cipher.decrypt(ciphertext)).toEqual({ plaintext: CANARY, shouldReEncrypt: false });
    expect(state.decryptCalls).toBe(3);
    // Still out of reach after the retries: typed, so a caller keeps what it could not open (the relay's TLS key).
    state.temporarilyUnavailable = 6;
    await expect(cipher.decrypt(ciphertext)).rejects.toThrow(/temporarily unavailable/);
    await expect(cipher.decrypt(ciphertext)).rejects.toBeInstanceOf(CipherUnavailableError);
    expect(state.decryptCalls).toBe(9);
  });

  it('does not retry a wrong key', async () => {
    const { cipher, state } = await cipherOn({ currentKey: 'someone-else' });
    const ciphertext = await (await cipherOn()).cipher.encrypt(CANARY);
    await expect(cipher.decrypt(ciphertext)).rejects.toThrow(/Error while decrypting/);
    expect(state.decryptCalls).toBe(1);
  });
});

describe('SafeStorageCipher under the vault', () => {
  it('a decrypt failure makes only that profile unreadable (SS-5)', async () => {
    const store = new InMemoryStore();
    const { cipher } = await cipherOn();
    const vault = new SecretVault(store, cipher, () => false);
    await vault.set('p1', 'clientSecret', 'one');
    await vault.set('p2', 'clientSecret', 'two');
    const { cipher: otherKey } = await cipherOn({ currentKey: 'after-reinstall' });
    const records = store.get('records') as Record<string, { ciphertextB64: string }>;
    const p1 = records['clientSecret:p1'];
    if (p1) p1.ciphertextB64 = (await otherKey.encrypt('one')).toString('base64');
    store.set('records', records);
    await expect(vault.withSecret('p1', 'clientSecret', (s) => Promise.resolve(s))).rejects.toMatchObject({
      code: 'secret-unreadable',
      params: { profileId: 'p1' },
    });
    expect(await vault.withSecret('p2', 'clientSecret', (s) => Promise.resolve(s))).toBe('two');
  });

  it('after a key rotation the vault rewrites the record once; the next read does not re-encrypt again', async () => {
    const store = new InMemoryStore();
    const { cipher, state } = await cipherOn({ backend: 'kwallet6' });
    const vault = new SecretVault(store, cipher, () => false);
    await vault.set('p1', 'clientSecret', CANARY);
    const before = storedCiphertext(store, 'clientSecret:p1');
    state.retiredKeys.push(state.currentKey);
    state.currentKey = 'key-2';
    expect(await vault.withSecret('p1', 'clientSecret', (s) => Promise.resolve(s))).toBe(CANARY);
    const after = storedCiphertext(store, 'clientSecret:p1');
    expect(after).not.toBe(before);
    expect(store.dump()).not.toContain(CANARY);
    expect((store.get('records') as Record<string, { backend: string }>)['clientSecret:p1']?.backend).toBe('kwallet6');
    // Only the new key opens it now.
    state.retiredKeys = [];
    const encryptsSoFar = state.encryptCalls;
    expect(await vault.withSecret('p1', 'clientSecret', (s) => Promise.resolve(s))).toBe(CANARY);
    expect(state.encryptCalls).toBe(encryptsSoFar);
    expect(storedCiphertext(store, 'clientSecret:p1')).toBe(after);
  });

  it('a secret kept under the fallback key (admin accepted) moves to the keyring once it is reachable', async () => {
    const store = new InMemoryStore();
    const fallback = await cipherOn({ backend: 'gnome_libsecret', keyStoreReachable: false });
    await new SecretVault(store, fallback.cipher, () => true).set('p1', 'tokenCache', CANARY);
    expect(Buffer.from(storedCiphertext(store, 'tokenCache:p1'), 'base64').subarray(0, 3).toString()).toBe('v10');
    const keyring = await cipherOn({ backend: 'gnome_libsecret', keyStoreReachable: true });
    const vault = new SecretVault(store, keyring.cipher, () => false);
    expect(await vault.withSecret('p1', 'tokenCache', (s) => Promise.resolve(s))).toBe(CANARY);
    expect(Buffer.from(storedCiphertext(store, 'tokenCache:p1'), 'base64').subarray(0, 3).toString()).toBe('v11');
  });
});

describe('SafeStorageCipher satisfies the Cipher contract', () => {
  cipherContract({
    make: async () => (await cipherOn()).cipher,
    makeWithOtherKey: async () => (await cipherOn({ currentKey: 'another-user' })).cipher,
    rotate: async () => {
      const { cipher, state, safeStorage } = await cipherOn();
      return {
        before: cipher,
        after: () => {
          state.retiredKeys.push(state.currentKey);
          state.currentKey = 'key-2';
          return SafeStorageCipher.create(safeStorage, 'linux', { retryDelayMs: 0 });
        },
      };
    },
  });
});
