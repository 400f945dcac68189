import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { holdSecret } from '../logging/redact';
import type { Cipher, Decrypted, KeyValueStore } from '../ports';
import { noBackupScrubber, type BackupScrubber } from '../storage/backup-scrubber';
import { ownValue } from '../storage/own-key';
import { guardedWrite } from '../storage/write-guard';

/** certificateKey: a certificate profile's private key, PKCS#8 PEM (never anywhere else on disk); certificateKeyNext: its successor's. */
export type SecretKind = 'clientSecret' | 'tokenCache' | 'certificateKey' | 'certificateKeyNext';

const SecretRecord = z.object({ ciphertextB64: z.string(), backend: z.string(), v: z.literal(1) }).strict();
type SecretRecord = z.infer<typeof SecretRecord>;

const RECORDS = 'records';
const keyOf = (profileId: string, kind: SecretKind): string => `${kind}:${profileId}`;
const profileIdOf = (key: string): string => key.slice(key.indexOf(':') + 1);

/**
 * Secrets live apart from the profiles, encrypted with the host's Cipher. Plaintext is handed out
 * only inside withSecret() and never cached, so it lives no longer than the call that needs it.
 */
export class SecretVault {
  constructor(
    private readonly store: KeyValueStore,
    private readonly cipher: Cipher,
    private readonly weakEncryptionAccepted: () => boolean,
    /** DS-7: a deleted record goes from `secrets.bak.json` too. */
    private readonly backup: BackupScrubber = noBackupScrubber,
  ) {}

  /** Refuse to persist without OS protection unless the admin explicitly accepted the risk. */
  assertCanPersist(): void {
    if (!this.cipher.isAvailable() && !this.weakEncryptionAccepted()) {
      throw new AppError('encryption-unavailable', { params: { backend: this.cipher.backend() } });
    }
  }

  async set(profileId: string, kind: SecretKind, plaintext: string): Promise<void> {
    this.assertCanPersist();
    const ciphertext = await this.cipher.encrypt(plaintext);
    const record: SecretRecord = { ciphertextB64: ciphertext.toString('base64'), backend: this.cipher.backend(), v: 1 };
    const records = { ...this.records(), [keyOf(profileId, kind)]: record };
    guardedWrite(() => this.store.set(RECORDS, records));
  }

  has(profileId: string, kind: SecretKind): boolean {
    return ownValue(this.records(), keyOf(profileId, kind)) !== undefined;
  }

  async withSecret<T>(profileId: string, kind: SecretKind, use: (plaintext: string) => Promise<T>): Promise<T> {
    const raw = ownValue(this.records(), keyOf(profileId, kind));
    const parsed = SecretRecord.safeParse(raw);
    if (!parsed.success) throw new AppError('secret-unreadable', { params: { profileId } });
    // Encrypted under another keyring (e.g. gnome_libsecret, now basic_text): no decrypt attempt,
    // the ciphertext stays as it is, and the admin is told which backend to bring back (SS-4).
    if (parsed.data.backend !== this.cipher.backend()) {
      throw new AppError('secret-unreadable', {
        params: { profileId, previousBackend: parsed.data.backend, backend: this.cipher.backend() },
      });
    }
    let decrypted: Decrypted;
    try {
      decrypted = await this.cipher.decrypt(Buffer.from(parsed.data.ciphertextB64, 'base64'));
    } catch (cause) {
      // A wrong key or damaged record affects this one secret only; everything else stays usable.
      throw new AppError('secret-unreadable', { params: { profileId }, cause });
    }
    // While the plaintext is out, its bare value is cut from every log line and error text (SH-3).
    const release = holdSecret(decrypted.plaintext);
    try {
      if (decrypted.shouldReEncrypt) await this.reEncrypt(profileId, kind, parsed.data, decrypted.plaintext);
      return await use(decrypted.plaintext);
    } finally {
      release();
    }
  }

  /**
   * The OS rotated its key (safeStorage's shouldReEncrypt): store the secret under the new key. Best effort: the old
   * record still decrypts, so a failure here only means the next read tries again.
   */
  private async reEncrypt(profileId: string, kind: SecretKind, read: SecretRecord, plaintext: string): Promise<void> {
    // Without OS protection a write needs the admin's opt-in, a rewrite too (SS-3).
    if (!this.cipher.isAvailable() && !this.weakEncryptionAccepted()) return;
    try {
      const ciphertext = await this.cipher.encrypt(plaintext);
      const key = keyOf(profileId, kind);
      const records = this.records();
      // A secret saved meanwhile wins over the rewrite of the one read before.
      const current = SecretRecord.safeParse(ownValue(records, key));
      if (!current.success || current.data.ciphertextB64 !== read.ciphertextB64) return;
      // Same backend as the record read (checked above), so the SS-4 metadata stays true.
      const record: SecretRecord = { ciphertextB64: ciphertext.toString('base64'), backend: read.backend, v: 1 };
      guardedWrite(() => this.store.set(RECORDS, { ...records, [key]: record }));
    } catch {
      // Deliberately quiet: the error could only say that the rewrite did not happen, and the read still succeeds.
    }
  }

  /** The stored record as it is (ciphertext, never plaintext), to put back if a later step fails. */
  snapshot(profileId: string, kind: SecretKind): unknown {
    return ownValue(this.records(), keyOf(profileId, kind));
  }

  restore(profileId: string, kind: SecretKind, record: unknown): void {
    const key = keyOf(profileId, kind);
    const rest = Object.fromEntries(Object.entries(this.records()).filter(([k]) => k !== key));
    const records = record === undefined ? rest : { ...rest, [key]: record };
    guardedWrite(() => this.store.set(RECORDS, records));
  }

  delete(profileId: string, kind: SecretKind): void {
    const key = keyOf(profileId, kind);
    this.deleteWhere((k) => k === key);
  }

  deleteAll(profileId: string): void {
    this.deleteWhere((k) => profileIdOf(k) === profileId);
  }

  /** Ciphertexts whose profile is gone (a crash between the two writes) are collected. */
  collectOrphans(liveProfileIds: ReadonlySet<string>): number {
    return this.deleteWhere((k) => !liveProfileIds.has(profileIdOf(k)));
  }

  /** The store first (that is the deletion the caller waits for), then the backup, even when the store had none left. */
  private deleteWhere(matches: (key: string) => boolean): number {
    const records = this.records();
    const kept = Object.fromEntries(Object.entries(records).filter(([k]) => !matches(k)));
    const removed = Object.keys(records).length - Object.keys(kept).length;
    if (removed > 0) guardedWrite(() => this.store.set(RECORDS, kept));
    this.backup.removeEntries(RECORDS, matches);
    return removed;
  }

  private records(): Record<string, unknown> {
    const value = this.store.get(RECORDS);
    return value !== null && typeof value === 'object' ? { ...(value as Record<string, unknown>) } : {};
  }
}
