import ElectronStore from 'electron-store';
import { dirname } from 'node:path';
import type { KeyValueStore } from '../../core/ports';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../core/storage/fs-seam';

/**
 * Private file and directory modes; a broken file is never silently reset (DS-1). Open it only after
 * openStoreFiles() has checked the file (DS-3).
 *
 * We never call initRenderer(), but electron-store 12 registers its IPC listener anyway: in the main
 * process the constructor calls initDataListener(), which once adds
 * `ipcMain.on('electron-store-get-data', e => e.returnValue = { defaultCwd: userData, appVersion })`.
 * That is acceptable: it only answers with the userData path and the app version (no store content,
 * no secret), and no renderer of ours can ask: the sandboxed preload exposes only window.absender
 * (invoke on the manifest's channels), and the sign-in popup has no preload at all.
 *
 * electron-store 12.0.0 (node_modules/electron-store/index.js) passes every option through to conf
 * unchanged (`super(options)`); it only renames `name` to `configName` and fills in `cwd` (userData)
 * and `projectVersion`, so `configFileMode` and `clearInvalidConfig` reach conf 16 as they do in the
 * conf-based test host. The integration test store-files.int.test.ts also loads this adapter in plain
 * Node (electron-store works there with an absolute cwd) and stats the modes it produces.
 */
export function openElectronStore(name: string, dir?: string): KeyValueStore {
  // Before the constructor: conf would otherwise create a missing directory 0777 & ~umask.
  if (dir !== undefined) ensurePrivateDir(dir);
  const store = new ElectronStore<Record<string, unknown>>({
    name,
    ...(dir === undefined ? {} : { cwd: dir }),
    clearInvalidConfig: false,
    configFileMode: PRIVATE_FILE_MODE,
  });
  // Without a dir it is userData, shared with Chromium's files, which stay readable to their owner at 0700.
  if (dir === undefined) ensurePrivateDir(dirname(store.path));
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
