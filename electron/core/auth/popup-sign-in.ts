import { ClientAuthError, ClientAuthErrorCodes, ResponseMode, type CryptoProvider } from '@azure/msal-node';
import { classifyError } from '../diagnostics/classify';
import type { Logger, SignInWindow, SignInWindowResult } from '../ports';
import { parseRedirect } from './redirect-guard';
import { endedBy, hostBlocked, type Attempt, type AttemptOutcome } from './sign-in-attempt';

export interface PopupSignInDeps {
  signInWindow: SignInWindow;
  logger: Logger;
}

/** The embedded popup: our authorize URL, the SignInWindow port, our parseRedirect, then the code redemption. */
export async function signInViaPopup(deps: PopupSignInDeps, a: Attempt, crypto: CryptoProvider): Promise<AttemptOutcome> {
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
  // Cancelled while the URL was built: no window at all.
  if (a.deadline.reason !== null) return endedBy(a.deadline.reason);

  a.state('waiting-for-user');
  const reply = await openWindow(deps, a, authorizeUrl);
  if (reply.kind === 'ended') return endedBy(reply.why);
  if (reply.kind === 'cancelled') return { kind: 'cancelled', reason: 'closed' };
  if (reply.kind === 'blocked') return hostBlocked(reply.host);

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

/** The window phase, bounded by the attempt's deadline; its signal tells the window to close. */
async function openWindow(
  deps: PopupSignInDeps,
  a: Attempt,
  authorizeUrl: string,
): Promise<SignInWindowResult | { kind: 'ended'; why: 'timeout' | 'cancel' }> {
  a.deadline.arm();
  const opened = deps.signInWindow
    .open({
      authorizeUrl,
      redirectUri: a.redirectUri,
      allowedHosts: a.allowedHosts,
      title: a.profile.senderAddress,
      signal: a.deadline.signal,
    })
    .catch((error: unknown): SignInWindowResult => {
      // A window that failed to open or crashed ends the attempt like a close: no error dump.
      deps.logger.warn('sign-in window failed', { error: error instanceof Error ? error.message : String(error) });
      return { kind: 'cancelled' };
    });
  const outcome = await a.deadline.race(opened);
  if (outcome.kind !== 'done') return { kind: 'ended', why: outcome.kind };
  // A reply that arrived as the deadline ended belongs to an attempt that is over.
  const why = a.deadline.reason;
  return why !== null && outcome.value.kind !== 'cancelled' ? { kind: 'ended', why } : outcome.value;
}
