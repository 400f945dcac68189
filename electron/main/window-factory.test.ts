import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_URL } from './app-protocol';
import { entriesOf, expectedEntries } from './testing/expected-web-preferences';
import { CONTENT_SECURITY_POLICY, guardWebContents, mainWindowOptions } from './window-factory';

describe('mainWindowOptions', () => {
  // EL-2, EL-3, EL-4, EL-6, EL-8, EL-9, EL-10, EL-11: every isolation key of the main window, pinned.
  it('isolates the renderer completely', () => {
    const prefs = mainWindowOptions('/app/preload/index.cjs', true).webPreferences;
    // Deep-equal on purpose: any key added or changed fails until this test is changed too (EL-2).
    expect(entriesOf(prefs)).toEqual(expectedEntries(['devTools', false], ['preload', '/app/preload/index.cjs']));
  });

  // SH-7: DevTools only where the build is not packaged.
  it('keeps DevTools for development builds only', () => {
    expect(mainWindowOptions('/p', false).webPreferences?.devTools).toBe(true);
  });

  // EL-7: the one CSP constant.
  it('has a CSP that lets the renderer reach no network and run no inline script', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/microsoft|https:/);
  });
});

describe('guardWebContents', () => {
  type Listener = (event: { url: string; isMainFrame: boolean; preventDefault(): void }) => void;
  function guarded() {
    const listeners = new Map<string, Listener>();
    let openHandler: (() => { action: string }) | undefined;
    guardWebContents(
      {
        setWindowOpenHandler: (h: () => { action: string }) => (openHandler = h),
        on: (name: string, l: Listener) => listeners.set(name, l),
      } as never,
      APP_ORIGIN,
    );
    /** true = the guard called preventDefault(). */
    const emit = (name: string, url = '', isMainFrame = true): boolean => {
      let prevented = false;
      const listener = listeners.get(name);
      if (!listener) throw new Error(`no ${name} listener`);
      listener({ url, isMainFrame, preventDefault: () => (prevented = true) });
      return prevented;
    };
    return { openHandler: () => openHandler?.(), emit };
  }

  // EL-12 (no webview attach), EL-14 (no new windows): the guard every app web contents gets.
  it('denies new windows and webviews', () => {
    const { openHandler, emit } = guarded();
    expect(openHandler()).toEqual({ action: 'deny' });
    expect(emit('will-attach-webview')).toBe(true);
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    '%s away from the app origin is prevented (EL-13)',
    (name) => {
      const { emit } = guarded();
      expect(emit(name, 'https://evil.example/')).toBe(true);
      expect(emit(name, 'app://absender.evil/index.html')).toBe(true);
      expect(emit(name, 'file:///etc/passwd', false)).toBe(true);
      expect(emit(name, 'javascript:alert(1)')).toBe(true);
      // the app's own origin stays reachable, e.g. a reload of its page
      expect(emit(name, APP_URL)).toBe(false);
    },
  );
});
