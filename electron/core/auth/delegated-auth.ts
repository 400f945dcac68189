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
import { isGuid, type ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { ApiEvents, SignInResult } from '../../../shared/ipc/contract';
import { classifyContextFor } from '../diagnostics/context';
import { classifyError, type ClassifyContext, type Finding } from '../diagnostics/classify';
import { findingStep } from '../diagnostics/finding-step';
import type { CloudEndpoints, NetworkSettings } from '../net/endpoints';
import type { Clock, HttpTransport, Logger, SignInWindow, SignInWindowResult, SystemBrowser } from '../ports';
import type { ProfileRepository } from '../profiles/profile-repository';
import type { SecretVault } from '../vault/secret-vault';
import { authorityOptions, systemOptions } from './msal-options';
import {
  classifyPopupNavigation,
  LOOPBACK_REDIRECT_URI,
  nativeClientRedirectUri,
  nonceMatches,
  parseRedirect,
  sameAccount,
} from './redirect-guard';
import { allowedSignInHosts } from './sign-in-hosts';
import { VaultCachePlugin } from './token-cache-plugin';

/** OA-9: a forgotten sign-in window must not hold the attempt for long. */
export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;
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
  /** Every request to Microsoft (the loopback listener's own wake-up call stays on global fetch). */
  transport: HttpTransport;
  logger: Logger;
  clock: Clock;
  signInWindow: SignInWindow;
  /** Opens the authorize URL for the system-browser method (RFC 8252 loopback). */
  systemBrowser: SystemBrowser;
  signInTimeoutMs: number;
  emit: (payload: ApiEvents['signIn.state']) => void;
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
  /** The admin's "Cancel" for a running attempt: the only way out of system-browser mode before the timeout. */
  private readonly cancellers = new Map<string, () => void>();

  constructor(private readonly deps: DelegatedAuthDeps) {}

  /** One sign-in per profile at a time: a second click joins the running attempt (no second window). */
  signIn(profileId: string): Promise<SignInResult> {
    const running = this.inFlight.get(profileId);
    if (running) return running;
    // One window or loopback listener at a time, across profiles too (OA-9).
    const other = [...this.inFlight.keys()].find((id) => id !== profileId);
    if (other !== undefined)
      return Promise.reject(new AppError('sign-in-running', { params: { profile: this.deps.repo.find(other)?.name ?? '' } }));
    const attempt = this.runSignIn(profileId).finally(() => this.inFlight.delete(profileId));
    this.inFlight.set(profileId, attempt);
    return attempt;
  }

  /** Ends the running attempt as if the window had been closed (OA-9); nothing changes if none runs. */
  cancel(profileId: string): void {
    this.cancellers.get(profileId)?.();
  }

  private cancelSignal(profileId: string): { cancelled: Promise<'cancel'>; done: () => void } {
    let resolveCancel: () => void = () => undefined;
    const cancelled = new Promise<'cancel'>((resolve) => {
      resolveCancel = () => resolve('cancel');
    });
    this.cancellers.set(profileId, resolveCancel);
    return { cancelled, done: () => this.cancellers.delete(profileId) };
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
    const endpoints = network.endpoints[profile.cloud];
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
      system: systemOptions(this.deps.logger, this.deps.network.requestTimeoutMs, this.deps.transport),
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
    const inBrowser = profile.signInMethod === 'system-browser';
    // The URI the app registration needs (for the 50011 advice); the loopback port is MSAL's choice and Entra ignores it.
    const redirectUri = inBrowser ? LOOPBACK_REDIRECT_URI : nativeClientRedirectUri(endpoints.authorityHost);
    const scopes = delegatedScopes(endpoints);
    const client = this.clientFor(profile);
    const started = clock.now().getTime();
    const context: ClassifyContext = {
      ...classifyContextFor(this.deps.network, profile, profile.senderAddress)('token', endpoints.authorityHost),
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
      expectedState: randomToken(),
      nonce: randomToken(),
      correlationId: crypto.createNewGuid(),
      context,
      state,
    };
    // Nothing reaches the vault until the account is known to be the right one.
    client.cache.hold();
    try {
      const outcome = inBrowser ? await this.viaSystemBrowser(attempt) : await this.viaPopup(attempt, crypto);
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

  /** The embedded popup: our authorize URL, the SignInWindow port, our parseRedirect, then the code redemption. */
  private async viaPopup(a: Attempt, crypto: CryptoProvider): Promise<AttemptOutcome> {
    const { verifier, challenge } = await crypto.generatePkceCodes();
    let authorizeUrl: string;
    try {
      authorizeUrl = await a.client.app.getAuthCodeUrl({
        scopes: a.scopes,
        redirectUri: a.redirectUri,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        state: a.expectedState,
        nonce: a.nonce,
        loginHint: a.profile.senderAddress,
        responseMode: ResponseMode.QUERY,
        correlationId: a.correlationId,
      });
    } catch (error) {
      return { kind: 'failed', finding: classifyError(error, a.context) };
    }

    a.state('waiting-for-user');
    const reply = await this.openWindow(authorizeUrl, a.redirectUri, a.endpoints, a.profile);
    if (reply.kind === 'cancelled' || reply.kind === 'timeout') {
      return { kind: 'cancelled', reason: reply.kind === 'timeout' ? 'timeout' : 'closed' };
    }
    if (reply.kind === 'blocked') {
      return hostBlocked(reply.host);
    }

    const parsed = parseRedirect(reply.url, { redirectUri: a.redirectUri, state: a.expectedState });
    if (parsed.kind === 'not-redirect' || parsed.kind === 'state-mismatch') {
      // No token request is sent for a reply that does not belong to this attempt (OA-3).
      return {
        kind: 'failed',
        finding: classifyError(new ClientAuthError(ClientAuthErrorCodes.stateMismatch, a.correlationId), a.context),
      };
    }
    if (parsed.kind === 'error') return { kind: 'failed', finding: classifyError(parsed.params, a.context) };

    a.state('exchanging-code');
    try {
      const result = await a.client.app.acquireTokenByCode(
        {
          code: parsed.code,
          scopes: a.scopes,
          redirectUri: a.redirectUri,
          codeVerifier: verifier,
          state: a.expectedState,
          nonce: a.nonce,
          correlationId: a.correlationId,
        },
        {
          code: parsed.code,
          state: parsed.state,
          ...(parsed.clientInfo === undefined ? {} : { client_info: parsed.clientInfo }),
        },
      );
      return { kind: 'result', result };
    } catch (error) {
      return { kind: 'failed', finding: classifyError(error, a.context) };
    }
  }

  /**
   * The system browser (RFC 8252): MSAL's acquireTokenInteractive with its loopback listener on
   * 127.0.0.1 (form_post; MSAL 7 compares the state itself and answers a reply with another state
   * with 400 while it keeps waiting, so a forged hit can neither sign in nor end the attempt). The
   * authorize URL leaves only as https on an allowed sign-in host (OA-L2). On timeout the listener is
   * closed by answering it ourselves with `access_denied` and MSAL's own state, as Entra would.
   */
  private async viaSystemBrowser(a: Attempt): Promise<AttemptOutcome> {
    const allowedHosts = allowedSignInHosts(a.endpoints, this.deps.network);
    let listener: { origin: string; state: string } | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let armTimeout: () => void = () => undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      // Armed once the browser is asked to show the page (below), as the popup's timeout is.
      armTimeout = () => {
        timer = setTimeout(() => resolve('timeout'), this.deps.signInTimeoutMs);
      };
    });
    const interactive = a.client.app.acquireTokenInteractive({
      scopes: a.scopes,
      state: a.expectedState,
      nonce: a.nonce,
      // The system browser may hold other sessions (the admin's own): the admin picks the sender account.
      // MSAL leaves login_hint out with select_account (Entra refuses the pair); the account guard checks the pick.
      prompt: 'select_account',
      correlationId: a.correlationId,
      successTemplate: LOOPBACK_SUCCESS_PAGE,
      errorTemplate: LOOPBACK_ERROR_PAGE,
      openBrowser: async (url) => {
        const decision = classifyPopupNavigation(url, { redirectUri: LOOPBACK_REDIRECT_URI, allowedHosts });
        if (decision.kind !== 'allow') throw new SignInBlocked(decision.kind === 'block' ? decision.host : 'localhost');
        listener = loopbackOf(url);
        a.state('waiting-for-user');
        armTimeout();
        await this.deps.systemBrowser.open(url);
      },
    });
    const cancel = this.cancelSignal(a.profile.id);
    try {
      const outcome = await Promise.race([interactive.then((result) => ({ result })), timeout, cancel.cancelled]);
      if (outcome === 'timeout' || outcome === 'cancel') {
        // MSAL's listener would wait for ever: answer it, so its socket closes now.
        interactive.catch(() => undefined);
        if (listener) await closeLoopback(listener);
        return { kind: 'cancelled', reason: outcome === 'timeout' ? 'timeout' : 'closed' };
      }
      return { kind: 'result', result: outcome.result };
    } catch (error) {
      if (error instanceof SignInBlocked) {
        return hostBlocked(error.host);
      }
      return { kind: 'failed', finding: classifyError(error, a.context) };
    } finally {
      cancel.done();
      clearTimeout(timer);
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
    const cancel = this.cancelSignal(profile.id);
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
          allowedHosts: allowedSignInHosts(endpoints, this.deps.network),
          title: profile.senderAddress,
          signal: controller.signal,
        })
        .catch((error: unknown): SignInWindowResult => {
          // A window that failed to open or crashed ends the attempt like a close: no error dump.
          this.deps.logger.warn('sign-in window failed', { error: error instanceof Error ? error.message : String(error) });
          return { kind: 'cancelled' };
        });
      const closedByAdmin = cancel.cancelled.then((): SignInWindowResult => {
        controller.abort(); // the window is told to close
        return { kind: 'cancelled' };
      });
      const outcome = await Promise.race([opened, timeout, closedByAdmin]);
      return controller.signal.aborted && outcome.kind !== 'cancelled' ? { kind: 'timeout' } : outcome;
    } finally {
      cancel.done();
      clearTimeout(timer);
    }
  }
}

interface Attempt {
  profile: ProfileView;
  client: ProfileClient;
  scopes: string[];
  /** The redirect URI as registered (the loopback one without its port). */
  redirectUri: string;
  endpoints: CloudEndpoints;
  expectedState: string;
  nonce: string;
  correlationId: string;
  context: ClassifyContext;
  state: (s: ApiEvents['signIn.state']['state']) => void;
}

/** How the interactive part ended, before the account checks that both methods share. */
type AttemptOutcome =
  | { kind: 'result'; result: AuthenticationResult }
  | { kind: 'cancelled'; reason: 'closed' | 'timeout' }
  | { kind: 'failed'; finding: Finding };

class SignInBlocked extends Error {
  constructor(readonly host: string) {
    super(`sign-in URL outside the allowed hosts: ${host}`);
    this.name = 'SignInBlocked';
  }
}

/** MSAL's listener address and its own state, both read from the authorize URL it built. */
function loopbackOf(authorizeUrl: string): { origin: string; state: string } | undefined {
  const params = new URL(authorizeUrl).searchParams;
  const redirect = params.get('redirect_uri');
  const state = params.get('state');
  if (redirect === null || state === null) return undefined;
  const target = new URL(redirect);
  // MSAL listens on 127.0.0.1 and names it localhost; ask the address it really bound.
  return { origin: `http://127.0.0.1:${target.port}`, state };
}

/** Ends a waiting loopback listener the way Entra would end it: a form_post with an error and the right state. */
async function closeLoopback(listener: { origin: string; state: string }): Promise<void> {
  try {
    await fetch(`${listener.origin}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        error: 'access_denied',
        error_description: 'cancelled by Absender',
        state: listener.state,
      }).toString(),
      signal: AbortSignal.timeout(2000),
    });
  } catch {
    // Already closed: nothing waits.
  }
}

/** The page the system browser shows after the redirect; the admin goes back to the app. No parameter is echoed. */
const loopbackPage = (title: string, de: string, en: string): string =>
  `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>${title}</title>` +
  '<meta name="viewport" content="width=device-width"><style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:15vh auto;padding:0 1rem;color:#242424}h1{font-size:1.4rem}p{line-height:1.5}</style></head>' +
  `<body><h1>${title}</h1><p lang="de">${de}</p><p lang="en">${en}</p></body></html>`;

export const LOOPBACK_SUCCESS_PAGE = loopbackPage(
  'Absender',
  'Die Anmeldung ist abgeschlossen. Sie können dieses Browserfenster schließen und zu Absender zurückkehren.',
  'Sign-in is complete. You can close this browser window and return to Absender.',
);
export const LOOPBACK_ERROR_PAGE = loopbackPage(
  'Absender',
  'Die Anmeldung wurde nicht abgeschlossen. Kehren Sie zu Absender zurück; dort steht, was zu tun ist.',
  'Sign-in was not completed. Return to Absender; it tells you what to do.',
);

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

/** The sign-in went to a host outside Microsoft's sign-in hosts: ended, naming the host (OA-P3). */
function hostBlocked(host: string): AttemptOutcome {
  return {
    kind: 'failed',
    finding: callerFinding('signin-host-blocked', 'host-blocked', { host }, `Navigation to ${host} blocked`),
  };
}
