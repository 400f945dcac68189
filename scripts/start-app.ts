// npm start's decisions (build, fetch Electron on first use, launch) with every OS effect injected,
// so the three paths can be tested without Electron. Plain erasable TypeScript: node 24 runs it as is.
import { join } from 'node:path';

export interface RunResult {
  readonly status: number | null;
  readonly error?: Error | undefined;
}

export interface StartAppDeps {
  /** Project root (where package.json is). */
  readonly root: string;
  /** The Node binary that runs npm scripts (process.execPath). */
  readonly node: string;
  /** Arguments after `npm start --`, passed through to the app. */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Runs a command with inherited stdio and waits for it. */
  readonly run: (command: string, args: readonly string[]) => RunResult;
  readonly exists: (path: string) => boolean;
  /** File text, or undefined when it cannot be read. */
  readonly readText: (path: string) => string | undefined;
  /** One message to stderr. */
  readonly log: (text: string) => void;
}

const failed = (result: RunResult): boolean => result.error !== undefined || result.status !== 0;

/** Where the electron package keeps its launcher, installer and (once downloaded) binary. */
export function electronPaths(root: string): { pkg: string; cli: string; install: string; pathTxt: string } {
  const pkg = join(root, 'node_modules', 'electron');
  return { pkg, cli: join(pkg, 'cli.js'), install: join(pkg, 'install.js'), pathTxt: join(pkg, 'path.txt') };
}

/** The same test Electron's index.js makes before it decides to download (path.txt names a file in dist/). */
export function electronBinaryPresent(deps: Pick<StartAppDeps, 'root' | 'env' | 'exists' | 'readText'>): boolean {
  if (deps.env['ELECTRON_OVERRIDE_DIST_PATH']) return true; // Electron's index.js then launches from there
  const { pkg, pathTxt } = electronPaths(deps.root);
  const executable = deps.readText(pathTxt)?.trim();
  return executable !== undefined && executable !== '' && deps.exists(join(pkg, 'dist', executable));
}

export function offlineExplanation(version: string, result: RunResult): string {
  const what = result.error
    ? `it could not be run (${result.error.message})`
    : `it exited with code ${String(result.status)}; its own error is printed above`;
  return `Absender: the Electron ${version} binary could not be downloaded, so the desktop app cannot start.

  What failed: node node_modules/electron/install.js - ${what}.
  On first start Electron downloads electron-v${version}-<platform>-<arch>.zip from GitHub's release
  downloads (checked against the checksums shipped in the electron package). Without access to it:

    - internal mirror:  ELECTRON_MIRROR=https://mirror.example.org/electron/ npm start
      (fetches <mirror>v${version}/electron-v${version}-<platform>-<arch>.zip; if the mirror's folders
      have no "v", add ELECTRON_CUSTOM_DIR="{{ version }}")
    - proxy:            ELECTRON_GET_USE_PROXY=1 HTTPS_PROXY=http://proxy.example.org:8080 npm start
    - unpacked Electron ${version} already on disk:  ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron npm start
    - the URL that was tried:  DEBUG=@electron/get* npm start

  Everything but the window itself also runs without the binary: "npm test" drives the same UI and core in Chromium.

Absender: Die Electron-${version}-Binärdatei konnte nicht heruntergeladen werden, die Desktop-App startet daher nicht.
  Fehlgeschlagen ist node node_modules/electron/install.js (Fehlermeldung siehe oben). Ohne Zugriff auf
  GitHub-Releases: ELECTRON_MIRROR auf einen internen Spiegel setzen (ggf. mit ELECTRON_CUSTOM_DIR="{{ version }}"),
  ELECTRON_GET_USE_PROXY=1 mit HTTPS_PROXY setzen oder ELECTRON_OVERRIDE_DIST_PATH auf ein entpacktes Electron ${version} zeigen lassen.
  "npm test" führt alles außer dem Fenster selbst in Chromium aus.`;
}

/** Builds, makes sure the Electron binary is there (downloading it once), launches the app; returns the exit code. */
export function startApp(deps: StartAppDeps): number {
  const build = deps.run(deps.node, [join(deps.root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build']);
  if (failed(build)) {
    deps.log('Absender: vite build failed, the app was not started. / vite build ist fehlgeschlagen.');
    return build.status || 1;
  }

  const electron = electronPaths(deps.root);
  if (!electronBinaryPresent(deps)) {
    const manifest = deps.readText(join(electron.pkg, 'package.json'));
    const version = manifest ? String((JSON.parse(manifest) as { version?: unknown }).version) : 'unknown';
    deps.log(`Absender: Electron ${version} is not downloaded yet; fetching it once (ELECTRON_MIRROR is honoured).`);
    // install.js is Electron's own first-use download (@electron/get): mirrors, proxy and checksums as documented there.
    const install = deps.run(deps.node, [electron.install]);
    if (failed(install)) {
      deps.log(offlineExplanation(version, install));
      return 1;
    }
  }

  // cli.js resolves the binary as require('electron') does and forwards Ctrl+C / SIGTERM to it.
  const app = deps.run(deps.node, [electron.cli, '.', ...deps.args]);
  return app.error ? 1 : (app.status ?? 1);
}
