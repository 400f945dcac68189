import Conf from 'conf';
import type { KeyValueStore } from '../ports';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../storage/fs-seam';

/**
 * conf is what electron-store is built on: the same file format and atomic writes, without electron.
 * Open it only after openStoreFiles() (DS-3): with clearInvalidConfig false, conf's constructor throws
 * on a file it cannot parse, and with true it would silently replace it with an empty store.
 */
export function openConfStore(dataDir: string, name: string): KeyValueStore {
  // DS-1: conf (and atomically) would create the directory 0777 & ~umask.
  ensurePrivateDir(dataDir);
  const store = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: name,
    clearInvalidConfig: false,
    // conf applies it (minus the umask) to every atomic write's temp file before the rename.
    configFileMode: PRIVATE_FILE_MODE,
    projectName: 'absender',
  });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
