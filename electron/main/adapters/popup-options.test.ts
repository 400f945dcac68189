import { EventEmitter } from 'node:events';
import type { BrowserWindow, BrowserWindowConstructorOptions, Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { isSignInPartition, popupWindowOptions, signInPartitionName } from './popup-options';
import { PopupSignInWindow } from './popup-sign-in-window';
import { entriesOf, expectedEntries } from '../testing/expected-web-preferences';

describe('popupWindowOptions', () => {
  const parent = new EventEmitter() as unknown as BrowserWindow;

  // OA-P1, EL-2, EL-3, EL-4: the popup has the same isolation, without the preload.
  it('locks the popup down: no preload, sandbox, isolation, no Node, its own partition, modal', () => {
    const options = popupWindowOptions({ partition: 'absender-signin-abc', title: 'Anmeldung', parent });
    expect(options).toMatchObject({ parent, modal: true, show: false, title: 'Anmeldung' });
    expect(entriesOf(options.webPreferences)).toEqual(
      expectedEntries(['devTools', false], ['partition', 'absender-signin-abc'], ['safeDialogs', true]),
    );
    expect(options.webPreferences).not.toHaveProperty('preload');
    expect(options.webPreferences).not.toHaveProperty('session');
  });

  // OA-P2: never persist:, never the default session.
  it('refuses a persistent or shared partition', () => {
    expect(() => popupWindowOptions({ partition: 'persist:absender-signin-x', title: 't', parent })).toThrow();
    expect(() => popupWindowOptions({ partition: '', title: 't', parent })).toThrow();
    expect(() => popupWindowOptions({ partition: 'persist:main', title: 't', parent: undefined })).toThrow();
  });

  it('is not modal without a parent window', () => {
    const options = popupWindowOptions({ partition: signInPartitionName(), title: 't', parent: undefined });
    expect(options).not.toHaveProperty('modal');
    expect(options).not.toHaveProperty('parent');
  });
});

// OA-P2: a fresh in-memory cookie jar per attempt.
describe('signInPartitionName', () => {
  it('is fresh per attempt and in memory (never persist:)', () => {
    const names = new Set(Array.from({ length: 50 }, () => signInPartitionName()));
    expect(names.size).toBe(50);
    for (const name of names) {
      expect(name).toMatch(/^absender-signin-[0-9a-f]{32}$/);
      expect(isSignInPartition(name)).toBe(true);
    }
    expect(signInPartitionName(() => Buffer.alloc(16, 0xab))).toBe(`absender-signin-${'ab'.repeat(16)}`);
  });
});

// A fake BrowserWindow/Session pair: enough to drive the adapter's listeners without Electron.
function fakeElectron() {
  type BeforeRequest = (d: { url: string; resourceType: string }, cb: (r: { cancel?: boolean }) => void) => void;
  const state = {
    beforeRequest: null as BeforeRequest | null,
    destroyed: false,
    cleared: 0,
    loaded: '',
    options: undefined as unknown,
    titles: [] as string[],
  };
  const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: () => undefined });
  const win = Object.assign(new EventEmitter(), {
    webContents: contents,
    isDestroyed: () => state.destroyed,
    destroy: () => {
      state.destroyed = true;
      win.emit('closed');
    },
    setTitle: (title: string) => void state.titles.push(title),
    show: () => undefined,
    loadURL: (url: string) => {
      state.loaded = url;
      return Promise.resolve();
    },
  });
  const ses = Object.assign(new EventEmitter(), {
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
    webRequest: { onBeforeRequest: (l: BeforeRequest | null) => (state.beforeRequest = l) },
    clearStorageData: () => Promise.resolve(void (state.cleared += 1)),
    clearCache: () => Promise.resolve(),
  });
  (contents as unknown as { session: unknown }).session = ses;
  const adapter = new PopupSignInWindow({
    createWindow: (options: BrowserWindowConstructorOptions) => {
      state.options = options;
      return win as unknown as BrowserWindow;
    },
    sessionFromPartition: () => ses as unknown as Session,
    parent: () => undefined,
  });
  return { adapter, state, win, contents };
}

const REQUEST = {
  authorizeUrl: 'https://login.microsoftonline.com/t/oauth2/v2.0/authorize?client_id=x',
  redirectUri: 'https://login.microsoftonline.com/common/oauth2/nativeclient',
  allowedHosts: ['login.microsoftonline.com'],
};

describe('PopupSignInWindow (fake Electron objects)', () => {
  // OA-P4, OA-P7: the redirect never loads, and the window and listeners are gone afterwards.
  it('captures the redirect in onBeforeRequest, cancels the request and tears down', async () => {
    const { adapter, state, contents } = fakeElectron();
    const pending = adapter.open(REQUEST);
    expect(adapter.owns(contents as never)).toBe(true);
    expect(state.loaded).toBe(REQUEST.authorizeUrl);
    const answers: Array<{ cancel?: boolean }> = [];
    state.beforeRequest?.({ url: 'https://login.microsoftonline.com/t/login', resourceType: 'mainFrame' }, (r) =>
      answers.push(r),
    );
    state.beforeRequest?.({ url: 'https://aadcdn.msftauth.net/x.js', resourceType: 'script' }, (r) => answers.push(r));
    state.beforeRequest?.({ url: `${REQUEST.redirectUri}?code=c&state=s`, resourceType: 'mainFrame' }, (r) => answers.push(r));
    expect(await pending).toEqual({ kind: 'redirect', url: `${REQUEST.redirectUri}?code=c&state=s` });
    expect(answers).toEqual([{}, { cancel: false }, { cancel: true }]);
    expect(state.beforeRequest).toBeNull();
    expect(state.destroyed).toBe(true);
    expect(state.cleared).toBe(1);
  });

  // OA-P3: server redirects are screened too.
  it('blocks a foreign page in will-redirect and names its host', async () => {
    const { adapter, contents } = fakeElectron();
    const pending = adapter.open(REQUEST);
    let prevented = false;
    contents.emit('will-redirect', { url: 'http://evil.test/x', isMainFrame: true, preventDefault: () => (prevented = true) });
    expect(await pending).toEqual({ kind: 'blocked', host: 'evil.test' });
    expect(prevented).toBe(true);
  });

  // OA-9, OA-P7: each way out ends the attempt exactly once.
  it('closing the window and the core abort both end as cancelled, exactly once', async () => {
    const closed = fakeElectron();
    const p1 = closed.adapter.open(REQUEST);
    closed.win.emit('closed');
    closed.win.emit('closed');
    expect(await p1).toEqual({ kind: 'cancelled' });

    const aborted = fakeElectron();
    const controller = new AbortController();
    const p2 = aborted.adapter.open({ ...REQUEST, signal: controller.signal });
    controller.abort();
    expect(await p2).toEqual({ kind: 'cancelled' });
    expect(aborted.state.destroyed).toBe(true);
  });

  it('keeps its own title with the real host: the page cannot retitle the window (OA-P6)', async () => {
    const { adapter, state, win, contents } = fakeElectron();
    const pending = adapter.open(REQUEST);
    expect(state.options).toMatchObject({ title: expect.stringContaining('login.microsoftonline.com') as unknown });
    // Electron emits it on the BrowserWindow; only preventDefault() there keeps the native title.
    let prevented = false;
    win.emit('page-title-updated', { preventDefault: () => (prevented = true) }, 'Sign in to your account', true);
    expect(prevented).toBe(true);
    contents.emit('did-navigate', {}, 'https://login.microsoftonline.com/t/login');
    expect(state.titles).toHaveLength(1);
    expect(state.titles[0]).toContain('login.microsoftonline.com');
    win.emit('closed');
    await pending;
  });
});
