import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConfStore } from '../testing/conf-store';
import { killOwnedChildren, spawnOwned } from '../testing/owned-children';
import { releaseTogether } from '../testing/start-barrier';
import { JOURNAL_FILE, JOURNAL_LOCK_FILE, JournaledProfiles, parseJournal } from './profile-journal';
import { ProfilesFile } from './store-files';
import { fixtureId, goodProfilesFile } from './testing/fixtures';

const ROOT = join(import.meta.dirname, '../../..');
const CHILD = join(import.meta.dirname, 'testing/journal-crash-child.ts');
const APPENDER = join(import.meta.dirname, 'testing/journal-append-child.ts');
const RACER = join(import.meta.dirname, 'testing/profile-race-child.ts');

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'absender-journal-kill-'));
});
afterEach(() => {
  killOwnedChildren();
  rmSync(base, { recursive: true, force: true });
});

const acked = (file: string): number => (existsSync(file) ? Number(readFileSync(file, 'utf8') || '0') : 0);

describe('profile journal crash safety', () => {
  it('a child saving in a loop is kill -9’d 12 times: every acknowledged save survives, the files always load', async () => {
    const dir = join(base, 'data');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'profiles.json'), goodProfilesFile('p0', 'p1', 'p2'));
    for (let round = 0; round < 12; round += 1) {
      const ack = join(base, `ack-${round}`);
      const child = spawnOwned(process.execPath, ['--import', 'tsx', CHILD, dir, ack], { cwd: ROOT, stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      // Starting tsx on a loaded 2-core machine can take seconds; the afterEach kills the child if this fails.
      const deadline = Date.now() + 30_000;
      while (acked(ack) === 0 && Date.now() < deadline) await sleep(5);
      expect(acked(ack)).toBeGreaterThan(0);
      await sleep(Math.floor(Math.random() * 80));
      child.kill('SIGKILL');
      await exited;

      const last = acked(ack);
      // What a start does: replay, then fold into profiles.json.
      const records = new JournaledProfiles({ dir, store: openConfStore(dir, 'profiles'), compactOnOpen: true });
      const p0 = records.all()[fixtureId('p0')];
      // The acknowledged save is there; at most the one in flight when the kill came is there too.
      expect(p0?.revision).toBeGreaterThanOrEqual(last);
      expect(p0?.revision).toBeLessThanOrEqual(last + 1);
      expect(Object.keys(records.all())).toHaveLength(3);
      expect(ProfilesFile.safeParse(JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8'))).success).toBe(true);
      expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).toBe('');
    }
  }, 240_000);

  it('two processes save 200 profiles each, folding every 10 saves: all 400 saves replay', async () => {
    const dir = join(base, 'data');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'profiles.json'), goodProfilesFile('p0'));
    // Released together once both are loaded (an IPC barrier, not a start time): the race runs however loaded the machine.
    const writers = ['a', 'b'].map((prefix) =>
      spawnOwned(process.execPath, ['--import', 'tsx', APPENDER, dir, prefix, '200', '10'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      }),
    );
    expect(await releaseTogether(writers)).toEqual([0, 0]);
    const all = new JournaledProfiles({ dir, store: openConfStore(dir, 'profiles') }).all();
    const missing = ['a', 'b'].flatMap((prefix) =>
      Array.from({ length: 200 }, (_, i) => `${prefix}-${i + 1}`).filter((name) => all[fixtureId(name)] === undefined),
    );
    expect(missing).toEqual([]);
    expect(Object.keys(all)).toHaveLength(401);
    expect(existsSync(join(dir, JOURNAL_LOCK_FILE))).toBe(false);
  }, 120_000);

  it('the window edits the name 200 times while a headless check records 200 tests: no write reverts the other', async () => {
    const dir = join(base, 'data');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'profiles.json'), goodProfilesFile('p0'));
    const id = fixtureId('p0');
    const racers = ['edit', 'test'].map((mode) =>
      spawnOwned(process.execPath, ['--import', 'tsx', RACER, dir, mode, id, '200'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      }),
    );
    expect(await releaseTogether(racers)).toEqual([0, 0]);
    const last = new JournaledProfiles({ dir, store: openConfStore(dir, 'profiles') }).all()[id];
    expect(last?.name).toBe('Name 200');
    expect(last?.lastTest?.at).toBe(new Date(Date.parse('2026-12-01T00:00:00Z') + 200_000).toISOString());
    // Every record in the journal carries the newest name and test of its moment: none put back an older one.
    const steps = parseJournal(readFileSync(join(dir, JOURNAL_FILE))).records.flatMap((r) =>
      r.op === 'put'
        ? [
            {
              name: Number(/^Name (\d+)$/.exec(r.profile.name)?.[1] ?? 0),
              test: Date.parse(r.profile.lastTest?.at ?? '1970-01-01'),
            },
          ]
        : [],
    );
    expect(steps).toHaveLength(400);
    // The race was run: the two writers' records interleave, not one writer's 200 and then the other's.
    const kinds = steps.map((step, i) => (step.name !== (steps[i - 1]?.name ?? 0) ? 'edit' : 'test'));
    expect(kinds.filter((kind, i) => i > 0 && kind !== kinds[i - 1]).length).toBeGreaterThan(1);
    const reverted = steps.filter(
      (step, i) => i > 0 && (step.name < (steps[i - 1]?.name ?? 0) || step.test < (steps[i - 1]?.test ?? 0)),
    );
    expect(reverted).toEqual([]);
    expect(existsSync(join(dir, JOURNAL_LOCK_FILE))).toBe(false);
  }, 120_000);
});
