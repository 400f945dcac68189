import { randomUUID } from 'node:crypto';
import type { ProfileDraft, ProfileView } from '../../../shared/domain';
import type { SecretVault } from '../vault/secret-vault';
import type { ProfileRepository } from './profile-repository';

const HINT_LENGTH = 3;

export class ProfileService {
  constructor(
    private readonly repo: ProfileRepository,
    private readonly vault: SecretVault,
  ) {}

  list(): ProfileView[] {
    return this.repo.list();
  }

  /**
   * The secret is written before the profile that references it (crash-safe order); a failed
   * profile write leaves at worst an orphan ciphertext that startup collects.
   */
  async save(draft: ProfileDraft, clientSecret: string | undefined): Promise<ProfileView> {
    const existing = draft.id === undefined ? undefined : this.repo.get(draft.id);
    const id = existing?.id ?? randomUUID();
    const isSecretType = draft.accountType === 'client-secret';
    // Entra secret values never contain whitespace: a pasted line break or blank is dropped.
    const secret = isSecretType ? clientSecret?.trim() : undefined;
    if (secret) {
      this.repo.assertRevision(draft);
      await this.vault.set(id, 'clientSecret', secret);
    }
    const saved = this.repo.upsert(draft, id, {
      hasSecret: isSecretType && (secret ? true : (existing?.secret.hasSecret ?? false)),
      secretHint: !isSecretType ? null : secret ? secret.slice(0, HINT_LENGTH) : (existing?.secret.secretHint ?? null),
    });
    if (!isSecretType) this.vault.delete(id, 'clientSecret');
    // The save ended the delegated session (other app, tenant or account type): its tokens go too.
    if (saved.delegated === null) this.vault.delete(id, 'tokenCache');
    return saved;
  }

  remove(id: string, revision: number): void {
    this.repo.remove(id, revision);
    this.vault.deleteAll(id);
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
      },
      randomUUID(),
      { hasSecret: false, secretHint: null },
    );
  }
}
