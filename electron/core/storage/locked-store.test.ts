import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../testing/in-memory';
import { HISTORY_LOCK_FILE, withFileLock } from './locked-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'absender-locked-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('withFileLock', () => {
  it('holds the lock file around the work only, re-entrant, released when the work throws', () => {
    const store = withFileLock(new InMemoryStore(), dir, HISTORY_LOCK_FILE);
    const lock = join(dir, HISTORY_LOCK_FILE);
    const seen = store.exclusive?.(() => {
      store.set('k', 1);
      // Nested (append inside a batch): the same process does not wait for itself.
      return [existsSync(lock), store.exclusive?.(() => existsSync(lock))];
    });
    expect(seen).toEqual([true, true]);
    expect(existsSync(lock)).toBe(false);
    expect(store.get('k')).toBe(1);
    expect(() =>
      store.exclusive?.(() => {
        throw new Error('write failed');
      }),
    ).toThrow('write failed');
    expect(existsSync(lock)).toBe(false);
    expect(store.exclusive?.(() => 'again')).toBe('again');
  });
});
