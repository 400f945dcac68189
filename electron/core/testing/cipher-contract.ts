import { expect, it } from 'vitest';
import type { Cipher } from '../ports';

const CANARY = 'Qx8~CANARY.secret-value_1234567890abcdEFGH-äöü-€';

export interface CipherContractSubject {
  /** A working cipher (OS protection available). */
  make: () => Promise<Cipher>;
  /** A cipher of the same kind under another key, e.g. another user's profile or a moved data dir. */
  makeWithOtherKey: () => Promise<Cipher>;
  /** Encrypts under the old key, then rotates: the returned cipher is the one after the rotation. */
  rotate: () => Promise<{ before: Cipher; after: () => Promise<Cipher> }>;
}

/** What the vault relies on from every Cipher (SS-6, SS-7, SS-9); run against each implementation. */
export function cipherContract(subject: CipherContractSubject): void {
  it('round-trips text and never stores it in the clear', async () => {
    const cipher = await subject.make();
    const ciphertext = await cipher.encrypt(CANARY);
    expect(ciphertext.toString('latin1')).not.toContain(CANARY.slice(0, 12));
    expect(await cipher.decrypt(ciphertext)).toEqual({ plaintext: CANARY, shouldReEncrypt: false });
    expect(await cipher.decrypt(await cipher.encrypt(''))).toEqual({ plaintext: '', shouldReEncrypt: false });
  });

  it('encrypts the same text differently each time', async () => {
    const cipher = await subject.make();
    expect((await cipher.encrypt(CANARY)).equals(await cipher.encrypt(CANARY))).toBe(false);
  });

  it('rejects an empty, truncated, tampered or unprefixed ciphertext instead of guessing a secret', async () => {
    const cipher = await subject.make();
    const good = await cipher.encrypt(CANARY);
    const tampered = Buffer.from(good);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;
    for (const bad of [Buffer.alloc(0), good.subarray(0, 8), tampered, Buffer.from(CANARY)]) {
      await expect(cipher.decrypt(bad)).rejects.toThrow();
    }
  });

  it('rejects a ciphertext made under another key', async () => {
    const ciphertext = await (await subject.make()).encrypt(CANARY);
    await expect((await subject.makeWithOtherKey()).decrypt(ciphertext)).rejects.toThrow();
  });

  it('after a key rotation decrypts old ciphertext with shouldReEncrypt, and the re-encrypted one without', async () => {
    const { before, after } = await subject.rotate();
    const old = await before.encrypt(CANARY);
    const rotated = await after();
    expect(await rotated.decrypt(old)).toEqual({ plaintext: CANARY, shouldReEncrypt: true });
    expect(await rotated.decrypt(await rotated.encrypt(CANARY))).toEqual({ plaintext: CANARY, shouldReEncrypt: false });
  });
}
