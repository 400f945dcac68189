import { PageHandoff } from './page-handoff';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SystemBrowser } from '../../electron/core/ports';

/**
 * The browser test host's "system browser" for the loopback sign-in: a page in a fresh context of
 * the host's Chromium (which trusts exactly the emulator's key, like the popup), so it shares no
 * cookie with the app or the popup. It navigates like a real browser would: nothing is screened,
 * the redirect really reaches MSAL's listener on 127.0.0.1.
 */
export class PlaywrightSystemBrowser implements SystemBrowser {
  private readonly contexts = new Set<BrowserContext>();
  private readonly handoff = new PageHandoff('system-browser');
  /** Every URL the app asked the browser to open. */
  readonly urls: string[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly options: { locale?: string } = {},
  ) {}

  async open(url: string): Promise<void> {
    this.urls.push(url);
    const context = await this.browser.newContext(this.options.locale === undefined ? {} : { locale: this.options.locale });
    this.contexts.add(context);
    const page = await context.newPage();
    this.handoff.offer(page);
    // Like shell.openExternal: the app does not wait for the page to load.
    page.goto(url).catch(() => undefined);
  }

  /** The next page the app opened (or one it opened that no caller has taken yet). */
  nextPage(timeoutMs = 15_000): Promise<Page> {
    return this.handoff.next(timeoutMs);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.contexts].map((c) => c.close().catch(() => undefined)));
    this.contexts.clear();
  }
}
