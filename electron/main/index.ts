import { app, BrowserWindow, clipboard, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCore } from '../core/core-api';
import { createHandlers } from '../core/ipc/dispatcher';
import { createLogger } from '../core/logging/logger';
import { systemClock } from '../core/ports';
import { eventChannelOf } from '../../shared/ipc/manifest';
import { HELP_HOSTS } from '../../shared/help';
import { APP_SCHEME, APP_URL, resolveAppFile } from './app-protocol';
import { openStores } from './open-stores';
import { guardSignInContents, PopupSignInWindow } from './adapters/popup-sign-in-window';
import { SafeStorageCipher } from './adapters/safe-storage-cipher';
import { httpsOnlyOpener, systemBrowserVia } from './adapters/open-external';
import { NetFetchTransport } from './adapters/net-fetch-transport';
import { registerHandlers } from './ipc/register-handlers';
import { CONTENT_SECURITY_POLICY, guardWebContents, mainWindowOptions } from './window-factory';

// Composition root of the Electron host: real OS services in, the same core as in the tests.
// Every renderer sandboxed, even one created by a library (EL-4); must happen before 'ready'.
app.enableSandbox();
// The renderer comes from app://absender, a secure standard scheme of our own, not file:// (EL-18).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
if (!app.requestSingleInstanceLock()) app.quit();
else void app.whenReady().then(start);

async function start(): Promise<void> {
  const logger = createLogger({ write: (line) => appendFileSync(join(app.getPath('logs'), 'absender.log'), `${line}\n`) });
  const rendererDir = join(import.meta.dirname, '../../renderer');
  const appUrl = APP_URL;
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererDir);
    const body = file ? await readFile(file.path).catch(() => null) : null;
    if (!file || !body) return new Response('Not found', { status: 404 });
    return new Response(body, { headers: { 'Content-Type': file.mime, 'Content-Security-Policy': CONTENT_SECURITY_POLICY } });
  });
  // The app needs no permission at all: deny requests and checks alike (EL-5).
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // The popup is modal over the app window, which exists only later.
  const windows: { main?: BrowserWindow } = {};
  const signInWindow = new PopupSignInWindow({
    createWindow: (options) => new BrowserWindow(options),
    sessionFromPartition: (partition) => session.fromPartition(partition, { cache: false }),
    parent: () => windows.main,
  });
  // The app's windows may not navigate at all; the sign-in popup must, and screens every step itself.
  app.on('web-contents-created', (_event, contents) =>
    signInWindow.owns(contents) ? guardSignInContents(contents) : guardWebContents(contents),
  );
  const dataDir = app.getPath('userData');
  const opened = await openStores(dataDir, logger);
  if (!opened) return;
  const { api, keepAlive } = createCore({
    profileStore: opened.stores.profiles,
    secretStore: opened.stores.secrets,
    settingsStore: opened.stores.settings,
    storeResults: opened.results,
    cipher: await SafeStorageCipher.create(safeStorage, process.platform),
    clock: systemClock,
    logger,
    hostInfo: { version: app.getVersion(), host: 'electron', platform: process.platform, osLanguage: app.getLocale() },
    // Help links go only to Microsoft's documentation (EL-15); sign-in URLs take the checked path below.
    openExternal: httpsOnlyOpener((url) => shell.openExternal(url), HELP_HOSTS),
    clipboard: { writeText: (text) => clipboard.writeText(text) },
    systemBrowser: systemBrowserVia((url) => shell.openExternal(url)),
    emit: (event, payload) => {
      // Never into the sign-in popup: it shows Microsoft's page, not ours.
      for (const w of BrowserWindow.getAllWindows())
        if (!signInWindow.owns(w.webContents)) w.webContents.send(eventChannelOf(event), payload);
    },
    signInWindow,
    // Proxy (h3): all HTTP to Microsoft through Chromium's stack: the session's proxy, the OS's certificates.
    transport: new NetFetchTransport(session.defaultSession, logger),
  });
  // Proxy (h3): a proxy asking the sign-in window for a password gets none (the default cancels; the core's
  // session.fetch cancels on its own). NTLM/Negotiate use the Windows sign-in without asking. Logged only.
  app.on('login', (_event, _contents, _details, authInfo) => {
    if (authInfo.isProxy)
      logger.warn('proxy asked for credentials; cancelled', {
        scheme: authInfo.scheme,
        proxy: `${authInfo.host}:${authInfo.port}`,
      });
  });
  registerHandlers(ipcMain, createHandlers(api, logger), appUrl);
  const win = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs'), app.isPackaged));
  windows.main = win;
  win.once('ready-to-show', () => win.show());
  // The renderer objects to unloading while an edit is unsaved; the admin decides (no silent loss).
  win.webContents.on('will-prevent-unload', (event) => {
    const de = app.getLocale().toLowerCase().startsWith('de');
    const leave = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: de ? ['Bleiben', 'Verwerfen und schließen'] : ['Stay', 'Discard and close'],
      defaultId: 0,
      cancelId: 0,
      message: de ? 'Der Absender hat ungespeicherte Änderungen.' : 'This sender profile has unsaved changes.',
    });
    if (leave === 1) event.preventDefault();
  });
  app.on('second-instance', () => win.focus());
  app.on('window-all-closed', () => app.quit());
  await win.loadURL(appUrl);
  // Keeps each signed-in Modern Authentication profile's 90-day window open while the app runs.
  keepAlive.start();
  app.on('before-quit', () => keepAlive.stop());
}
