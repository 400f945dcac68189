import { randomUUID } from 'node:crypto';
import { isGuid, type CertificateMeta, type ProfileDraft, type ProfileView, type SecretIssue } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { CertificateMaterial } from '../certificates/certificate-material';
import type { SecretVault } from '../vault/secret-vault';
import type { ProfileRepository } from './profile-repository';

const HINT_LENGTH = 3;

/** Where a certificate write goes: the current one, or the successor (renewal with overlap). */
export type CertificateSlotWrite = 'current' | 'next';

const certificateMeta = (m: CertificateMaterial): CertificateMeta => ({
  thumbprintSha256: m.info.thumbprintSha256,
  thumbprintSha1: m.info.thumbprintSha1,
  subject: m.info.subject,
  notBefore: m.info.notBefore,
  notAfter: m.info.notAfter,
  origin: m.origin,
  certPem: m.info.certPem,
});

export class ProfileService {
  constructor(
    private readonly repo: ProfileRepository,
    private readonly vault: SecretVault,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(): ProfileView[] {
    return this.repo.list();
  }

  /** Saves and deletes run one at a time: the secret write is async, and two saves must not interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  private serial<T>(work: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * `certificate`: a new key + certificate; `slot` 'current' replaces the stored one (certificate profiles),
   * 'next' fills the successor slot (any app-only profile).
   */
  save(
    draft: ProfileDraft,
    clientSecret: string | undefined,
    certificate?: CertificateMaterial,
    slot: CertificateSlotWrite = 'current',
  ): Promise<ProfileView> {
    return this.serial(() => this.saveNow(draft, clientSecret, certificate, slot));
  }

  /**
   * An import's "replace": the stored profile takes the file's values under its own id (its relay login, queued
   * mail and history stay attached). Its credential stays only while it belongs to the same app registration
   * (account type, cloud, app and tenant unchanged), as a delegated sign-in does; otherwise it is removed.
   */
  saveImported(draft: ProfileDraft): Promise<ProfileView> {
    return this.serial(() => this.saveNow(draft, undefined, undefined, 'current', true));
  }

  /**
   * The secret is written before the profile that references it (crash-safe order). If the profile
   * write then fails or is refused, the previous secret is put back: a save the admin was told
   * failed must change nothing that tonight's batch job uses.
   */
  private async saveNow(
    draft: ProfileDraft,
    clientSecret: string | undefined,
    certificateInput: CertificateMaterial | undefined,
    slot: CertificateSlotWrite,
    credentialFollowsApp = false,
  ): Promise<ProfileView> {
    const existing = draft.id === undefined ? undefined : this.repo.get(draft.id);
    const sameApp =
      existing !== undefined &&
      existing.accountType === draft.accountType &&
      existing.cloud === draft.cloud &&
      existing.clientId === draft.clientId &&
      existing.tenant === draft.tenant;
    const dropStale = credentialFollowsApp && existing !== undefined && !sameApp;
    const id = existing?.id ?? randomUUID();
    const isSecretType = draft.accountType === 'client-secret';
    const isCertificateType = draft.accountType === 'client-certificate';
    // Entra secret values never contain whitespace: a pasted line break or blank is dropped.
    const secret = isSecretType ? clientSecret?.trim() : undefined;
    const appOnly = isSecretType || isCertificateType;
    const certificate = isCertificateType && slot !== 'next' ? certificateInput : undefined;
    const next = appOnly && slot === 'next' ? certificateInput : undefined;
    const previous = this.vault.snapshot(id, 'clientSecret');
    const previousKey = this.vault.snapshot(id, 'certificateKey');
    const previousNext = this.vault.snapshot(id, 'certificateKeyNext');
    if (secret) {
      this.repo.assertRevision(draft);
      await this.vault.set(id, 'clientSecret', secret);
    }
    if (certificate) {
      this.repo.assertRevision(draft);
      await this.vault.set(id, 'certificateKey', certificate.privateKeyPem);
    }
    if (next) {
      this.repo.assertRevision(draft);
      await this.vault.set(id, 'certificateKeyNext', next.privateKeyPem);
    }
    const hadCredential = !dropStale && existing?.accountType === draft.accountType && existing.secret.hasSecret;
    // Saved despite the paste warning: the list keeps saying so until this secret gets a token.
    const issue: SecretIssue | undefined = secret
      ? isGuid(secret)
        ? { kind: 'secret-id', at: this.now().toISOString() }
        : undefined
      : !dropStale && existing?.accountType === draft.accountType
        ? existing.secret.issue
        : undefined;
    let saved: ProfileView;
    try {
      saved = this.repo.upsert(draft, id, {
        hasSecret: secret || certificate ? true : hadCredential,
        secretHint: !isSecretType
          ? null
          : secret
            ? secret.slice(0, HINT_LENGTH)
            : dropStale
              ? null
              : (existing?.secret.secretHint ?? null),
        ...(issue ? { issue } : {}),
        ...(certificate ? { certificate: certificateMeta(certificate) } : dropStale ? { certificate: null } : {}),
        ...(next ? { certificateNext: certificateMeta(next) } : dropStale ? { certificateNext: null } : {}),
      });
    } catch (error) {
      if (secret) this.vault.restore(id, 'clientSecret', previous);
      if (certificate) this.vault.restore(id, 'certificateKey', previousKey);
      if (next) this.vault.restore(id, 'certificateKeyNext', previousNext);
      throw error;
    }
    if (!appOnly || dropStale) this.vault.delete(id, 'certificateKeyNext');
    if (!isSecretType || dropStale) this.vault.delete(id, 'clientSecret');
    if (!isCertificateType || dropStale) this.vault.delete(id, 'certificateKey');
    // The save ended the delegated session (other app, tenant or account type): its tokens go too.
    if (saved.delegated === null) this.vault.delete(id, 'tokenCache');
    return saved;
  }

  /**
   * The successor becomes current (the draft is a certificate profile): its ciphertext moves to the current
   * key's record without being decrypted, the profile takes its certificate, and a client secret goes.
   */
  promoteNextCertificate(draft: ProfileDraft, next: CertificateMeta): Promise<ProfileView> {
    return this.serial(() => {
      const existing = this.repo.assertRevision(draft);
      if (existing === undefined || draft.accountType !== 'client-certificate') {
        throw new AppError('invalid-request', { params: { field: 'certificateNext' } });
      }
      const id = existing.id;
      const nextRecord = this.vault.snapshot(id, 'certificateKeyNext');
      if (nextRecord === undefined) throw new AppError('secret-unreadable', { params: { profileId: id } });
      const previousKey = this.vault.snapshot(id, 'certificateKey');
      this.vault.restore(id, 'certificateKey', nextRecord);
      let saved: ProfileView;
      try {
        saved = this.repo.upsert(draft, id, { hasSecret: true, secretHint: null, certificate: next, certificateNext: null });
      } catch (error) {
        this.vault.restore(id, 'certificateKey', previousKey);
        throw error;
      }
      this.vault.delete(id, 'certificateKeyNext');
      this.vault.delete(id, 'clientSecret');
      if (saved.delegated === null) this.vault.delete(id, 'tokenCache');
      return saved;
    });
  }

  remove(id: string, revision: number): Promise<void> {
    return this.serial(() => {
      this.repo.remove(id, revision);
      this.vault.deleteAll(id);
    });
  }

  /** A copy without the secret: the admin pastes the secret for the copy on purpose. */
  duplicate(id: string): ProfileView {
    const source = this.repo.get(id);
    return this.repo.upsert(
      {
        name: `${source.name} (2)`.slice(0, 80),
        accountType: source.accountType,
        cloud: source.cloud,
        senderAddress: source.senderAddress,
        mailboxAddress: source.mailboxAddress,
        clientId: source.clientId,
        tenant: source.tenant,
        secretExpiresOn: source.secret.secretExpiresOn ?? '',
        signInMethod: source.signInMethod,
      },
      randomUUID(),
      { hasSecret: false, secretHint: null },
    );
  }
}
