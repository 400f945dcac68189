import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { classifyPopupNavigation } from '../../electron/core/auth/redirect-guard';
import { PageHandoff } from './page-handoff';
import type { SignInWindow, SignInWindowResult } from '../../electron/core/ports';

interface RequestPaused {
  requestId: string;
  request: { url: string };
  resourceType: string;
  frameId: string;
}

/**
 * The browser test host's sign-in window: a Playwright page that plays the Electron popup.
 *
 * - Each attempt gets its own browser context: a fresh, in-memory cookie jar, as the popup's
 *   `absender-signin-<random>` partition (OA-P2); it also keeps the app page's "no network" route
 *   rule out of the sign-in's way.
 * - Requests are screened with classifyPopupNavigation() through CDP `Fetch` at the request stage,
 *   not page.route(): Playwright's routes never see the target of a server redirect, and the
 *   redirect URI is reached by exactly such a 302. CDP pauses every hop, like Electron's
 *   webRequest.onBeforeRequest, so the redirect URI is captured and failed before it is requested.
 * - As the Electron popup: only the top frame's page decides the attempt. A refused sub-frame document
 *   (compared by CDP frame id with the page's main frame) is failed and the sign-in goes on.
 * - Closing the page = cancelled; the core's abort signal closes it.
 */
export class PlaywrightSignInWindow implements SignInWindow {
  private readonly openPages = new Set<Page>();
  private readonly handoff = new PageHandoff('sign-in');
  private readonly contexts = new Set<BrowserContext>();
  /** Every URL the window refused or captured, for assertions (queries included: test data only). */
  readonly log: Array<{ url: string; decision: 'redirect' | 'allow' | 'block' }> = [];

  constructor(
    private readonly browser: Browser,
    private readonly options: { locale?: string } = {},
  ) {}

  /** The sign-in pages open right now. */
  signInPages(): Page[] {
    return [...this.openPages];
  }

  /** The next sign-in page the app opens (or one it opened that no caller has taken yet). */
  nextSignInPage(timeoutMs = 15_000): Promise<Page> {
    return this.handoff.next(timeoutMs);
  }

  async open(request: Parameters<SignInWindow['open']>[0]): Promise<SignInWindowResult> {
    const signal = request.signal;
    if (signal?.aborted) return { kind: 'cancelled' };
    // Listened for before the first await: an abort while the context is still being created must end it too.
    let onAbort = (): void => undefined;
    signal?.addEventListener('abort', () => onAbort(), { once: true });
    const aborted = (): boolean => signal?.aborted === true;
    const context = await this.browser.newContext(this.options.locale === undefined ? {} : { locale: this.options.locale });
    this.contexts.add(context);
    const abandon = (): SignInWindowResult => {
      this.contexts.delete(context);
      void context.close().catch(() => undefined);
      return { kind: 'cancelled' };
    };
    if (aborted()) return abandon();
    let page: Page;
    let cdp: CDPSession;
    let mainFrameId: string;
    try {
      page = await context.newPage();
      cdp = await context.newCDPSession(page);
      // The top frame keeps its id across navigations (it is the page target's own id).
      mainFrameId = (await cdp.send('Page.getFrameTree')).frameTree.frame.id;
    } catch {
      return abandon(); // closed meanwhile (closeAll)
    }
    if (aborted()) return abandon();

    return new Promise<SignInWindowResult>((resolve) => {
      let settled = false;
      const finish = (result: SignInWindowResult): void => {
        if (settled) return;
        settled = true;
        this.openPages.delete(page);
        this.handoff.withdraw(page);
        resolve(result);
        this.contexts.delete(context);
        void context.close().catch(() => undefined);
      };
      const fail = (requestId: string): void => {
        cdp.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' }).catch(() => undefined);
      };

      cdp.on('Fetch.requestPaused', (event: RequestPaused) => {
        const url = event.request.url;
        const decision = classifyPopupNavigation(url, request);
        const topDocument = event.resourceType === 'Document' && event.frameId === mainFrameId;
        this.log.push({ url, decision: decision.kind });
        if (decision.kind === 'allow') {
          cdp.send('Fetch.continueRequest', { requestId: event.requestId }).catch(() => undefined);
          return;
        }
        // The redirect URI is never requested: its query holds the code.
        fail(event.requestId);
        // A subresource or a sub-frame is refused quietly (a frame at the redirect URI is no reply); only the top page ends the attempt.
        if (!topDocument) return;
        finish(decision.kind === 'redirect' ? { kind: 'redirect', url } : { kind: 'blocked', host: decision.host });
      });
      page.on('close', () => finish({ kind: 'cancelled' }));
      onAbort = () => finish({ kind: 'cancelled' });

      cdp
        .send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] })
        .then(() => {
          if (settled) return;
          this.openPages.add(page);
          this.handoff.offer(page);
          // Errors of the navigation itself (e.g. the captured redirect) are expected: the outcome is above.
          page.goto(request.authorizeUrl).catch(() => undefined);
        })
        .catch(() => finish({ kind: 'cancelled' }));
    });
  }

  /** Closes every sign-in page still open (each reports cancelled). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.contexts].map((c) => c.close().catch(() => undefined)));
  }
}
