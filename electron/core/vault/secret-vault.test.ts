import { describe, expect, it } from 'vitest';
import { InMemoryCipher, InMemoryStore } from '../testing/in-memory';
import { SecretVault } from './secret-vault';

const CANARY = 'Qx8~CANARY.secret-value_1234567890abcdEFGH';

describe('SecretVault', () => {
  it('stores only ciphertext and decrypts again on every use (no plaintext cache)', async () => {
    const store = new InMemoryStore();
    const cipher = new InMemoryCipher();
    const vault = new SecretVault(store, cipher, () => false);
    await vault.set('p1', 'clientSecret', CANARY);
    expect(store.dump()).not.toContain(CANARY);
    expect(await vault.withSecret('p1', 'clientSecret', (s) => Promise.resolve(s))).toBe(CANARY);
    expect(await vault.withSecret('p1', 'clientSecret', (s) => Promise.resolve(s.length))).toBe(CANARY.length);
    expect(cipher.decryptCalls).toBe(2);
  });

  it('refuses to persist with a weak backend unless the admin accepted the risk', async () => {
    let accepted = false;
    const store = new InMemoryStore();
    const vault = new SecretVault(store, new InMemoryCipher('basic_text', false), () => accepted);
    await expect(vault.set('p1', 'clientSecret', CANARY)).rejects.toMatchObject({
      code: 'encryption-unavailable',
      params: { backend: 'basic_text' },
    });
    expect(store.data.size).toBe(0);
    accepted = true;
    await vault.set('p1', 'clientSecret', CANARY);
    expect(vault.has('p1', 'clientSecret')).toBe(true);
  });

  it('reports a corrupted ciphertext as unreadable for that profile only', async () => {
    const store = new InMemoryStore();
    const vault = new SecretVault(store, new InMemoryCipher(), () => false);
    await vault.set('p1', 'clientSecret', 'one');
    await vault.set('p2', 'clientSecret', 'two');
    const records = store.get('records') as Record<string, { ciphertextB64: string }>;
    const damaged = records['clientSecret:p1'];
    if (damaged) damaged.ciphertextB64 = Buffer.from('garbage').toString('base64');
    store.set('records', records);
    await expect(vault.withSecret('p1', 'clientSecret', (s) => Promise.resolve(s))).rejects.toMatchObject({
      code: 'secret-unreadable',
    });
    expect(await vault.withSecret('p2', 'clientSecret', (s) => Promise.resolve(s))).toBe('two');
  });

  it('reports a secret encrypted under another key as unreadable, and loses nothing else', async () => {
    const store = new InMemoryStore();
    await new SecretVault(store, new InMemoryCipher(), () => false).set('p1', 'clientSecret', 'one');
    const otherKey = new InMemoryCipher();
    otherKey.decrypt = () => Promise.reject(new Error('mac check failed'));
    const vault = new SecretVault(store, otherKey, () => false);
    await expect(vault.withSecret('p1', 'clientSecret', (s) => Promise.resolve(s))).rejects.toMatchObject({
      code: 'secret-unreadable',
    });
    expect(vault.has('p1', 'clientSecret')).toBe(true);
  });

  it('deletes all records of a profile and collects orphans', async () => {
    const store = new InMemoryStore();
    const vault = new SecretVault(store, new InMemoryCipher(), () => false);
    await vault.set('p1', 'clientSecret', 'a');
    await vault.set('p1', 'tokenCache', 'b');
    await vault.set('p2', 'clientSecret', 'c');
    await vault.set('gone', 'clientSecret', 'd');
    vault.deleteAll('p1');
    expect(vault.has('p1', 'clientSecret') || vault.has('p1', 'tokenCache')).toBe(false);
    expect(vault.collectOrphans(new Set(['p2']))).toBe(1);
    expect(vault.has('p2', 'clientSecret')).toBe(true);
    expect(vault.has('gone', 'clientSecret')).toBe(false);
  });
});

describe('SecretVault across keyrings (SS-4)', () => {
  it('does not try to decrypt a record from another backend, keeps it, and names both backends', async () => {
    const store = new InMemoryStore();
    await new SecretVault(store, new InMemoryCipher('gnome_libsecret'), () => false).set('p1', 'clientSecret', 'one');
    const before = store.dump();
    const now = new InMemoryCipher('basic_text', false);
    const vault = new SecretVault(store, now, () => true);
    await expect(vault.withSecret('p1', 'clientSecret', (s) => Promise.resolve(s))).rejects.toMatchObject({
      code: 'secret-unreadable',
      params: { previousBackend: 'gnome_libsecret', backend: 'basic_text' },
    });
    expect(now.decryptCalls).toBe(0);
    expect(store.dump()).toBe(before);
  });
});
