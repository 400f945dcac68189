import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Notification,
  protocol,
  safeStorage,
  session,
  shell,
  type MessageBoxOptions,
} from 'electron';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCore, type Core } from '../core/compose-core';
import { createHandlers, type Handler } from '../core/ipc/request-handlers';
import { FileLogSink } from '../core/logging/file-log-sink';
import { createLogger } from '../core/logging/logger';
import { systemClock } from '../core/ports';
import { SettingsService } from '../core/settings/settings-service';
import { eventChannelOf } from '../../shared/ipc/manifest';
import { HELP_HOSTS } from '../../shared/help';
import { APP_ORIGIN, APP_SCHEME, APP_URL, appFileResponder } from './app-protocol';
import { openStores, type OpenedStores } from './open-stores';
import { openElectronStore } from './adapters/electron-store-kv';
import { guardSignInContents, PopupSignInWindow } from './adapters/popup-sign-in-window';
import { SafeStorageCipher } from './adapters/safe-storage-cipher';
import { httpsOnlyOpener, systemBrowserVia } from './adapters/open-external';
import { NetFetchTransport, proxyConfigOf } from './adapters/net-fetch-transport';
import { electronNotifier } from './adapters/electron-notifier';
import { handlersAwaiting, REQUEST_CHANNELS } from './ipc/deferred-handlers';
import { registerHandlers } from './ipc/register-handlers';
import { commandArgv, runCommandMode } from './command-mode';
import { openHeadlessCore } from '../core/cli/headless-core';
import { focusExistingWindow } from './focus-window';
import { launch } from './launch-order';
import { quitGuard } from '../core/lifecycle/quit-guard';
import { denyPermissionsOn } from './permission-policy';
import { runStartup, startupLanguage, type StartupLanguage } from './startup';
import { unsavedChangesPrompt } from './unsaved-changes';
import { guardWebContents, mainWindowOptions } from './window-factory';
import { demoDataDir, demoEntryPath, demoTrustSwitch, wantsDemo, type DemoEntry, type DemoHandoff } from './demo-handoff';

// Composition root of the Electron host: real OS services in, the same core as in the tests.
// Every Electron API used here is listed with its doc page in docs/architecture.md.
// Every renderer sandboxed, even one created by a library (EL-4); must happen before 'ready'.
app.enableSandbox();
// The renderer comes from app://absender, a secure standard scheme of our own, not file:// (EL-18).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
// `Absender check …` runs without a window and without the single-instance lock: a running GUI must
// not block the scheduled job (process.defaultApp: argv has the app path under `electron .`).
const command = commandArgv(process.argv, process.defaultApp);
// Windows shows a toast only for an app whose AppUserModelID matches its Start-menu shortcut (the installer's appId);
// set before any window so taskbar grouping and notifications agree from the start.
if (process.platform === 'win32') app.setAppUserModelId('de.absender.app');
// --demo: the built-in emulator instead of Microsoft, in a data dir of its own. userData must be set before 'ready'
// (docs/api/app.md setPath) and before the single-instance lock, so a demo can run beside the real app.
const demoMode = command === null && wantsDemo(process.argv);
// Listener 5 s (smtp-server's closeTimeout, then 421) plus the worker's bounded stop.
const RELAY_QUIT_TIMEOUT_MS = 10_000;
// The windows of this instance: the second-instance listener (registered with the lock) focuses the main one.
const windows: { main?: BrowserWindow } = {};
// Order (launch-order.ts): a command takes no lock; the demo's userData, then the lock, and only the instance holding it
// starts the emulator. The emulator must run before 'ready': Chromium reads the switch that trusts its leaf key at
// start-up. A top-level await in the ESM entry holds 'ready' back until it settles (docs/tutorial/esm.md).
await launch(
  {
    command,
    demo: demoMode,
    runCommand: (argv) => void runCommand(argv),
    useDemoDataDir: () => {
      const dir = demoDataDir(app.getPath('appData'));
      mkdirSync(dir, { recursive: true }); // setPath throws for a directory that does not exist
      app.setPath('userData', dir);
      app.setAppLogsPath(join(dir, 'logs'));
    },
    requestSingleInstanceLock: (additionalData) => app.requestSingleInstanceLock(additionalData),
    // docs/api/app.md 'second-instance': emitted in this (first) instance after 'ready', with the other's argv.
    onSecondInstance: () => app.on('second-instance', () => focusExistingWindow(windows.main)),
    openDemo,
    startWindow: (demo) => void app.whenReady().then(() => start(demo)),
    quit: () => app.quit(),
    exit: (code) => app.exit(code),
  },
  process.argv,
);

/** The core's command over the real ports, composed after `ready` (safeStorage, session.fetch); then app.exit(code). */
function runCommand(argv: string[]): Promise<void> {
  return runCommandMode(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    osLanguage: () => startupLanguage(app.getPreferredSystemLanguages(), app.getLocale()),
    clock: systemClock,
    whenReady: () => app.whenReady(),
    exit: (code) => app.exit(code),
    // Node's docs (process I/O): pipes are asynchronous on some platforms; wait for the write callbacks.
    // Bounded: a stream whose reader went away (EPIPE) must not keep a scheduled job from exiting.
    flush: () =>
      Promise.race([
        Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((resolve) => s.write('', () => resolve())))),
        new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref()),
      ]).then(() => undefined),
    openCore: async () => {
      // Its own file: a scheduled command must not rotate the window's log under it.
      const logger = createLogger(new FileLogSink({ dir: app.getPath('logs'), fileName: 'absender-cli.log' }));
      return openHeadlessCore({
        dataDir: app.getPath('userData'),
        open: (name) => openElectronStore(name, app.getPath('userData')),
        os: {
          cipher: await SafeStorageCipher.create(safeStorage, process.platform),
          clock: systemClock,
          logger,
          transport: new NetFetchTransport(session.defaultSession, logger),
        },
        host: { version: app.getVersion(), host: 'electron', platform: process.platform, osLanguage: app.getLocale() },
      });
    },
  });
}

/**
 * The demo entry, loaded from disk at run time (never imported: the host's bundle has no emulator in it). Installers
 * leave it out (docs/packaging.md): then the admin is told so, and the real app does not start in its place.
 */
async function openDemo(): Promise<DemoHandoff | undefined> {
  try {
    const entry = (await import(pathToFileURL(demoEntryPath(import.meta.dirname)).href)) as DemoEntry;
    const handoff = await entry.startDemoSession();
    app.commandLine.appendSwitch(...demoTrustSwitch(handoff.trust));
    return handoff;
  } catch (error) {
    process.stderr.write(
      `Absender --demo: demo mode is not part of this build (${String(error)}); run it from the source tree: npm start -- --demo\n` +
        'Absender --demo: Der Demo-Modus ist in diesem Build nicht enthalten; im Quellbaum starten: npm start -- --demo\n',
    );
    return undefined; // launch() exits 1: the real app does not start in its place
  }
}

async function start(demo: DemoHandoff | undefined): Promise<void> {
  // 0700/0600, rotated at 1 MB × 3; a failed write is shown in the window (app.info), not dropped.
  const logFile = new FileLogSink({ dir: app.getPath('logs') });
  const logPath = logFile.path;
  const logger = createLogger(logFile);
  const osLanguage = startupLanguage(app.getPreferredSystemLanguages(), app.getLocale());
  // Dialogs of the host speak the admin's language as the renderer does: the saved choice, else the OS's.
  let settings: SettingsService | undefined;
  const language = (): StartupLanguage => settings?.get().language ?? osLanguage;
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
          protocol.handle(APP_SCHEME, appFileResponder(join(import.meta.dirname, '../../renderer'), readFile));
          // The app needs no permission at all: deny requests and checks alike (EL-5).
          denyPermissionsOn(session.defaultSession);
          // The app's windows stay on app://absender (EL-13); the sign-in popup must navigate, and screens every step itself.
          app.on('web-contents-created', (_event, contents) =>
            signInWindow.owns(contents) ? guardSignInContents(contents) : guardWebContents(contents, APP_ORIGIN),
          );
          registerHandlers(ipcMain, handlersAwaiting(REQUEST_CHANNELS, handlers), APP_URL);
          const win = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs'), app.isPackaged));
          windows.main = win;
          win.once('ready-to-show', () => win.show());
          // The renderer objects to unloading while an edit is unsaved; the admin decides (no silent loss).
          win.webContents.on('will-prevent-unload', (event) => {
            if (dialog.showMessageBoxSync(win, unsavedChangesPrompt(language())) === 1) event.preventDefault();
          });
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
          // The OS language: the settings file may be the damaged one.
          stores = await openStores({ dataDir: app.getPath('userData'), language: osLanguage, open: openElectronStore, ask });
          settings = new SettingsService(stores.stores.settings);
        },
      },
      { name: 'keychain', run: async () => (cipher = await SafeStorageCipher.create(safeStorage, process.platform)) },
      {
        name: 'core',
        run: async () => {
          core = createCore({
            stores: {
              ...stores.stores,
              results: stores.results,
              backups: stores.backups,
              ...(stores.profileRecords ? { profileRecords: stores.profileRecords } : {}),
              ...(stores.history ? { history: stores.history } : {}),
            },
            logFile,
            os: {
              cipher,
              clock: systemClock,
              logger,
              // Help links go only to Microsoft's documentation (EL-15); sign-in URLs take the checked path below.
              opener: httpsOnlyOpener((url) => shell.openExternal(url), HELP_HOSTS),
              clipboard: { writeText: (text) => Promise.resolve(clipboard.writeText(text)) },
              signInWindow,
              systemBrowser: systemBrowserVia((url) => shell.openExternal(url)),
              // The daily check's warnings; a click brings the window back.
              notifier: electronNotifier(Notification, () => focusExistingWindow(windows.main)),
              transport,
            },
            events: {
              emit: (event, payload) => {
                // Never into the sign-in popup: it shows Microsoft's page, not ours.
                for (const w of BrowserWindow.getAllWindows())
                  if (!signInWindow.owns(w.webContents)) w.webContents.send(eventChannelOf(event), payload);
              },
            },
            host: {
              version: app.getVersion(),
              host: 'electron',
              platform: process.platform,
              osLanguage: app.getLocale(),
              ...(demo ? { demo: demo.demo } : {}),
            },
            ...(demo ? { network: demo.network } : {}),
            // The stores' folder: the relay's queue and logins (where `Absender relay` looks too) and the commands'
            // per-profile files live there.
            dataDir: app.getPath('userData'),
            relay: {},
          });
          // Demo: one profile of each type in an empty demo data dir, before the window first lists them.
          await demo?.seed(core.api, osLanguage);
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
  // The daily "test all": a desktop notification when a profile goes bad while the app runs.
  core.healthWatch.start();
  // The relay runs again if the admin left it on; a refusal (port taken by `Absender relay`) is logged, the panel shows it off.
  void core.relay?.startIfEnabled();
  app.on('before-quit', () => {
    core.keepAlive.stop();
    core.healthWatch.stop();
  });
  // docs/api/app.md: will-quit comes once every window is closed and may be prevented; the guard holds it until the
  // relay closed (listener stops, open DATA gets 421, the worker ends or marks its sends; at most 10 s), then app.exit.
  const guard = quitGuard({
    close: async () => {
      await core.relay?.close();
      await demo?.close(); // after the relay: its last sends go to the demo emulator
    },
    timeoutMs: RELAY_QUIT_TIMEOUT_MS,
    exit: () => app.exit(0),
    log: (event, data) => logger.info(event, data),
  });
  app.on('will-quit', (event) => guard.willQuit(event));
  // Windows log-off/shutdown emits neither before-quit nor will-quit, and cannot be held (docs/api/base-window.md
  // 'session-end'): the close starts at once; mail that got a 250 is on disk either way.
  windows.main?.on('session-end', () => guard.sessionEnd());
}
