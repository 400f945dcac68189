import { chromium, type Browser, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCore } from '../../electron/core/compose-core';
import { ManualTimer } from '../../electron/core/keep-alive/manual-timer';
import { createHandlers } from '../../electron/core/ipc/request-handlers';
import { FileLogSink } from '../../electron/core/logging/file-log-sink';
import { createLogger } from '../../electron/core/logging/logger';
import type { Cipher, Clock, DesktopNotification, KeyValueStore } from '../../electron/core/ports';
import { createBridge } from '../../electron/preload/bridge';
import { APP_ORIGIN as ELECTRON_APP_ORIGIN, appFileResponder } from '../../electron/main/app-protocol';
import { isTrustedFrame } from '../../electron/main/ipc/trusted-sender';
import { API_EVENTS, API_METHODS, eventChannelOf } from '../../shared/ipc/manifest';
import type { Emulator } from '../emulator';
import { emulatorEndpoints } from '../../electron/core/testing/emulator-endpoints';
import type { DemoInfo } from '../../shared/domain';
import type { AbsenderApi } from '../../shared/ipc/contract';
import { AesGcmCipher } from './aes-gcm-cipher';
import { openConfStore } from '../../electron/core/testing/conf-store';
import type { StoreFileResult } from '../../electron/core/storage/store-bootstrap';
import { nodeFsSeam, type FsSeam } from '../../electron/core/storage/fs-seam';
import { UndiciTransport } from '../../electron/core/testing/undici-transport';
import { CHROMIUM_ARGS, chromiumPath } from './chromium';
import { PlaywrightSignInWindow } from './playwright-sign-in-window';
import { PlaywrightSystemBrowser } from './playwright-system-browser';

export interface BrowserHostOptions {
  dataDir?: string;
  emulator?: Emulator;
  locale?: 'de' | 'en';
  /** Replace the OS cipher, e.g. one reporting "basic_text". */
  cipher?: Cipher;
  /** Fault injection at the store seam: return an fs error to make the next write of that store fail. */
  failWrite?: (store: 'profiles' | 'secrets' | 'settings' | 'history') => NodeJS.ErrnoException | undefined;
  /** Asked for each store file that is damaged and has no usable backup; default: refuse (start fails). */
  confirmStartEmpty?: (result: StoreFileResult) => Promise<boolean>;
  /** Also write the log to files there, as the app does (outside dataDir: specs scan that for canaries). */
  logDir?: string;
  /** Per-request timeout of the core's Microsoft calls (default 30 s); short for hung-endpoint specs. */
  requestTimeoutMs?: number;
  /** false: a visible browser window (the preview on a machine with a display); default headless. */
  headless?: boolean;
  /** The demo world's banner (the preview): reaches the renderer as app.info's `demo`. */
  demo?: DemoInfo;
  /** Runs against the composed core before the page loads (the preview seeds its demo profiles). */
  prepare?: (api: AbsenderApi) => Promise<void>;
}

export interface BrowserHost {
  page: Page;
  /** The browser itself (the preview waits for its window to close). */
  browser: Browser;
  dataDir: string;
  /** Every line the app logged (already redacted), for secret scans. */
  logLines: string[];
  /** Every IPC reply and pushed event, as the renderer received it (for secret scans). */
  ipcLog: unknown[];
  /** Every Content-Security-Policy violation the page reported; specs expect none. */
  cspViolations: string[];
  /** Everything the app put on the clipboard, newest last. */
  clipboard: string[];
  /** Pages the app asked the system browser to open. */
  openedUrls: string[];
  /**
   * The Modern Authentication sign-in window (a Playwright page in its own context, like the
   * popup's own partition): `nextPage()` resolves with the page after the app opened it, e.g.
   * `const popup = await host.signIn.nextPage(); await popup.fill('input[name="passwd"]', pw)`;
   * closing it = the admin closed the window. `pages()` = the ones open now; `log` = every URL
   * the window let through, captured or blocked.
   */
  signIn: {
    nextPage: (timeoutMs?: number) => Promise<Page>;
    pages: () => Page[];
    log: PlaywrightSignInWindow['log'];
  };
  /**
   * The system browser of the loopback sign-in: `nextPage()` resolves with the page the app opened
   * (a fresh context, not screened: the redirect really reaches MSAL's listener); `urls` = what it opened.
   */
  systemBrowser: { nextPage: (timeoutMs?: number) => Promise<Page>; urls: readonly string[] };
  /**
   * The keep-alive runs on a hand-driven timer (a real hourly one would make runs depend on wall time):
   * `runNextCheck()` runs the next scheduled check and waits for its refreshes. `advanceClock(ms)` moves
   * the core's clock (not the renderer's), e.g. past the refresh interval.
   */
  keepAlive: { runNextCheck: () => Promise<void>; advanceClock: (ms: number) => void };
  /**
   * The daily health check on its own hand-driven timer (apart from the keep-alive's): `runNextCheck()` runs the
   * next wake-up and waits for its "test all"; `notifications` = every desktop notification the core asked for.
   */
  healthCheck: { runNextCheck: () => Promise<void>; notifications: DesktopNotification[] };
  close: () => Promise<void>;
}

const APP_ORIGIN = 'http://absender.localhost';
/** The page's real URL here (served as app://absender/index.html by the responder below): what the sender rule checks. */
const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;
const RENDERER_DIR = resolve(import.meta.dirname, '../../dist/renderer');

/**
 * Runs the real renderer in Debian's Chromium and the real core in this process, joined by a
 * Playwright binding with the same contract as Electron's preload. Only OS services differ.
 */
export async function launchBrowserHost(options: BrowserHostOptions = {}): Promise<BrowserHost> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`The renderer is not built (${RENDERER_DIR}). Run "npx vite build" first.`);
  }
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'absender-host-')));
  const locale = options.locale ?? 'de';
  const logLines: string[] = [];
  const openedUrls: string[] = [];
  const clipboard: string[] = [];
  const ipcLog: unknown[] = [];
  const cspViolations: string[] = [];
  const logFile = options.logDir === undefined ? undefined : new FileLogSink({ dir: options.logDir });
  const logger = createLogger({
    write: (line) => {
      logLines.push(line);
      logFile?.write(line);
    },
  });

  // --lang sets Chromium's UI locale, which formats date inputs the way the admin's OS would.
  // With an emulator: trust exactly its leaf key for the sign-in pages; certificate errors in
  // general stay errors (no --ignore-certificate-errors).
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    args: [
      ...CHROMIUM_ARGS,
      `--lang=${locale}`,
      ...(options.emulator ? [`--ignore-certificate-errors-spki-list=${options.emulator.spkiFingerprint}`] : []),
    ],
  });
  const signInWindow = new PlaywrightSignInWindow(browser, { locale });
  const systemBrowser = new PlaywrightSystemBrowser(browser, { locale });
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();

  // The same start-up checks as the app: temp leftovers removed, a damaged file quarantined and
  // restored from its backup, never silently emptied.
  let clockOffsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + clockOffsetMs) };
  const timer = new ManualTimer();
  const healthTimer = new ManualTimer();
  const notifications: DesktopNotification[] = [];
  // The relay listens on a free loopback port here (2525 may be taken by another run on the machine).
  const relayPort = await freeLoopbackPort();
  const { api, keepAlive, healthWatch, relay } = await startCore({
    relay: { defaults: { port: relayPort } },
    storeFiles: {
      dir: dataDir,
      open: (name) => withWriteFaults(openConfStore(dataDir, name), () => options.failWrite?.(name)),
      // A profile save appends to profiles.journal: the same fault reaches it there.
      journalFs: withFsFaults(() => options.failWrite?.('profiles')),
      confirmStartEmpty: options.confirmStartEmpty ?? (() => Promise.resolve(false)),
    },
    os: {
      cipher: options.cipher ?? new AesGcmCipher(),
      clock,
      timer,
      healthTimer,
      notifier: { notify: (n) => notifications.push(n) },
      logger,
      // undici with the emulator's CA (verification stays on); the machine's HTTPS_PROXY is not read.
      transport: new UndiciTransport({ extraCaPem: options.emulator?.caCertPem, systemProxy: '' }),
      signInWindow,
      systemBrowser,
      clipboard: {
        writeText: (text) => {
          clipboard.push(text);
          return Promise.resolve();
        },
      },
      opener: (url) => {
        openedUrls.push(url);
        return Promise.resolve();
      },
    },
    events: {
      emit: (event, payload) => {
        ipcLog.push({ event, payload });
        page
          .evaluate(
            ([channel, data]) =>
              (globalThis as unknown as { __absenderDeliver(c: string, d: unknown): void }).__absenderDeliver(channel, data),
            [eventChannelOf(event), payload] as const,
          )
          .catch(() => undefined); // the page may be closing
      },
    },
    ...(logFile ? { logFile } : {}),
    host: {
      version: '0.0.0-test',
      host: 'browser-test-host',
      platform: process.platform,
      osLanguage: locale,
      ...(options.demo ? { demo: options.demo } : {}),
    },
    // With an emulator, the core talks to it exactly as to Microsoft: same code, other host names,
    // its CA trusted by the transport above.
    ...(options.emulator
      ? {
          network: {
            endpoints: emulatorEndpoints(options.emulator),
            ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
          },
        }
      : {}),
  });
  await options.prepare?.(api);
  const handlers = createHandlers(api, logger);

  await page.exposeBinding('__absenderCspViolation', (_source, directive: unknown, blocked: unknown) => {
    cspViolations.push(`${String(directive)} ${String(blocked)}`);
  });
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => window.__absenderCspViolation(e.violatedDirective, e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));",
  );
  // The Electron host's rule (isTrustedFrame): only the app's own top-level page may call the API.
  await page.exposeBinding('__absenderInvoke', async (source, channel: unknown, arg: unknown) => {
    if (!isTrustedFrame({ url: source.frame.url(), isMainFrame: source.frame.parentFrame() === null }, APP_PAGE_URL))
      throw new Error('IPC sender refused');
    const handler = typeof channel === 'string' ? handlers.get(channel) : undefined;
    if (!handler) throw new Error('Unknown IPC channel');
    const reply = await handler(arg);
    ipcLog.push({ channel, reply });
    return reply;
  });
  await page.addInitScript(`(() => {
    const listeners = new Map();
    window.__absenderDeliver = (channel, payload) => { for (const l of listeners.get(channel) ?? []) l(payload); };
    const transport = {
      invoke: (channel, arg) => window.__absenderInvoke(channel, arg),
      subscribe: (channel, listener) => {
        const set = listeners.get(channel) ?? new Set();
        set.add(listener);
        listeners.set(channel, set);
        return () => set.delete(listener);
      },
    };
    window.absender = (${createBridge.toString()})(${JSON.stringify(API_METHODS)}, ${JSON.stringify(API_EVENTS)}, transport);
  })();`);
  // The same responder as Electron's app:// handler: same file resolution, same CSP header, a fresh style nonce per page.
  const respond = appFileResponder(RENDERER_DIR, readFile);
  await context.route(`${APP_ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await respond({ url: `${ELECTRON_APP_ORIGIN}${url.pathname}${url.search}` });
    return route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    });
  });
  // Nothing else may load: the renderer needs no network (its CSP says the same).
  await context.route(
    (url) => !url.href.startsWith(`${APP_ORIGIN}/`),
    (route) => route.abort('blockedbyclient'),
  );

  await page.goto(APP_PAGE_URL);
  await page.waitForFunction(() => typeof (globalThis as unknown as { absender?: unknown }).absender === 'object');
  keepAlive.start(); // as the Electron host does once its window is up
  healthWatch.start();

  return {
    page,
    browser,
    dataDir,
    logLines,
    ipcLog,
    cspViolations,
    openedUrls,
    clipboard,
    signIn: {
      nextPage: (timeoutMs) => signInWindow.nextSignInPage(timeoutMs),
      pages: () => signInWindow.signInPages(),
      log: signInWindow.log,
    },
    systemBrowser: { nextPage: (timeoutMs) => systemBrowser.nextPage(timeoutMs), urls: systemBrowser.urls },
    keepAlive: {
      runNextCheck: () => timer.runNext(),
      advanceClock: (ms) => {
        clockOffsetMs += ms;
      },
    },
    healthCheck: { runNextCheck: () => healthTimer.runNext(), notifications },
    close: async () => {
      keepAlive.stop();
      healthWatch.stop();
      await relay?.close();
      if (!browser.isConnected()) return;
      await signInWindow.closeAll();
      await systemBrowser.closeAll();
      await browser.close();
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

/** Lets a spec make one write fail the way a full or locked disk would; reads are untouched. */
function withFsFaults(fault: () => NodeJS.ErrnoException | undefined): FsSeam {
  return {
    ...nodeFsSeam,
    openSync: (path, flags, mode) => {
      const error = fault();
      if (error) throw error;
      return nodeFsSeam.openSync(path, flags, mode);
    },
  };
}

function withWriteFaults(store: KeyValueStore, fault: () => NodeJS.ErrnoException | undefined): KeyValueStore {
  return {
    get: (key) => store.get(key),
    set: (key, value) => {
      const error = fault();
      if (error) throw error;
      store.set(key, value);
    },
    delete: (key) => store.delete(key),
  };
}
