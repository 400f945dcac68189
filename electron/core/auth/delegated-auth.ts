import {
  ClientAuthError,
  ClientAuthErrorCodes,
  CryptoProvider,
  PublicClientApplication,
  ResponseMode,
  type AccountInfo,
  type AuthenticationResult,
} from '@azure/msal-node';
import { randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { isGuid, type ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { ApiEvents, SignInResult } from '../../../shared/ipc/contract';
import { StepRunner } from '../connection-test/step-runner';
import { classifyError, type ClassifyContext, type Finding } from '../diagnostics/classify';
import { hostOf, type CloudEndpoints, type NetworkSettings } from '../net/endpoints';
import type { Clock, Logger, SignInWindow, SignInWindowResult } from '../ports';
import type { ProfileRepository } from '../profiles/profile-repository';
import type { SecretVault } from '../vault/secret-vault';
import { authorityOptions, systemOptions } from './msal-options';
import { nativeClientRedirectUri, nonceMatches, parseRedirect, sameAccount, signInAllowedHosts } from './redirect-guard';
import { VaultCachePlugin } from './token-cache-plugin';

export const DEFAULT_SIGN_IN_TIMEOUT_MS = 10 * 60_000;
export const SIGN_IN_STEP = 'signIn';

/** Delegated Graph scopes under the cloud's resource; offline_access brings the refresh token. */
export const delegatedScopes = (endpoints: CloudEndpoints): string[] => [
  `${endpoints.graphResource}/Mail.Send`,
  `${endpoints.graphResource}/User.Read`,
  'offline_access',
];

export interface DelegatedAuthDeps {
  repo: ProfileRepository;
  vault: SecretVault;
  network: NetworkSettings;
  dispatcher: Dispatcher | undefined;
  logger: Logger;
  clock: Clock;
  signInWindow: SignInWindow;
  signInTimeoutMs: number;
  emit: (payload: ApiEvents['auth.state']) => void;
}

interface ProfileClient {
  key: string;
  app: PublicClientApplication;
  cache: VaultCachePlugin;
}

/** Random, URL-safe, 256 bits: far above the 128 bits OA-2 asks for state and nonce. */
const randomToken = (): string => randomBytes(32).toString('base64url');

/**
 * Modern Authentication for the sender profiles: interactive sign-in (auth code + PKCE through the
 * SignInWindow port) and silent tokens from the encrypted per-profile cache. One
 * PublicClientApplication per profile, each with its own cache plugin, so profiles never share tokens.
 */
export class DelegatedAuth {
  private readonly clients = new Map<string, ProfileClient>();
  private readonly inFlight = new Map<string, Promise<SignInResult>>();

  constructor(private readonly deps: DelegatedAuthDeps) {}

  /** One sign-in per profile at a time: a second click joins the running attempt (no second window). */
  signIn(profileId: string): Promise<SignInResult> {
    const running = this.inFlight.get(profileId);
    if (running) return running;
    const attempt = this.runSignIn(profileId).finally(() => this.inFlight.delete(profileId));
    this.inFlight.set(profileId, attempt);
    return attempt;
  }

  /** Forgets the account: the encrypted cache is deleted and MSAL's memory of it dropped with the client. */
  signOut(profileId: string): ProfileView {
    const profile = this.deps.repo.get(profileId);
    this.forget(profileId);
    this.deps.vault.delete(profileId, 'tokenCache');
    return profile.delegated === null ? profile : this.deps.repo.recordDelegated(profileId, null);
  }

  /**
   * A token without a window: MSAL's cache, else one refresh-token redemption (never a retry loop,
   * OA-4). Throws MSAL's error for the classifier; `no_account_found` when nobody is signed in.
   */
  async acquireSilent(profile: ProfileView, options: { forceRefresh?: boolean } = {}): Promise<AuthenticationResult> {
    const endpoints = this.deps.network.endpoints[profile.cloud];
    const client = this.clientFor(profile);
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

  /** Drops the in-memory client (profile deleted or edited); the stored cache is the vault's business. */
  forget(profileId: string): void {
    this.clients.delete(profileId);
  }

  private clientFor(profile: ProfileView): ProfileClient {
    const endpoints = this.deps.network.endpoints[profile.cloud];
    const key = `${endpoints.authorityHost}\n${profile.tenant}\n${profile.clientId}`;
    const existing = this.clients.get(profile.id);
    if (existing?.key === key) return existing;
    const cache = new VaultCachePlugin(this.deps.vault, profile.id, this.deps.logger);
    const app = new PublicClientApplication({
      auth: { clientId: profile.clientId, ...authorityOptions(endpoints, profile.tenant) },
      system: systemOptions(this.deps.logger, this.deps.network.requestTimeoutMs, this.deps.dispatcher),
      cache: { cachePlugin: cache },
    });
    const client = { key, app, cache };
    this.clients.set(profile.id, client);
    return client;
  }

  private async runSignIn(profileId: string): Promise<SignInResult> {
    const { repo, vault, clock, emit } = this.deps;
    const profile = repo.get(profileId);
    if (profile.accountType !== 'modern-auth') {
      throw new AppError('invalid-request', { params: { reason: 'accountType' } });
    }
    // Refuse before the admin types a password, not after: the cache could not be stored.
    vault.assertCanPersist();

    const endpoints = this.deps.network.endpoints[profile.cloud];
    const redirectUri = nativeClientRedirectUri(endpoints.authorityHost);
    const scopes = delegatedScopes(endpoints);
    const client = this.clientFor(profile);
    const steps = new StepRunner([SIGN_IN_STEP], () => undefined, clock);
    const elapsed = steps.start(SIGN_IN_STEP);
    const context: ClassifyContext = {
      operation: 'token',
      host: hostOf(endpoints.authorityHost),
      timeoutSeconds: Math.round(this.deps.network.requestTimeoutMs / 1000),
      clientId: profile.clientId,
      tenant: profile.tenant,
      mailbox: profile.senderAddress,
      redirectUri,
    };
    const state = (s: ApiEvents['auth.state']['state']) => emit({ profileId, state: s });
    const fail = (finding: Finding): SignInResult => {
      steps.fail(SIGN_IN_STEP, finding, elapsed());
      state('failed');
      const step = steps.get(SIGN_IN_STEP);
      if (!step) throw new Error('sign-in step missing');
      return { outcome: 'failed', step };
    };

    const crypto = new CryptoProvider();
    const { verifier, challenge } = await crypto.generatePkceCodes();
    const expectedState = randomToken();
    const nonce = randomToken();
    const correlationId = crypto.createNewGuid();
    let authorizeUrl: string;
    try {
      authorizeUrl = await client.app.getAuthCodeUrl({
        scopes,
        redirectUri,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        state: expectedState,
        nonce,
        loginHint: profile.senderAddress,
        responseMode: ResponseMode.QUERY,
        correlationId,
      });
    } catch (error) {
      return fail(classifyError(error, context));
    }

    state('waiting-for-user');
    const reply = await this.openWindow(authorizeUrl, redirectUri, endpoints, profile);
    if (reply.kind === 'cancelled' || reply.kind === 'timeout') {
      state('cancelled');
      return { outcome: 'cancelled', reason: reply.kind === 'timeout' ? 'timeout' : 'closed', redirectUri };
    }
    if (reply.kind === 'blocked') {
      return fail(
        callerFinding('signin-host-blocked', 'host-blocked', { host: reply.host }, `Navigation to ${reply.host} blocked`),
      );
    }

    const parsed = parseRedirect(reply.url, { redirectUri, state: expectedState });
    if (parsed.kind === 'not-redirect' || parsed.kind === 'state-mismatch') {
      // No token request is sent for a reply that does not belong to this attempt (OA-3).
      return fail(classifyError(new ClientAuthError(ClientAuthErrorCodes.stateMismatch, correlationId), context));
    }
    if (parsed.kind === 'error') return fail(classifyError(parsed.params, context));

    state('exchanging-code');
    // Nothing reaches the vault until the account is known to be the right one.
    client.cache.hold();
    try {
      let result: AuthenticationResult;
      try {
        result = await client.app.acquireTokenByCode(
          { code: parsed.code, scopes, redirectUri, codeVerifier: verifier, state: expectedState, nonce, correlationId },
          {
            code: parsed.code,
            state: parsed.state,
            ...(parsed.clientInfo === undefined ? {} : { client_info: parsed.clientInfo }),
          },
        );
      } catch (error) {
        return fail(classifyError(error, context));
      }
      const account = result.account;
      if (account === null) {
        return fail(classifyError(new ClientAuthError(ClientAuthErrorCodes.noAccountFound, correlationId), context));
      }
      if (!nonceMatches(result.idTokenClaims, nonce)) {
        await client.app.getTokenCache().removeAccount(account);
        return fail(classifyError(new ClientAuthError(ClientAuthErrorCodes.nonceMismatch, correlationId), context));
      }
      const wrongTenant = isGuid(profile.tenant) && account.tenantId.toLowerCase() !== profile.tenant.toLowerCase();
      if (wrongTenant || !sameAccount(account.username, profile.senderAddress)) {
        await client.app.getTokenCache().removeAccount(account);
        return fail(
          callerFinding(
            'auth-wrong-account',
            'wrong-account',
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
      // Crash-safe order as for secrets: the cache first, then the profile that refers to it.
      await client.cache.commit();
      const updated = repo.recordDelegated(profileId, {
        username: account.username,
        homeAccountId: account.homeAccountId,
        lastInteractiveSignIn: clock.now().toISOString(),
        lastSilentRefresh: null,
      });
      state('signed-in');
      return { outcome: 'signed-in', profile: updated };
    } finally {
      client.cache.discard();
    }
  }

  /** The window phase, bounded by the overall timeout; the window is told to close on timeout. */
  private async openWindow(
    authorizeUrl: string,
    redirectUri: string,
    endpoints: CloudEndpoints,
    profile: ProfileView,
  ): Promise<SignInWindowResult | { kind: 'timeout' }> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<{ kind: 'timeout' }>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ kind: 'timeout' });
      }, this.deps.signInTimeoutMs);
    });
    try {
      const opened = this.deps.signInWindow
        .open({
          authorizeUrl,
          redirectUri,
          allowedHosts: signInAllowedHosts(endpoints.authorityHost),
          title: profile.senderAddress,
          signal: controller.signal,
        })
        .catch((error: unknown): SignInWindowResult => {
          // A window that failed to open or crashed ends the attempt like a close: no error dump.
          this.deps.logger.warn('sign-in window failed', { error: error instanceof Error ? error.message : String(error) });
          return { kind: 'cancelled' };
        });
      const outcome = await Promise.race([opened, timeout]);
      return controller.signal.aborted ? { kind: 'timeout' } : outcome;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A diagnosis the flow itself decides (no library error exists for it). */
function callerFinding(
  id: Finding['id'],
  code: string,
  params: Record<string, string>,
  detail: string,
  ids: { correlationId?: string; requestId?: string | null } = {},
): Finding {
  return {
    id,
    code,
    httpStatus: null,
    correlationId: ids.correlationId ?? null,
    requestId: ids.requestId ?? null,
    timestamp: null,
    params,
    detail,
  };
}
