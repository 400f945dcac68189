import { _electron, type Page } from '@playwright/test';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The Electron binary is found by its files, never by require('electron'): in Electron 45 that
 * call starts a download, which fails on machines without internet.
 */
export function electronBinary(): { path: string } | { missing: string } {
  const pkg = join(ROOT, 'node_modules/electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt) || !existsSync(join(pkg, 'dist'))) return { missing: 'Electron binary not installed' };
  const binary = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(binary)) return { missing: `Electron binary missing at ${binary}` };
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return { missing: `Electron binary not executable: ${binary}` };
  }
  // A window needs a display: on Linux without one, Playwright cannot start Electron.
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    return { missing: 'no display on Linux (run the tests under xvfb-run)' };
  }
  return { path: binary };
}

export async function launchElectronHost(options: { locale?: 'de' | 'en'; dataDir?: string } = {}): Promise<{
  page: Page;
  dataDir: string;
  close(): Promise<void>;
}> {
  const binary = electronBinary();
  if ('missing' in binary) throw new Error(binary.missing);
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'absender-electron-')));
  if (!existsSync(join(ROOT, 'dist/electron/main/index.js')))
    throw new Error('The app is not built. Run "npx vite build" first.');
  const app = await _electron.launch({
    executablePath: binary.path,
    // The app folder, not its main file: Electron then reads package.json ("main", name, productName,
    // version), so app.getName(), getVersion(), userData and the safeStorage keychain entry are the app's own.
    args: [ROOT, `--user-data-dir=${dataDir}`, `--lang=${options.locale ?? 'de'}`],
    env: { ...process.env, ELECTRON_ENABLE_SECURITY_WARNINGS: 'true' },
  });
  const page = await app.firstWindow();
  return {
    page,
    dataDir,
    close: async () => {
      await app.close();
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
