import { join } from 'node:path';
import type { KeyValueStore } from '../ports';
import { acquireFileLockWaiting } from './file-lock';

/** Held around one read-modify-write of history.json: the window and `check`/`send`/`test all` beside it. */
export const HISTORY_LOCK_FILE = 'history.json.lock';
/** A write of history.json (200 entries per profile, 1000 profiles) takes milliseconds; past this the write is busy. */
const LOCK_WAIT_MS = 15_000;
/** Held for milliseconds: one older than this was left by a killed process whose pid may be reused (as the journal's). */
const LOCK_MAX_HOLD_MS = 10_000;

/**
 * The store with `exclusive()`: the same lock as the profile journal's (storage/file-lock.ts: atomic create, stale
 * once its holder died or after LOCK_MAX_HOLD_MS), in `dir/lockFile`. Re-entrant within this process, since the
 * file lock itself would wait for its own holder.
 */
export function withFileLock(store: KeyValueStore, dir: string, lockFile: string): KeyValueStore {
  const lockPath = join(dir, lockFile);
  let depth = 0;
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
    exclusive<T>(work: () => T): T {
      if (depth > 0) return work();
      const lock = acquireFileLockWaiting(lockPath, LOCK_WAIT_MS, { file: lockFile }, LOCK_MAX_HOLD_MS);
      depth += 1;
      try {
        return work();
      } finally {
        depth -= 1;
        lock.release();
      }
    },
  };
}
