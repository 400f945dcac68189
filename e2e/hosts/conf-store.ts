import Conf from 'conf';
import type { KeyValueStore } from '../../electron/core/ports';

/** conf is what electron-store is built on: the same file format and atomic writes, without electron. */
export function openConfStore(dataDir: string, name: string): KeyValueStore {
  const store = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: name,
    clearInvalidConfig: false,
    configFileMode: 0o600,
    projectName: 'absender',
  });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
