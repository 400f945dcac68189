import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT } from '../../../shared/transfer/profile-transfer';
import { HISTORY_LOCK_FILE } from '../storage/locked-store';
import { killOwnedChildren, spawnOwned } from '../testing/owned-children';
import { releaseTogether } from '../testing/start-barrier';

const ROOT = join(import.meta.dirname, '../../..');
const WRITER = join(import.meta.dirname, 'testing/history-writer-child.ts');
const SHARED = '00000000-0000-4000-8000-000000000001';
const own = (writer: string) => `00000000-0000-4000-8000-00000000000${writer === 'a' ? 2 : 3}`;
// Both writers together fill the shared profile's history exactly to its limit: an entry cut off would be a lost one.
const COUNT = HISTORY_LIMIT / 2;

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'absender-history-race-'));
});
afterEach(() => {
  killOwnedChildren();
  rmSync(base, { recursive: true, force: true });
});

describe('history.json between processes', () => {
  it('the window and a headless command append at once (one profile shared, one each): no entry is lost', async () => {
    const dir = join(base, 'data');
    mkdirSync(dir, { mode: 0o700 });
    // Released together once both are loaded and opened (an IPC barrier), so their read-modify-writes really race.
    const writers = ['a', 'b'].map((writer) =>
      spawnOwned(process.execPath, ['--import', 'tsx', WRITER, dir, writer, SHARED, own(writer), String(COUNT)], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      }),
    );
    expect(await releaseTogether(writers)).toEqual([0, 0]);

    const stored = (
      JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as { profiles: Record<string, Array<{ username: string }>> }
    ).profiles;
    const names = (id: string) => (stored[id] ?? []).map((e) => e.username);
    const expected = (writer: string) => Array.from({ length: COUNT }, (_, i) => `${writer}-${i + 1}@contoso.com`);
    for (const writer of ['a', 'b']) {
      expect(names(own(writer))).toEqual(expected(writer));
      // Each writer's entries on the shared profile: all there, in its own order.
      expect(names(SHARED).filter((n) => n.startsWith(`${writer}-`))).toEqual(expected(writer));
    }
    expect(names(SHARED)).toHaveLength(HISTORY_LIMIT);
    // The race was run: the two writers' entries interleave on the shared profile, not one's block after the other's.
    const writerOf = names(SHARED).map((n) => n.slice(0, 1));
    expect(writerOf.filter((w, i) => i > 0 && w !== writerOf[i - 1]).length).toBeGreaterThan(1);
    expect(existsSync(join(dir, HISTORY_LOCK_FILE))).toBe(false);
  }, 120_000);
});
