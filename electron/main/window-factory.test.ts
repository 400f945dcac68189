import { describe, expect, it } from 'vitest';
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
  // EL-12, EL-13, EL-14: the guard every app web contents gets.
  it('denies new windows, navigation and webviews', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }) => void>();
    let openHandler: (() => { action: string }) | undefined;
    guardWebContents({
      setWindowOpenHandler: (h: () => { action: string }) => (openHandler = h),
      on: (name: string, l: (event: { preventDefault(): void }) => void) => listeners.set(name, l),
    } as never);
    expect(openHandler?.()).toEqual({ action: 'deny' });
    for (const name of ['will-navigate', 'will-attach-webview']) {
      let prevented = false;
      listeners.get(name)?.({ preventDefault: () => (prevented = true) });
      expect(prevented, name).toBe(true);
    }
  });
});
