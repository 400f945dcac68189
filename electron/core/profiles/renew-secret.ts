import type { ProfileDraft, ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { RenewSecretRequest, RenewSecretResult, TestReport, TestRunRequest } from '../../../shared/ipc/contract';
import type { ProfileRepository } from './profile-repository';
import type { ProfileService } from './profile-service';

export interface RenewSecretDeps {
  repo: ProfileRepository;
  profiles: ProfileService;
  /** The connection test with the candidate in place of the stored secret (which stays untouched). */
  test: (request: TestRunRequest, candidateSecret: string) => Promise<TestReport>;
  /** Token clients built from the old secret must not answer for the new one. */
  forgetTokens: (profileId: string) => void;
}

/** The stored profile as a draft at the mask's revision: a renewal changes the secret and its expiry, nothing else. */
function renewalDraft(profile: ProfileView, revision: number, expiresOn: string): ProfileDraft {
  return {
    id: profile.id,
    revision,
    name: profile.name,
    accountType: profile.accountType,
    cloud: profile.cloud,
    senderAddress: profile.senderAddress,
    mailboxAddress: profile.mailboxAddress,
    clientId: profile.clientId,
    tenant: profile.tenant,
    secretExpiresOn: expiresOn,
    signInMethod: profile.signInMethod,
  };
}

/**
 * Renew a client secret: the new value runs the connection test while the stored one stays in use,
 * and replaces it only when its token step passed, so tonight's batch job never gets a value that fails.
 */
export async function renewSecret(deps: RenewSecretDeps, request: RenewSecretRequest): Promise<RenewSecretResult> {
  const profile = deps.repo.get(request.profileId);
  if (profile.accountType !== 'client-secret') throw new AppError('invalid-request', { params: { field: 'accountType' } });
  // A stale mask is refused before any request: its secret would be saved over someone else's change.
  if (profile.revision !== request.revision) throw new AppError('conflict', { params: { name: profile.name } });
  // Entra secret values never contain whitespace (as in a save): a pasted line break is dropped.
  const candidate = request.clientSecret.trim();
  if (candidate === '') throw new AppError('invalid-request', { fields: { clientSecret: 'validation.secretRequired' } });

  const report = await deps.test({ profileId: profile.id }, candidate);
  if (report.steps.find((s) => s.id === 'token')?.status !== 'ok') return { outcome: 'rejected', report };
  // The save checks the revision again: a change made elsewhere during the test wins, and nothing is replaced.
  const saved = await deps.profiles.save(renewalDraft(profile, request.revision, request.expiresOn), candidate);
  deps.forgetTokens(saved.id);
  return { outcome: 'renewed', replacedHint: profile.secret.secretHint, report: { ...report, profile: saved } };
}
