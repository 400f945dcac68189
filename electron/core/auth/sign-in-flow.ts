import { ClientAuthError, ClientAuthErrorCodes, CryptoProvider } from '@azure/msal-node';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { ApiEvents, SignInResult } from '../../../shared/ipc/contract';
import { classifyContextFor } from '../diagnostics/context';
import { classifyError, type ClassifyContext, type Finding } from '../diagnostics/classify';
import { findingStep } from '../diagnostics/finding-step';
import { cloudEndpoints, type NetworkSettings } from '../net/endpoints';
import type { Clock, Logger, SignInWindow, SystemBrowser } from '../ports';
import type { ProfileRepository } from '../profiles/profile-repository';
import type { SecretVault } from '../vault/secret-vault';
import type { AttemptDeadline } from './attempt-deadline';
import { signInViaPopup } from './popup-sign-in';
import { delegatedScopes, type ProfileClients } from './profile-clients';
import { LOOPBACK_REDIRECT_URI, nativeClientRedirectUri, nonceMatches, sameAccount } from './redirect-guard';
import { callerFinding, type Attempt } from './sign-in-attempt';
import { signInViaSystemBrowser } from './system-browser-sign-in';
import type { TenantIds } from './tenant-id';
import { allowedSignInHosts } from './sign-in-hosts';

export const SIGN_IN_STEP = 'signIn';

export interface SignInFlowDeps {
  repo: ProfileRepository;
  vault: SecretVault;
  network: NetworkSettings;
  clients: ProfileClients;
  tenantIds: TenantIds;
  logger: Logger;
  clock: Clock;
  signInWindow: SignInWindow;
  systemBrowser: SystemBrowser;
  emit: (payload: ApiEvents['signIn.state']) => void;
}

/** Random, URL-safe, 256 bits: far above the 128 bits OA-2 asks for state and nonce. */
const randomToken = (): string => randomBytes(32).toString('base64url');

/**
 * One interactive sign-in (auth code + PKCE) by the profile's method, then the checks both methods
 * share: nonce, tenant and account (OA-3), the profile unchanged meanwhile, and only then the cache
 * and the profile are written.
 */
export async function runSignIn(deps: SignInFlowDeps, profileId: string, deadline: AttemptDeadline): Promise<SignInResult> {
  const { repo, vault, clock, emit } = deps;
  const profile = repo.get(profileId);
  if (profile.accountType !== 'modern-auth') {
    throw new AppError('invalid-request', { params: { reason: 'accountType' } });
  }
  // Refuse before the admin types a password, not after: the cache could not be stored.
  vault.assertCanPersist();

  const endpoints = cloudEndpoints(deps.network, profile.cloud);
  const inBrowser = profile.signInMethod === 'system-browser';
  // The URI the app registration needs (for the 50011 advice); the loopback port is MSAL's choice and Entra ignores it.
  const redirectUri = inBrowser ? LOOPBACK_REDIRECT_URI : nativeClientRedirectUri(endpoints.authorityHost);
  const scopes = delegatedScopes(endpoints);
  const client = deps.clients.for(profile);
  const started = clock.now().getTime();
  const context: ClassifyContext = {
    ...classifyContextFor(deps.network, profile, profile.senderAddress)('token', endpoints.authorityHost),
    redirectUri,
  };
  const state = (s: ApiEvents['signIn.state']['state']) => emit({ profileId, state: s });
  const fail = (finding: Finding): SignInResult => {
    const step = findingStep(SIGN_IN_STEP, finding, clock.now().getTime() - started);
    state('failed');
    return { outcome: 'failed', step };
  };

  const crypto = new CryptoProvider();
  const attempt: Attempt = {
    profile,
    client,
    scopes,
    redirectUri,
    endpoints,
    allowedHosts: allowedSignInHosts(endpoints, deps.network),
    expectedState: randomToken(),
    nonce: randomToken(),
    correlationId: crypto.createNewGuid(),
    context,
    state,
    deadline,
  };
  // Nothing reaches the vault until the account is known to be the right one.
  client.cache.hold();
  try {
    const outcome = inBrowser
      ? await signInViaSystemBrowser(deps.systemBrowser, attempt)
      : await signInViaPopup({ signInWindow: deps.signInWindow, logger: deps.logger }, attempt, crypto);
    if (outcome.kind === 'cancelled') {
      state('cancelled');
      return { outcome: 'cancelled', reason: outcome.reason, redirectUri };
    }
    if (outcome.kind === 'failed') return fail(outcome.finding);
    const result = outcome.result;
    const account = result.account;
    const { correlationId, nonce } = attempt;
    if (account === null) {
      return fail(classifyError(new ClientAuthError(ClientAuthErrorCodes.noAccountFound, correlationId), context));
    }
    if (!nonceMatches(result.idTokenClaims, nonce)) {
      await client.app.getTokenCache().removeAccount(account);
      return fail(classifyError(new ClientAuthError(ClientAuthErrorCodes.nonceMismatch, correlationId), context));
    }
    // Always compared, a verified domain too (as the tenant GUID Entra's discovery names for it).
    let expectedTenant: string;
    try {
      expectedTenant = await deps.tenantIds.resolve(endpoints.authorityHost, profile.tenant);
    } catch (error) {
      await client.app.getTokenCache().removeAccount(account);
      return fail(classifyError(error, context));
    }
    const wrongTenant = account.tenantId.toLowerCase() !== expectedTenant;
    if (wrongTenant || !sameAccount(account.username, profile.senderAddress)) {
      await client.app.getTokenCache().removeAccount(account);
      return fail(
        callerFinding(
          'auth-wrong-account',
          { account: account.username, mailbox: profile.senderAddress },
          `Signed in as ${account.username} (tenant ${account.tenantId}); the profile sends as ${profile.senderAddress} (tenant ${profile.tenant}).`,
          { correlationId: result.correlationId, requestId: result.requestId ?? null },
        ),
      );
    }
    // One account per profile: an earlier, different sign-in of this profile is dropped.
    for (const other of await client.app.getTokenCache().getAllAccounts()) {
      if (other.homeAccountId !== account.homeAccountId) await client.app.getTokenCache().removeAccount(other);
    }
    // The profile may have been edited or deleted while the window was open: then this sign-in
    // belongs to values that no longer exist, and nothing of it is kept.
    const now = repo.find(profileId);
    if (
      now === undefined ||
      now.accountType !== 'modern-auth' ||
      now.clientId !== profile.clientId ||
      now.tenant !== profile.tenant
    ) {
      await client.app.getTokenCache().removeAccount(account);
      state('cancelled');
      return { outcome: 'cancelled', reason: 'closed', redirectUri };
    }
    // Crash-safe order as for secrets: the cache first, then the profile that refers to it.
    await client.cache.commit();
    const updated = repo.recordDelegated(profileId, {
      username: account.username,
      homeAccountId: account.homeAccountId,
      lastInteractiveSignIn: clock.now().toISOString(),
      lastSilentRefresh: null,
      lastRefreshError: null,
    });
    state('signed-in');
    return { outcome: 'signed-in', profile: updated };
  } finally {
    client.cache.discard();
  }
}
