import { ClientAuthError, ClientAuthErrorCodes, type AccountInfo, type AuthenticationResult } from '@azure/msal-node';
import type { ProfileView } from '../../../shared/domain';
import type { ApiEvents } from '../../../shared/ipc/contract';
import { classifyError } from '../diagnostics/classify';
import { classifyContextFor } from '../diagnostics/context';
import { cloudEndpoints, type NetworkSettings } from '../net/endpoints';
import type { Clock, Logger } from '../ports';
import type { ProfileRepository } from '../profiles/profile-repository';
import { delegatedScopes, type ProfileClients } from './profile-clients';

export interface SilentRefreshDeps {
  repo: ProfileRepository;
  network: NetworkSettings;
  clients: ProfileClients;
  logger: Logger;
  clock: Clock;
  emit: (payload: ApiEvents['signIn.state']) => void;
}

/** Tokens without a window: MSAL's cache or one refresh-token redemption, and the keep-alive's refresh. */
export class SilentRefresh {
  constructor(private readonly deps: SilentRefreshDeps) {}

  /**
   * A token without a window: MSAL's cache, else one refresh-token redemption (never a retry loop,
   * OA-4). Throws MSAL's error for the classifier; `no_account_found` when nobody is signed in.
   */
  async acquireSilent(profile: ProfileView, options: { forceRefresh?: boolean } = {}): Promise<AuthenticationResult> {
    const endpoints = cloudEndpoints(this.deps.network, profile.cloud);
    const client = this.deps.clients.for(profile);
    const account: AccountInfo | null =
      profile.delegated === null ? null : await client.app.getTokenCache().getAccountByHomeId(profile.delegated.homeAccountId);
    if (account === null) throw new ClientAuthError(ClientAuthErrorCodes.noAccountFound, '');
    const result = await client.app.acquireTokenSilent({
      account,
      scopes: delegatedScopes(endpoints),
      forceRefresh: options.forceRefresh ?? false,
    });
    if (!result.fromCache) this.deps.repo.recordSilentRefresh(profile.id, this.deps.clock.now().toISOString());
    return result;
  }

  /**
   * The keep-alive's refresh: one forced redemption of the refresh token. A failure is recorded on the
   * profile (diagnosis id + raw code, never the message text) for the list's badge; nothing is retried
   * here. Never throws: a background job has nobody to throw to.
   */
  async keepAlive(profileId: string): Promise<void> {
    const { repo, logger, emit, network } = this.deps;
    let profile: ProfileView;
    try {
      profile = repo.get(profileId);
    } catch {
      return; // deleted since the check
    }
    if (profile.accountType !== 'modern-auth' || profile.delegated === null) return;
    const endpoints = cloudEndpoints(network, profile.cloud);
    try {
      await this.acquireSilent(profile, { forceRefresh: true });
      emit({ profileId, state: 'refreshed' });
    } catch (error) {
      const finding = classifyError(
        error,
        classifyContextFor(network, profile, profile.senderAddress)('token', endpoints.authorityHost),
      );
      logger.warn('keep-alive refresh failed', { profileId, diagnosis: finding.id, code: finding.code });
      this.recordRefreshFailure(profileId, finding);
    }
  }

  /**
   * A failed silent refresh (keep-alive or connection test) goes on the profile as diagnosis id + raw
   * code, never the message text, so the list can say "Authentication required".
   */
  recordRefreshFailure(profileId: string, finding: { id: string; code: string }): void {
    const { repo, clock, logger, emit } = this.deps;
    try {
      repo.recordRefreshError(profileId, {
        at: clock.now().toISOString(),
        diagnosisId: finding.id,
        code: finding.code.slice(0, 64),
      });
    } catch (recordError) {
      logger.warn('refresh failure not recorded', {
        profileId,
        error: recordError instanceof Error ? recordError.message : String(recordError),
      });
      return;
    }
    emit({ profileId, state: 'refresh-failed' });
  }
}
