import ElectronStore from 'electron-store';
import type { KeyValueStore } from '../../core/ports';

/** Main process only; private file modes; a broken file is never silently reset (DS-1). */
export function openElectronStore(name: string): KeyValueStore {
  const store = new ElectronStore<Record<string, unknown>>({
    name,
    clearInvalidConfig: false,
    configFileMode: 0o600,
  });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
