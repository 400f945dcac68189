import type { BrowserWindowConstructorOptions, WebContents } from 'electron';

import { isAllowedMainNavigation } from './navigation-policy';

export { CONTENT_SECURITY_POLICY } from '../../shared/csp';

/** Every window of the app (main and sign-in popup) starts from these: no Node, no escape hatches. */
export function isolatedWebPreferences(isPackaged: boolean): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: !isPackaged,
  };
}

/** The one place window options are decided; a unit test pins every security-relevant field. */
export function mainWindowOptions(preloadPath: string, isPackaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Absender',
    webPreferences: { ...isolatedWebPreferences(isPackaged), preload: preloadPath },
  };
}

type GuardedContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;
type NavigationEvent = { url: string; preventDefault(): void };

/**
 * No new windows, no webviews and no navigation away from the app origin, in any frame and through
 * server redirects too (EL-12…14). Hash and history changes raise none of these events; a load of the
 * app's own origin stays allowed: it can only show our bundle, under our CSP.
 */
export function guardWebContents(contents: GuardedContents, appOrigin: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const screen = (details: NavigationEvent): void => {
    if (!isAllowedMainNavigation(details.url, appOrigin)) details.preventDefault();
  };
  contents.on('will-navigate', screen);
  contents.on('will-frame-navigate', screen);
  contents.on('will-redirect', screen);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
