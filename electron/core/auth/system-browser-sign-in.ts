import type { SystemBrowser } from '../ports';
import { classifyError } from '../diagnostics/classify';
import { LOOPBACK_ERROR_PAGE, LOOPBACK_SUCCESS_PAGE } from './loopback-pages';
import { classifyPopupNavigation, LOOPBACK_REDIRECT_URI } from './redirect-guard';
import { endedBy, hostBlocked, type Attempt, type AttemptOutcome } from './sign-in-attempt';

/**
 * The system browser (RFC 8252): MSAL's acquireTokenInteractive with its loopback listener on
 * 127.0.0.1 (form_post; MSAL 7 compares the state itself and answers a reply with another state
 * with 400 while it keeps waiting, so a forged hit can neither sign in nor end the attempt). The
 * authorize URL leaves only as https on an allowed sign-in host (OA-L2). On timeout or cancel the
 * listener is closed by answering it ourselves with `access_denied` and MSAL's own state, as Entra would.
 */
export async function signInViaSystemBrowser(systemBrowser: SystemBrowser, a: Attempt): Promise<AttemptOutcome> {
  const allowedHosts = a.allowedHosts;
  let listener: { origin: string; state: string } | undefined;
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
      // Ended while MSAL started its listener: no browser; MSAL closes the listener on this throw.
      if (a.deadline.reason !== null) throw new Error('sign-in attempt already ended');
      const decision = classifyPopupNavigation(url, { redirectUri: LOOPBACK_REDIRECT_URI, allowedHosts });
      if (decision.kind !== 'allow') throw new SignInBlocked(decision.kind === 'block' ? decision.host : 'localhost');
      listener = loopbackOf(url);
      a.state('waiting-for-user');
      // Armed once the browser is asked to show the page, as the popup's timeout is.
      a.deadline.arm();
      await systemBrowser.open(url);
    },
  });
  try {
    const outcome = await a.deadline.race(interactive);
    if (outcome.kind !== 'done') {
      // MSAL's listener would wait for ever: answer it, so its socket closes now.
      interactive.catch(() => undefined);
      if (listener) await closeLoopback(listener);
      return endedBy(outcome.kind);
    }
    return { kind: 'result', result: outcome.value };
  } catch (error) {
    if (error instanceof SignInBlocked) return hostBlocked(error.host);
    return { kind: 'failed', finding: classifyError(error, a.context) };
  }
}

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
