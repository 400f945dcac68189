import type { BrowserWindowConstructorOptions, WebContents } from 'electron';

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

/** No new windows and no navigation away from the app; the renderer has nowhere else to go. */
export function guardWebContents(contents: GuardedContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
