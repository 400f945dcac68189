import { EventEmitter } from 'node:events';
import type { BrowserWindow, BrowserWindowConstructorOptions, ProxyConfig, Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { isSignInPartition, popupWindowOptions, signInPartitionName } from './popup-options';
import { PopupSignInWindow } from './popup-sign-in-window';
import { denyAllPermissions } from '../permission-policy';
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
function fakeElectron(proxy: ProxyConfig = { mode: 'system' }) {
  type BeforeRequest = (d: { url: string; resourceType: string }, cb: (r: { cancel?: boolean }) => void) => void;
  const state = {
    beforeRequest: null as BeforeRequest | null,
    destroyed: false,
    cleared: 0,
    loaded: '',
    options: undefined as unknown,
    titles: [] as string[],
    permissionHandlers: [] as unknown[],
    /** What happened, in order: setProxy(mode) and loadURL. */
    calls: [] as string[],
    /** Holds setProxy until the test lets it resolve (or fail). */
    proxyApplied: Promise.resolve(),
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
      state.calls.push('loadURL');
      return Promise.resolve();
    },
  });
  const ses = Object.assign(new EventEmitter(), {
    setPermissionRequestHandler: (h: unknown) => void state.permissionHandlers.push(h),
    setPermissionCheckHandler: (h: unknown) => void state.permissionHandlers.push(h),
    webRequest: { onBeforeRequest: (l: BeforeRequest | null) => (state.beforeRequest = l) },
    clearStorageData: () => Promise.resolve(void (state.cleared += 1)),
    clearCache: () => Promise.resolve(),
    setProxy: (config: ProxyConfig) => {
      state.calls.push(`setProxy:${JSON.stringify(config)}`);
      return state.proxyApplied;
    },
  });
  (contents as unknown as { session: unknown }).session = ses;
  const adapter = new PopupSignInWindow({
    createWindow: (options: BrowserWindowConstructorOptions) => {
      state.options = options;
      return win as unknown as BrowserWindow;
    },
    sessionFromPartition: () => ses as unknown as Session,
    parent: () => undefined,
    proxy: () => proxy,
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
    await Promise.resolve(); // setProxy resolved
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

  it("gives the popup's partition the core's proxy before anything loads (setProxy is awaited)", async () => {
    const { adapter, state } = fakeElectron({ mode: 'fixed_servers', proxyRules: 'http://proxy.contoso.com:8080' });
    let apply: () => void = () => undefined;
    state.proxyApplied = new Promise<void>((resolve) => (apply = resolve));
    const pending = adapter.open(REQUEST);
    await Promise.resolve();
    expect(state.calls).toEqual(['setProxy:{"mode":"fixed_servers","proxyRules":"http://proxy.contoso.com:8080"}']);
    apply();
    await state.proxyApplied;
    await Promise.resolve();
    expect(state.calls).toEqual(['setProxy:{"mode":"fixed_servers","proxyRules":"http://proxy.contoso.com:8080"}', 'loadURL']);
    state.beforeRequest?.({ url: `${REQUEST.redirectUri}?code=c&state=s`, resourceType: 'mainFrame' }, () => undefined);
    expect(await pending).toMatchObject({ kind: 'redirect' });
  });

  it('an abort while the proxy is being applied ends the attempt and loads nothing; a failed setProxy too', async () => {
    const aborted = fakeElectron();
    let apply: () => void = () => undefined;
    aborted.state.proxyApplied = new Promise<void>((resolve) => (apply = resolve));
    const controller = new AbortController();
    const pending = aborted.adapter.open({ ...REQUEST, signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({ kind: 'cancelled' });
    apply();
    await aborted.state.proxyApplied;
    await Promise.resolve();
    expect(aborted.state.calls).toEqual(['setProxy:{"mode":"system"}']);
    expect(aborted.state.destroyed).toBe(true);

    // Not signed in past the company proxy: a proxy that cannot be applied ends the attempt.
    const failing = fakeElectron();
    failing.state.proxyApplied = Promise.reject(new Error('invalid proxy rules'));
    expect(await failing.adapter.open(REQUEST)).toEqual({ kind: 'cancelled' });
    expect(failing.state.loaded).toBe('');
    expect(failing.state.destroyed).toBe(true);
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
    // The wording from shared/i18n, as it read before the texts moved there.
    expect(state.titles[0]).toBe('Absender – Anmeldung / Sign-in – login.microsoftonline.com');
    win.emit('closed');
    await pending;
  });

  it('denies every permission in its partition (EL-5, OA-P5)', async () => {
    const { adapter, state, win } = fakeElectron();
    const pending = adapter.open(REQUEST);
    expect(state.permissionHandlers).toEqual([denyAllPermissions.request, denyAllPermissions.check]);
    win.emit('closed');
    await pending;
  });

  it('screens sub-frames with the same classifier: a refused frame is stopped, the attempt goes on (OA-P3)', async () => {
    const { adapter, state, contents } = fakeElectron();
    const pending = adapter.open(REQUEST);
    const frame = (event: string, url: string): boolean => {
      let prevented = false;
      contents.emit(event, { url, isMainFrame: false, preventDefault: () => (prevented = true) });
      return prevented;
    };
    for (const event of ['will-frame-navigate', 'will-redirect']) {
      expect(frame(event, 'https://evil.test/frame'), event).toBe(true);
      expect(frame(event, 'https://login.microsoftonline.com.evil.test/'), event).toBe(true);
      expect(frame(event, 'http://login.microsoftonline.com/t/frame'), event).toBe(true);
      expect(frame(event, 'javascript:alert(1)'), event).toBe(true);
      // The redirect URI never loads in a frame, and a frame's URL is not the reply.
      expect(frame(event, `${REQUEST.redirectUri}?code=c&state=s`), event).toBe(true);
      expect(frame(event, 'https://login.microsoftonline.com/t/sso-frame'), event).toBe(false);
    }
    const cancels = (url: string): boolean | undefined => {
      let answer: { cancel?: boolean } | undefined;
      state.beforeRequest?.({ url, resourceType: 'subFrame' }, (r) => (answer = r));
      return answer?.cancel;
    };
    expect(cancels('https://evil.test/frame')).toBe(true);
    expect(cancels(`${REQUEST.redirectUri}?code=c&state=s`)).toBe(true);
    expect(cancels('https://login.microsoftonline.com/t/sso-frame')).toBe(false);
    // Still open: the top frame's redirect is what ends it.
    expect(state.destroyed).toBe(false);
    contents.emit('will-redirect', {
      url: `${REQUEST.redirectUri}?code=top&state=s`,
      isMainFrame: true,
      preventDefault: () => undefined,
    });
    expect(await pending).toEqual({ kind: 'redirect', url: `${REQUEST.redirectUri}?code=top&state=s` });
  });

  it('a main-frame will-frame-navigate to a foreign host ends the attempt as blocked', async () => {
    const { adapter, contents } = fakeElectron();
    const pending = adapter.open(REQUEST);
    let prevented = false;
    contents.emit('will-frame-navigate', {
      url: 'https://evil.test/',
      isMainFrame: true,
      preventDefault: () => (prevented = true),
    });
    expect(await pending).toEqual({ kind: 'blocked', host: 'evil.test' });
    expect(prevented).toBe(true);
  });
});
