import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Cipher, Decrypted } from '../../electron/core/ports';

const VERSION = Buffer.from('g1');

/** The browser test host's stand-in for safeStorage: same contract, AES-256-GCM with a per-run key. */
export class AesGcmCipher implements Cipher {
  constructor(
    private readonly key: Buffer = RUN_KEY,
    /** Report a weak backend (e.g. "basic_text") to exercise the vault's refusal path. */
    private readonly reportedBackend: string = 'aes-256-gcm (test host)',
    /** Keys from before a rotation: they still decrypt, with shouldReEncrypt. */
    private readonly retiredKeys: readonly Buffer[] = [],
  ) {
    if ([key, ...retiredKeys].some((k) => k.length !== 32)) throw new Error('AES-256 needs a 32-byte key');
  }

  backend(): string {
    return this.reportedBackend;
  }

  isAvailable(): boolean {
    return this.reportedBackend !== 'basic_text' && this.reportedBackend !== 'unknown';
  }

  encrypt(plaintext: string): Promise<Buffer> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Promise.resolve(Buffer.concat([VERSION, iv, cipher.getAuthTag(), body]));
  }

  /** A ciphertext under a retired key still opens, but asks to be re-encrypted (safeStorage's key rotation). */
  decrypt(data: Buffer): Promise<Decrypted> {
    if (data.length < 30 || !data.subarray(0, 2).equals(VERSION)) return Promise.reject(new Error('unknown ciphertext format'));
    for (const [index, key] of [this.key, ...this.retiredKeys].entries()) {
      const plaintext = open(key, data);
      if (plaintext !== undefined) return Promise.resolve({ plaintext, shouldReEncrypt: index > 0 });
    }
    return Promise.reject(new Error('unsupported state or unable to authenticate data'));
  }
}

/** The plaintext, or undefined when the tag does not verify under this key (wrong key or tampered data). */
function open(key: Buffer, data: Buffer): string | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(2, 14));
  decipher.setAuthTag(data.subarray(14, 30));
  try {
    return Buffer.concat([decipher.update(data.subarray(30)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

const RUN_KEY = randomBytes(32);
