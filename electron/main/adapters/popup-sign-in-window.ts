import type { BrowserWindow, BrowserWindowConstructorOptions, ProxyConfig, Session, WebContents } from 'electron';
import { classifyPopupNavigation, signInWindowTitle } from '../../core/auth/redirect-guard';
import type { SignInWindow, SignInWindowResult } from '../../core/ports';
import { denyPermissionsOn } from '../permission-policy';
import { popupWindowOptions, SIGN_IN_TITLE_PREFIX, signInPartitionName } from './popup-options';

/** What the adapter needs from Electron; index.ts passes the real objects (value imports stay there). */
export interface PopupDeps {
  createWindow: (options: BrowserWindowConstructorOptions) => BrowserWindow;
  sessionFromPartition: (partition: string) => Session;
  /** The app window the popup is modal over. */
  parent: () => BrowserWindow | undefined;
  /** The core's current proxy (proxyConfigOf(setting)): the sign-in goes the same way as the token calls. */
  proxy: () => ProxyConfig;
}

/** Chromium's net::ERR_ABORTED: our own cancellations, not a load failure. */
const ERR_ABORTED = -3;

/**
 * The Electron SignInWindow: a modal popup in a fresh in-memory partition. Every navigation and
 * redirect, of the top frame and of sub-frames, is screened by classifyPopupNavigation() three times over
 * (will-navigate / will-frame-navigate / will-redirect, and webRequest.onBeforeRequest, which also
 * sees server 302s), so the redirect URI is captured and cancelled before a request is made.
 * Closing the window, a crash, a load failure or the core's abort end the attempt as cancelled;
 * afterwards the window is destroyed and the partition's data and listeners are gone.
 *
 * Not runnable here (no Electron binary): the pure parts are unit-tested, the same classifier
 * drives the Playwright window of the browser test host.
 */
export class PopupSignInWindow implements SignInWindow {
  private readonly sessions = new WeakSet<Session>();

  constructor(private readonly deps: PopupDeps) {}

  /** For app.on('web-contents-created'): the popup's contents get this adapter's guard, not the app's. */
  owns(contents: WebContents): boolean {
    return this.sessions.has(contents.session);
  }

  open(request: Parameters<SignInWindow['open']>[0]): Promise<SignInWindowResult> {
    if (request.signal?.aborted) return Promise.resolve({ kind: 'cancelled' });
    const partition = signInPartitionName();
    const ses = this.deps.sessionFromPartition(partition);
    this.sessions.add(ses);
    denyPermissionsOn(ses);
    ses.on('will-download', (event) => event.preventDefault());

    const win = this.deps.createWindow(
      popupWindowOptions({
        partition,
        title: signInWindowTitle(request.authorizeUrl, SIGN_IN_TITLE_PREFIX),
        parent: this.deps.parent(),
      }),
    );
    const wc = win.webContents;

    return new Promise<SignInWindowResult>((resolve) => {
      let settled = false;
      const onAbort = () => finish({ kind: 'cancelled' });
      const finish = (result: SignInWindowResult): void => {
        if (settled) return;
        settled = true;
        request.signal?.removeEventListener('abort', onAbort);
        resolve(result);
        ses.webRequest.onBeforeRequest(null);
        if (!win.isDestroyed()) win.destroy();
        // In memory anyway; cleared so nothing of the attempt outlives it even while the app runs.
        void ses.clearStorageData().catch(() => undefined);
        void ses.clearCache().catch(() => undefined);
      };
      /** true = may load; otherwise the navigation is stopped and the attempt ends. */
      const screen = (url: string, stop: () => void): boolean => {
        const decision = classifyPopupNavigation(url, request);
        if (decision.kind === 'allow') return true;
        stop();
        finish(decision.kind === 'redirect' ? { kind: 'redirect', url } : { kind: 'blocked', host: decision.host });
        return false;
      };
      /**
       * A sub-frame passes the same classifier, but only the top frame's page is the admin's: a refused
       * frame is stopped and the attempt goes on, and a frame at the redirect URI is never loaded nor taken as the reply.
       */
      const screenSubFrame = (url: string, stop: () => void): void => {
        if (classifyPopupNavigation(url, request).kind !== 'allow') stop();
      };
      const screenFrame = (details: { url: string; isMainFrame: boolean; preventDefault(): void }): void => {
        const stop = () => details.preventDefault();
        if (details.isMainFrame) screen(details.url, stop);
        else screenSubFrame(details.url, stop);
      };

      ses.webRequest.onBeforeRequest((details, callback) => {
        if (settled) return callback({ cancel: true });
        if (details.resourceType === 'mainFrame') {
          if (screen(details.url, () => callback({ cancel: true }))) callback({});
          return;
        }
        if (details.resourceType === 'subFrame') {
          let cancelled = false;
          screenSubFrame(details.url, () => (cancelled = true));
          return callback({ cancel: cancelled });
        }
        // Pages load scripts and styles from Microsoft's CDNs; those are not checked (OA-P3),
        // but nothing goes to the redirect URI or over plain http.
        const decision = classifyPopupNavigation(details.url, request);
        callback({ cancel: decision.kind === 'redirect' || (decision.kind === 'block' && decision.reason !== 'host') });
      });
      wc.on('will-navigate', (details) => void screen(details.url, () => details.preventDefault()));
      wc.on('will-frame-navigate', screenFrame);
      wc.on('will-redirect', screenFrame);
      wc.setWindowOpenHandler(() => ({ action: 'deny' }));
      wc.on('will-attach-webview', (event) => event.preventDefault());
      // The title is ours: the host of the page shown, never the page's own title (OA-P6). Only the
      // BrowserWindow's event can be prevented (docs/api/browser-window.md); webContents' only informs.
      win.on('page-title-updated', (event) => event.preventDefault());
      wc.on('did-navigate', (_event, url) => win.setTitle(signInWindowTitle(url, SIGN_IN_TITLE_PREFIX)));
      wc.on('did-fail-load', (_event, errorCode, _description, _url, isMainFrame) => {
        if (isMainFrame && errorCode !== ERR_ABORTED) finish({ kind: 'cancelled' });
      });
      wc.on('render-process-gone', () => finish({ kind: 'cancelled' }));
      win.on('closed', () => finish({ kind: 'cancelled' }));
      win.once('ready-to-show', () => win.show());
      request.signal?.addEventListener('abort', onAbort, { once: true });
      // The fresh partition has no proxy of its own (docs/api/session.md: setProxy is per session and
      // resolves when applied): nothing loads before it goes the way the core's requests go.
      ses
        .setProxy(this.deps.proxy())
        .then(() => {
          if (settled) return;
          // The load "fails" with ERR_ABORTED when the redirect is captured: the outcome is already decided.
          win.loadURL(request.authorizeUrl).catch(() => undefined);
        })
        .catch(() => finish({ kind: 'cancelled' }));
    });
  }
}

/** The popup's contents: no new windows, no webviews; navigation is screened by the adapter itself. */
export function guardSignInContents(contents: Pick<WebContents, 'setWindowOpenHandler' | 'on'>): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
