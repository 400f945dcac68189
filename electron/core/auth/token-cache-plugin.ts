import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../ports';
import type { SecretVault } from '../vault/secret-vault';

/** MSAL's empty cache: deserialize('') keeps the in-memory state, so "nothing stored" must be said explicitly. */
const EMPTY_CACHE = JSON.stringify({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} });

/**
 * One profile's MSAL token cache, kept encrypted in the vault (kind 'tokenCache'), never in a
 * plaintext file. Read before every cache access and written after every change MSAL reports
 * (`cacheHasChanged`), so a rotated refresh token is on disk as soon as MSAL has it (OA-6).
 *
 * During an interactive sign-in, writes are held back (`hold()`) until the account check passed:
 * a refused account (someone's personal mailbox) must leave nothing on disk, not even briefly.
 */
export class VaultCachePlugin implements ICachePlugin {
  private held: { serialized: string | undefined } | undefined;

  constructor(
    private readonly vault: SecretVault,
    private readonly profileId: string,
    private readonly logger: Logger,
  ) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    if (this.held?.serialized !== undefined) {
      context.tokenCache.deserialize(this.held.serialized);
      return;
    }
    await this.load((serialized) => context.tokenCache.deserialize(serialized));
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    const serialized = context.tokenCache.serialize();
    if (this.held) {
      this.held.serialized = serialized;
      return;
    }
    await this.vault.set(this.profileId, 'tokenCache', serialized);
  }

  /** From now on changes stay in memory until commit() or discard(). */
  hold(): void {
    this.held = { serialized: undefined };
  }

  /** Writes what was held (if anything changed) and resumes writing through. */
  async commit(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (held?.serialized !== undefined) await this.vault.set(this.profileId, 'tokenCache', held.serialized);
  }

  /** Forgets what was held; the next access reads the stored cache again. */
  discard(): void {
    this.held = undefined;
  }

  /** The plaintext goes straight into MSAL's memory inside withSecret(); this class keeps no copy. */
  private async load(use: (serialized: string) => void): Promise<void> {
    if (!this.vault.has(this.profileId, 'tokenCache')) {
      use(EMPTY_CACHE);
      return;
    }
    try {
      await this.vault.withSecret(this.profileId, 'tokenCache', (plaintext) => Promise.resolve(use(plaintext)));
    } catch (error) {
      // A cache that cannot be decrypted (other OS user, reinstalled keyring) means "signed out":
      // the next sign-in overwrites it. Everything else about the profile stays usable.
      if (error instanceof AppError && error.code === 'secret-unreadable') {
        this.logger.warn('token cache unreadable; treated as signed out', { profileId: this.profileId });
        use(EMPTY_CACHE);
        return;
      }
      throw error;
    }
  }
}
