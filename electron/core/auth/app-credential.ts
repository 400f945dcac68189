import type { ProfileView } from '../../../shared/domain';
import type { SecretVault } from '../vault/secret-vault';
import type { AppCredential } from './client-credentials';

/** A PEM key's spellings that could end up in a text: the whole PEM, its base64 body in one piece and line by line. */
export function keySpellings(pem: string): string[] {
  const lines = pem.split(/\r?\n/).filter((l) => l !== '' && !l.startsWith('-----'));
  return [pem, lines.join(''), ...lines];
}

/**
 * The app-only credential of a client-secret or certificate profile, decrypted for `use` only. `known` are
 * the plaintext spellings for redaction; `candidateSecret` (a secret renewal) is used instead of the vault.
 * Resolves undefined when the profile has no stored credential.
 */
export async function withAppCredential<T>(
  vault: SecretVault,
  profile: ProfileView,
  use: (credential: AppCredential, known: string[]) => Promise<T>,
  candidateSecret?: string,
  /** 'certificateKeyNext': the successor's key, with `profile.certificate` standing for the successor. */
  keyRecord: 'certificateKey' | 'certificateKeyNext' = 'certificateKey',
): Promise<T | undefined> {
  if (profile.accountType === 'client-certificate') {
    const certificate = profile.certificate;
    if (!profile.secret.hasSecret || certificate === undefined) return undefined;
    return vault.withSecret(profile.id, keyRecord, (pem) =>
      use({ kind: 'certificate', thumbprintSha256: certificate.thumbprintSha256, privateKey: pem }, keySpellings(pem)),
    );
  }
  const candidate = candidateSecret?.trim();
  if (candidate !== undefined) return use({ kind: 'secret', secret: candidate }, [candidate]);
  if (!profile.secret.hasSecret) return undefined;
  return vault.withSecret(profile.id, 'clientSecret', (secret) => use({ kind: 'secret', secret }, [secret]));
}
