import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
  type MessageBoxOptions,
} from 'electron';
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCore, type Core } from '../core/core-api';
import { createHandlers, type Handler } from '../core/ipc/dispatcher';
import { createLogger } from '../core/logging/logger';
import { systemClock } from '../core/ports';
import { eventChannelOf } from '../../shared/ipc/manifest';
import { HELP_HOSTS } from '../../shared/help';
import { APP_SCHEME, APP_URL, appFileResponder } from './app-protocol';
import { openStores, type OpenedStores } from './open-stores';
import { openElectronStore } from './adapters/electron-store-kv';
import { guardSignInContents, PopupSignInWindow } from './adapters/popup-sign-in-window';
import { SafeStorageCipher } from './adapters/safe-storage-cipher';
import { httpsOnlyOpener, systemBrowserVia } from './adapters/open-external';
import { NetFetchTransport, proxyConfigOf } from './adapters/net-fetch-transport';
import { handlersAwaiting, REQUEST_CHANNELS } from './ipc/deferred-handlers';
import { registerHandlers } from './ipc/register-handlers';
import { focusExistingWindow } from './focus-window';
import { runStartup, startupLanguage } from './startup';
import { unsavedChangesPrompt } from './unsaved-changes';
import { CONTENT_SECURITY_POLICY, guardWebContents, mainWindowOptions } from './window-factory';

// Composition root of the Electron host: real OS services in, the same core as in the tests.
// Every Electron API used here is listed with its doc page in docs/architecture.md.
// Every renderer sandboxed, even one created by a library (EL-4); must happen before 'ready'.
app.enableSandbox();
// The renderer comes from app://absender, a secure standard scheme of our own, not file:// (EL-18).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
if (!app.requestSingleInstanceLock()) app.quit();
else void app.whenReady().then(start);

async function start(): Promise<void> {
  const logPath = join(app.getPath('logs'), 'absender.log');
  const logger = createLogger({ write: (line) => appendFileSync(logPath, `${line}\n`) });
  const language = startupLanguage(app.getPreferredSystemLanguages(), app.getLocale());
  const windows: { main?: BrowserWindow } = {};
  // All HTTP to Microsoft through Chromium's stack: the session's proxy, the OS's certificate store.
  const transport = new NetFetchTransport(session.defaultSession, logger);
  // The popup is modal over the app window, and signs in through the same proxy as the core.
  const signInWindow = new PopupSignInWindow({
    createWindow: (options) => new BrowserWindow(options),
    sessionFromPartition: (partition) => session.fromPartition(partition, { cache: false }),
    parent: () => windows.main,
    proxy: () => proxyConfigOf(transport.proxy),
  });
  // The renderer's first calls (app.info, settings.get) wait here while the keychain may still ask.
  let coreHandlers!: { resolve: (h: ReadonlyMap<string, Handler>) => void; reject: (e: unknown) => void };
  const handlers = new Promise<ReadonlyMap<string, Handler>>((resolve, reject) => (coreHandlers = { resolve, reject }));
  let stores!: OpenedStores;
  let cipher!: SafeStorageCipher;
  let core!: Core;

  const started = await runStartup(
    [
      {
        // First the window, so the admin sees the app start while safeStorage may wait for a keychain prompt.
        name: 'window',
        run: () => {
          protocol.handle(
            APP_SCHEME,
            appFileResponder(join(import.meta.dirname, '../../renderer'), readFile, CONTENT_SECURITY_POLICY),
          );
          // The app needs no permission at all: deny requests and checks alike (EL-5).
          session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
          session.defaultSession.setPermissionCheckHandler(() => false);
          // The app's windows may not navigate at all; the sign-in popup must, and screens every step itself.
          app.on('web-contents-created', (_event, contents) =>
            signInWindow.owns(contents) ? guardSignInContents(contents) : guardWebContents(contents),
          );
          registerHandlers(ipcMain, handlersAwaiting(REQUEST_CHANNELS, handlers), APP_URL);
          const win = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs'), app.isPackaged));
          windows.main = win;
          win.once('ready-to-show', () => win.show());
          // The renderer objects to unloading while an edit is unsaved; the admin decides (no silent loss).
          win.webContents.on('will-prevent-unload', (event) => {
            if (dialog.showMessageBoxSync(win, unsavedChangesPrompt(language)) === 1) event.preventDefault();
          });
          app.on('second-instance', () => focusExistingWindow(windows.main));
          // docs/api/app.md 'login': a proxy asking the sign-in window for a password gets none (the default
          // cancels; the core's session.fetch cancels on its own). NTLM/Negotiate use the OS sign-in. Logged only.
          app.on('login', (_event, _contents, _details, authInfo) => {
            if (authInfo.isProxy)
              logger.warn('proxy asked for credentials; cancelled', {
                scheme: authInfo.scheme,
                proxy: `${authInfo.host}:${authInfo.port}`,
              });
          });
          // Resolves once the page has loaded; its pending IPC calls do not hold that up.
          return win.loadURL(APP_URL);
        },
      },
      {
        name: 'stores',
        run: async () => {
          const ask = (options: MessageBoxOptions) => dialog.showMessageBox(options);
          stores = await openStores({ dataDir: app.getPath('userData'), language, open: openElectronStore, ask });
        },
      },
      { name: 'keychain', run: async () => (cipher = await SafeStorageCipher.create(safeStorage, process.platform)) },
      {
        name: 'core',
        run: () => {
          core = createCore({
            profileStore: stores.stores.profiles,
            secretStore: stores.stores.secrets,
            settingsStore: stores.stores.settings,
            storeResults: stores.results,
            cipher,
            clock: systemClock,
            logger,
            hostInfo: { version: app.getVersion(), host: 'electron', platform: process.platform, osLanguage: app.getLocale() },
            // Help links go only to Microsoft's documentation (EL-15); sign-in URLs take the checked path below.
            openExternal: httpsOnlyOpener((url) => shell.openExternal(url), HELP_HOSTS),
            clipboard: { writeText: (text) => Promise.resolve(clipboard.writeText(text)) },
            systemBrowser: systemBrowserVia((url) => shell.openExternal(url)),
            emit: (event, payload) => {
              // Never into the sign-in popup: it shows Microsoft's page, not ours.
              for (const w of BrowserWindow.getAllWindows())
                if (!signInWindow.owns(w.webContents)) w.webContents.send(eventChannelOf(event), payload);
            },
            signInWindow,
            transport,
          });
          coreHandlers.resolve(createHandlers(core.api, logger));
        },
      },
    ],
    {
      showError: (title, content) => dialog.showErrorBox(title, content),
      exit: (code) => app.exit(code),
      log: (message, data) => logger.error(message, data),
      destroyWindows: () => BrowserWindow.getAllWindows().forEach((w) => w.destroy()),
      language,
      logPath,
    },
  );
  if (!started) return coreHandlers.reject(new Error('start-up failed'));
  // Only now: until here Electron's default (quit when the last window closes) applies, and a failed
  // start's destroyWindows() must not race app.exit(1) with app.quit().
  app.on('window-all-closed', () => app.quit());
  // Keeps each signed-in Modern Authentication profile's 90-day window open while the app runs.
  core.keepAlive.start();
  app.on('before-quit', () => core.keepAlive.stop());
}
