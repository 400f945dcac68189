import type { DemoInfo, ProxySetting } from '../../shared/domain';
import type { ApiEvents } from '../../shared/ipc/contract';

// What the core needs from its host. The Electron host and the browser test host each provide these
// at their composition root; the core never imports electron.

export interface Cipher {
  /** False when the OS offers no real protection (Linux basic_text / unknown). */
  isAvailable(): boolean;
  /** e.g. "dpapi", "keychain", "gnome_libsecret", "kwallet6", "basic_text", "aes-256-gcm (test)". */
  backend(): string;
  encrypt(plaintext: string): Promise<Buffer>;
  /**
   * Rejects on a wrong key, a damaged or empty ciphertext; never resolves to a guessed plaintext. A key store out of
   * reach for now (not a wrong key) rejects with CipherUnavailableError: the ciphertext may well open later.
   */
  decrypt(ciphertext: Buffer): Promise<Decrypted>;
}

/** decrypt() could not reach the OS key store (still after the adapter's retries): says nothing about the ciphertext. */
export class CipherUnavailableError extends Error {
  override readonly name = 'CipherUnavailableError';
}

export interface Decrypted {
  plaintext: string;
  /** The OS rotated or upgraded its key: the caller should encrypt again and store the new ciphertext. */
  shouldReEncrypt: boolean;
}

/** A persistent map of top-level keys to JSON values (electron-store in the app, conf in tests). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /**
   * Runs `work` (its reads and writes of this store) under the file's inter-process lock, so a read-modify-write of
   * the window and a command at once loses neither's change; re-entrant. Absent where no other process writes (memory).
   */
  exclusive?<T>(work: () => T): T;
}

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface HostInfo {
  version: string;
  host: 'electron' | 'browser-test-host';
  platform: string;
  osLanguage: string;
  /** Set only by a demo composition (electron/demo, the preview): the banner's accounts. */
  demo?: DemoInfo;
}

export const systemClock: Clock = { now: () => new Date() };

/** What a sign-in window reports back: the captured redirect URL, or that it ended without one. */
export type SignInWindowResult =
  | { kind: 'redirect'; url: string }
  | { kind: 'cancelled' }
  /** The page tried to go somewhere the sign-in may not go (e.g. an unlisted host, or http:). */
  | { kind: 'blocked'; host: string };

/**
 * The interactive part of Modern Authentication: shows Microsoft's sign-in page and catches the
 * navigation to the redirect URI before it loads. A modal BrowserWindow in Electron, a Playwright
 * page in the browser test host. Every navigation goes through classifyPopupNavigation().
 */
export interface SignInWindow {
  open(request: {
    authorizeUrl: string;
    redirectUri: string;
    /** https hosts the window may show (host[:port], lower case); anything else is blocked. */
    allowedHosts: readonly string[];
    title?: string;
    /** Aborted by the core on its overall timeout: the window closes and reports cancelled. */
    signal?: AbortSignal;
  }): Promise<SignInWindowResult>;
}

/**
 * Deferred work (the keep-alive's checks): setTimeout in the hosts, a hand-driven fake in tests.
 * `fn` may return a promise so a fake timer can wait for the work it started.
 */
export interface Timer {
  /** Runs `fn` once after `ms`; the returned function cancels it. */
  after(ms: number, fn: () => Promise<void> | void): () => void;
}

export const systemTimer: Timer = {
  after: (ms, fn) => {
    const handle = setTimeout(() => void fn(), ms);
    // A pending check must not keep a closing app (or a test process) alive.
    handle.unref();
    return () => clearTimeout(handle);
  },
};

/**
 * The system browser for the loopback sign-in (RFC 8252): opens the authorize URL outside the app.
 * `shell.openExternal` behind an https-only check in Electron; a Playwright page in the test host.
 */
export interface SystemBrowser {
  open(url: string): Promise<void>;
}

/** How the app reaches Microsoft: "system" (the OS's configuration), "none", or one http://host:port. */
export type { ProxySetting } from '../../shared/domain';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Lower- or mixed-case names; one value each (the core sends no repeated header). */
  headers: Readonly<Record<string, string>>;
  /** JSON/form text, or the bytes of an attachment upload chunk. */
  body?: string | Uint8Array;
  /** The caller's deadline; an aborted request rejects with the signal's reason. */
  signal: AbortSignal;
}

/** What the core reads of an answer: nothing a fetch Response has that every host could not give. */
export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string>>;
  text(): Promise<string>;
}

/**
 * Every request the core makes to Microsoft (MSAL's token calls, Graph) goes through this: Electron's
 * session.fetch in the app (the OS's proxy and certificate store), undici in Node test hosts.
 * A failure rejects with an Error whose `code` names it (ENOTFOUND, CERT_…, PROXY_REFUSED, …) and,
 * when a proxy was in the way, whose `proxy` is its host:port.
 */
export interface HttpTransport {
  fetch(url: string, request: HttpRequest): Promise<HttpResponse>;
  /** Applies from the next request on (settings change without restart). */
  useProxy(proxy: ProxySetting): void;
}

/** The OS clipboard (Electron's clipboard module in main: the renderer holds no clipboard permission). */
export interface Clipboard {
  writeText(text: string): Promise<void>;
}

/** Opens an https page in the system browser (never inside the app); help links only. */
export type ExternalOpener = (url: string) => Promise<void>;

/** Pushes an event to the app's renderer (never into the sign-in window). */
export type EventSink = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => void;

/** A desktop notification (Electron's Notification in main, a recording fake in the browser test host). */
export interface DesktopNotification {
  title: string;
  body: string;
  /** The profile it is about, so a click can select it. */
  profileId?: string;
}

/** Shows desktop notifications: the core decides what and when, the host only shows it. */
export interface Notifier {
  notify(notification: DesktopNotification): void;
}

/** Every OS service the core uses, as one group: real ones in the app, fakes or Node ones in tests. */
export interface OsPorts {
  cipher: Cipher;
  clock: Clock;
  logger: Logger;
  clipboard: Clipboard;
  opener: ExternalOpener;
  /** Shows Microsoft's sign-in page for Modern Authentication (popup window / Playwright page). */
  signInWindow: SignInWindow;
  /** The system browser for profiles that sign in there (RFC 8252); without one such a sign-in fails plainly. */
  systemBrowser?: SystemBrowser;
  /** Drives the keep-alive's checks (setTimeout by default; tests drive it by hand). */
  timer?: Timer;
  /**
   * Runs the sign-in timeout (setTimeout by default; integration tests drive it by hand). Apart from `timer`:
   * the test host's keep-alive runNextCheck() must not also fire a pending sign-in timeout.
   */
  signInTimer?: Timer;
  /** The daily health check's desktop notifications; without one, nothing is shown (e.g. in commands). */
  notifier?: Notifier;
  /** Drives the daily health check (default: `timer`); apart so a test host can run it on its own. */
  healthTimer?: Timer;
  /** All HTTP to Microsoft: session.fetch in the app (OS proxy and certificates), undici in Node hosts. */
  transport: HttpTransport;
}
