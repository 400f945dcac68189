import { describe, expect, it } from 'vitest';
import { InMemoryCipher, InMemoryStore } from '../testing/in-memory';
import { SecretVault } from './secret-vault';

const CANARY = 'Qx8~CANARY.secret-value_1234567890abcdEFGH';

describe('SecretVault', () => {
  // SH-8, DS-2: plaintext only inside withSecret(), never cached or stored.
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

  // SS-3: no weak persistence without the opt-in.
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

  // SS-5, SS-6: a bad record is no secret, and only its profile is affected.
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

  // SS-5: one unreadable secret loses nothing else.
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

  it('DS-7: every deletion reaches the backup too, with the same keys, also when the store had none left', async () => {
    const backupKeys = ['clientSecret:p1', 'tokenCache:p1', 'clientSecret:p10', 'tokenCache:p2', 'clientSecret:gone'];
    const removed: string[][] = [];
    const backup = {
      removeEntries: (field: string, matches: (key: string) => boolean) => {
        expect(field).toBe('records');
        removed.push(backupKeys.filter(matches));
        return 'removed' as const;
      },
    };
    const vault = new SecretVault(new InMemoryStore(), new InMemoryCipher(), () => false, backup);
    await vault.set('p1', 'clientSecret', 'a');
    vault.delete('p2', 'tokenCache'); // only the backup still has it
    vault.deleteAll('p1');
    vault.collectOrphans(new Set(['p1', 'p10', 'p2']));
    expect(removed).toEqual([['tokenCache:p2'], ['clientSecret:p1', 'tokenCache:p1'], ['clientSecret:gone']]);
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

describe('SecretVault after a key rotation (SS-7)', () => {
  const read = (vault: SecretVault) => vault.withSecret('p1', 'clientSecret', (s) => Promise.resolve(s));
  const ciphertextOf = (store: InMemoryStore): string =>
    (store.get('records') as Record<string, { ciphertextB64: string }>)['clientSecret:p1']?.ciphertextB64 ?? '';

  it('rewrites the record under the new key once, keeping its backend, and never stores plaintext', async () => {
    const store = new InMemoryStore();
    const cipher = new InMemoryCipher('gnome_libsecret');
    const vault = new SecretVault(store, cipher, () => false);
    await vault.set('p1', 'clientSecret', CANARY);
    const before = ciphertextOf(store);
    cipher.rotateKey();
    expect(await read(vault)).toBe(CANARY);
    expect(cipher.encryptCalls).toBe(2);
    expect(ciphertextOf(store)).not.toBe(before);
    expect(store.get('records')).toMatchObject({ 'clientSecret:p1': { backend: 'gnome_libsecret', v: 1 } });
    expect(store.dump()).not.toContain(CANARY);
    expect(await read(vault)).toBe(CANARY);
    expect(cipher.encryptCalls).toBe(2);
    expect(cipher.decryptCalls).toBe(2);
  });

  it('does not rewrite under a weak backend without the admin opt-in (SS-3)', async () => {
    const store = new InMemoryStore();
    const cipher = new InMemoryCipher('basic_text', false);
    let accepted = true;
    const vault = new SecretVault(store, cipher, () => accepted);
    await vault.set('p1', 'clientSecret', CANARY);
    const before = ciphertextOf(store);
    accepted = false;
    cipher.rotateKey();
    expect(await read(vault)).toBe(CANARY);
    expect(ciphertextOf(store)).toBe(before);
    expect(cipher.encryptCalls).toBe(1);
  });

  it('a failed rewrite still hands out the secret and leaves the old record to be rewritten next time', async () => {
    const store = new InMemoryStore();
    const cipher = new InMemoryCipher();
    const vault = new SecretVault(store, cipher, () => false);
    await vault.set('p1', 'clientSecret', CANARY);
    const before = ciphertextOf(store);
    cipher.rotateKey();
    store.failNextWrite = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    expect(await read(vault)).toBe(CANARY);
    expect(ciphertextOf(store)).toBe(before);
    expect(await read(vault)).toBe(CANARY);
    expect(ciphertextOf(store)).not.toBe(before);
  });

  it('a secret saved while the old one was being read is not overwritten by the rewrite', async () => {
    const store = new InMemoryStore();
    const cipher = new InMemoryCipher();
    const vault = new SecretVault(store, cipher, () => false);
    await vault.set('p1', 'clientSecret', 'old');
    cipher.rotateKey();
    const encrypt = cipher.encrypt.bind(cipher);
    cipher.encrypt = async (plaintext) => {
      // The admin saves a new secret between the decrypt and the rewrite.
      cipher.encrypt = encrypt;
      await vault.set('p1', 'clientSecret', 'new');
      return encrypt(plaintext);
    };
    expect(await read(vault)).toBe('old');
    expect(await read(vault)).toBe('new');
  });
});
