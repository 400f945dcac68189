import type { AuthenticationResult } from '@azure/msal-node';
import type { ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { ApiEvents, SignInResult } from '../../../shared/ipc/contract';
import { cloudEndpoints, type NetworkSettings } from '../net/endpoints';
import type { Clock, HttpTransport, Logger, SignInWindow, SystemBrowser, Timer } from '../ports';
import type { ProfileRepository } from '../profiles/profile-repository';
import type { SecretVault } from '../vault/secret-vault';
import { AttemptDeadline } from './attempt-deadline';
import { ProfileClients } from './profile-clients';
import { SilentRefresh } from './silent-refresh';
import { runSignIn, type SignInFlowDeps } from './sign-in-flow';
import { TenantIds } from './tenant-id';

export { delegatedScopes } from './profile-clients';
export { SIGN_IN_STEP } from './sign-in-flow';

/** OA-9: a forgotten sign-in window must not hold the attempt for long. */
export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface SignInServiceDeps {
  repo: ProfileRepository;
  vault: SecretVault;
  network: NetworkSettings;
  /** Every request to Microsoft (the loopback listener's own wake-up call stays on global fetch). */
  transport: HttpTransport;
  logger: Logger;
  clock: Clock;
  signInWindow: SignInWindow;
  /** Opens the authorize URL for the system-browser method (RFC 8252 loopback). */
  systemBrowser: SystemBrowser;
  signInTimeoutMs: number;
  /** Runs the sign-in timeout (setTimeout in the hosts, a hand-driven timer in tests). */
  timer: Timer;
  emit: (payload: ApiEvents['signIn.state']) => void;
}

/**
 * Modern Authentication for the sender profiles: interactive sign-in (sign-in-flow.ts, through the
 * SignInWindow or SystemBrowser port) and silent tokens from the encrypted per-profile cache
 * (silent-refresh.ts). This class keeps one attempt per profile and the admin's "Cancel".
 */
export class SignInService {
  private readonly clients: ProfileClients;
  private readonly silent: SilentRefresh;
  private readonly flow: SignInFlowDeps;
  private readonly tenantIds: TenantIds;
  private readonly inFlight = new Map<string, Promise<SignInResult>>();
  /** The running attempts' deadlines: "Cancel" is the only way out of system-browser mode before the timeout. */
  private readonly deadlines = new Map<string, AttemptDeadline>();

  constructor(private readonly deps: SignInServiceDeps) {
    this.clients = new ProfileClients(deps);
    this.silent = new SilentRefresh({ ...deps, clients: this.clients });
    this.tenantIds = new TenantIds(deps.transport, deps.network.requestTimeoutMs);
    this.flow = { ...deps, clients: this.clients, tenantIds: this.tenantIds };
  }

  /** One sign-in per profile at a time: a second click joins the running attempt (no second window). */
  signIn(profileId: string): Promise<SignInResult> {
    const running = this.inFlight.get(profileId);
    if (running) return running;
    // One window or loopback listener at a time, across profiles too (OA-9).
    const other = [...this.inFlight.keys()].find((id) => id !== profileId);
    if (other !== undefined)
      return Promise.reject(new AppError('sign-in-running', { params: { profile: this.deps.repo.find(other)?.name ?? '' } }));
    // Registered before the attempt's first await: a cancel or timeout can never come too early.
    const deadline = new AttemptDeadline(this.deps.timer, this.deps.signInTimeoutMs);
    this.deadlines.set(profileId, deadline);
    const attempt = runSignIn(this.flow, profileId, deadline).finally(() => {
      deadline.dispose();
      this.deadlines.delete(profileId);
      this.inFlight.delete(profileId);
    });
    this.inFlight.set(profileId, attempt);
    return attempt;
  }

  /** Ends the running attempt as if the window had been closed (OA-9); nothing changes if none runs. */
  cancel(profileId: string): void {
    this.deadlines.get(profileId)?.cancel();
  }

  /** Forgets the account: the encrypted cache is deleted and MSAL's memory of it dropped with the client. */
  signOut(profileId: string): ProfileView {
    const profile = this.deps.repo.get(profileId);
    this.forget(profileId);
    this.deps.vault.delete(profileId, 'tokenCache');
    return profile.delegated === null ? profile : this.deps.repo.recordDelegated(profileId, null);
  }

  /** See SilentRefresh.acquireSilent. */
  acquireSilent(profile: ProfileView, options: { forceRefresh?: boolean } = {}): Promise<AuthenticationResult> {
    return this.silent.acquireSilent(profile, options);
  }

  /** The tenant GUID a token of this profile must carry as `tid` (a verified domain resolved as the sign-in does it). */
  tenantIdOf(profile: Pick<ProfileView, 'cloud' | 'tenant'>): Promise<string> {
    return this.tenantIds.resolve(cloudEndpoints(this.deps.network, profile.cloud).authorityHost, profile.tenant);
  }

  /** The keep-alive's refresh; never throws. */
  keepAlive(profileId: string): Promise<void> {
    return this.silent.keepAlive(profileId);
  }

  /** A failed silent refresh goes on the profile (diagnosis id + raw code). */
  recordRefreshFailure(profileId: string, finding: { id: string; code: string }): void {
    this.silent.recordRefreshFailure(profileId, finding);
  }

  /** Drops the in-memory client (profile deleted or edited); the stored cache is the vault's business. */
  forget(profileId: string): void {
    this.clients.forget(profileId);
  }
}
