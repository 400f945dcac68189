import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { openConfStore } from '../testing/conf-store';
import { nodeFsSeam } from './fs-seam';
import {
  COMPACT_AFTER_RECORDS,
  JOURNAL_FILE,
  JOURNAL_LOCK_FILE,
  journalLine,
  JournaledProfiles,
  parseJournal,
} from './profile-journal';
import { fixtureId, goodProfilesFile, profileRecord } from './testing/fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'absender-journal-'));
  writeFileSync(join(dir, 'profiles.json'), goodProfilesFile('a', 'b'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (compactOnOpen = false): JournaledProfiles =>
  new JournaledProfiles({ dir, store: openConfStore(dir, 'profiles'), compactOnOpen });
const record = (name: string, revision = 1): ProfileView => ({ ...profileRecord(name), revision }) as ProfileView;
const journal = (): string => readFileSync(join(dir, JOURNAL_FILE), 'utf8');
const snapshot = (): Buffer => readFileSync(join(dir, 'profiles.json'));

describe('JournaledProfiles', () => {
  it('a save and a fold take the journal lock only while they write; a lock left by a dead process is taken over', () => {
    const records = open();
    records.put(record('a', 2));
    records.compact();
    expect(readdirSync(dir).filter((f) => f.includes('.lock'))).toEqual([]);
    // Left by a command that was killed inside a save (PID above Linux's pid_max: no such process).
    writeFileSync(join(dir, JOURNAL_LOCK_FILE), JSON.stringify({ pid: 4_194_305, nonce: 'dead', started: null }));
    records.put(record('a', 3));
    expect(open().all()[fixtureId('a')]?.revision).toBe(3);
    expect(readdirSync(dir).filter((f) => f.includes('.lock'))).toEqual([]);
  });

  it('a save appends one line for that profile and leaves profiles.json byte-identical', () => {
    const before = snapshot();
    const records = open();
    records.put(record('a', 2));
    expect(snapshot()).toEqual(before);
    expect(journal().split('\n').filter(Boolean)).toHaveLength(1);
    // One profile's bytes, not the map's.
    expect(statSync(join(dir, JOURNAL_FILE)).size).toBeLessThan(JSON.stringify(record('a')).length + 80);
    expect(records.all()[fixtureId('a')]?.revision).toBe(2);
  });

  it('putMany writes several records with one fsync, each its own line, and a new instance replays them all', () => {
    let fsyncs = 0;
    const records = new JournaledProfiles({
      dir,
      store: openConfStore(dir, 'profiles'),
      fs: { ...nodeFsSeam, fsyncSync: (fd) => (fsyncs++, nodeFsSeam.fsyncSync(fd)) },
    });
    records.put(record('a', 2));
    fsyncs = 0;
    records.putMany([record('a', 3), record('b', 4), record('c', 5)]);
    expect(fsyncs).toBe(1);
    expect(journal().split('\n').filter(Boolean)).toHaveLength(4);
    const fresh = open().all();
    expect([fresh[fixtureId('a')]?.revision, fresh[fixtureId('b')]?.revision, fresh[fixtureId('c')]?.revision]).toEqual([
      3, 4, 5,
    ]);
  });

  it('a new instance replays the journal onto the snapshot; a start folds it into profiles.json', () => {
    open().put(record('c'));
    expect(Object.keys(open().all()).sort()).toEqual([fixtureId('a'), fixtureId('b'), fixtureId('c')].sort());
    open(true);
    expect(journal()).toBe('');
    const stored = JSON.parse(snapshot().toString()) as { profiles: Record<string, { name: string }> };
    expect(stored.profiles[fixtureId('c')]?.name).toBe('Profil c');
  });

  it('a torn last line (crash during the append) is ignored, and the next save folds before appending', () => {
    const records = open();
    records.put(record('a', 2));
    const torn = journalLine({ op: 'put', profile: record('a', 3) }).slice(0, 40);
    appendFileSync(join(dir, JOURNAL_FILE), torn);
    const reopened = open();
    expect(reopened.all()[fixtureId('a')]?.revision).toBe(2);
    reopened.put(record('b', 5));
    expect(journal()).not.toContain(torn);
    const fresh = open().all();
    expect(fresh[fixtureId('a')]?.revision).toBe(2);
    expect(fresh[fixtureId('b')]?.revision).toBe(5);
  });

  it('a whole line whose checksum does not match is skipped, and the lines after it still count', () => {
    const good = journalLine({ op: 'put', profile: record('a', 2) });
    const forged = journalLine({ op: 'put', profile: record('a', 3) }).replace('"revision":3', '"revision":4');
    const later = journalLine({ op: 'put', profile: record('b', 5) });
    const { records, validBytes, damagedLines } = parseJournal(Buffer.from(good + forged + later));
    expect(records.map((r) => (r.op === 'put' ? r.profile.revision : -1))).toEqual([2, 5]);
    expect(damagedLines).toBe(1);
    expect(validBytes).toBe(Buffer.byteLength(good + forged + later));
  });

  it('a bad line in the middle keeps the later records and leaves a private copy of the journal before the fold', () => {
    const newer = { ...record('a', 3), addedByNewerBuild: true } as unknown as ProfileView;
    const bytes =
      journalLine({ op: 'put', profile: record('a', 2) }) +
      journalLine({ op: 'put', profile: newer }) +
      journalLine({ op: 'put', profile: record('b', 7) }) +
      journalLine({ op: 'put', profile: record('c', 1) });
    writeFileSync(join(dir, JOURNAL_FILE), bytes);
    const started = open(true);
    expect(started.compactedOnOpen).toBe(true);
    const copy = started.damagedJournalFile;
    expect(copy).toMatch(/^profiles\.journal\.damaged-\d{4}-/);
    expect(readFileSync(join(dir, copy ?? 'missing'), 'utf8')).toBe(bytes);
    if (process.platform !== 'win32') expect(statSync(join(dir, copy ?? 'missing')).mode & 0o777).toBe(0o600);
    expect(journal()).toBe('');
    const fresh = open().all();
    expect(fresh[fixtureId('a')]?.revision).toBe(2);
    expect(fresh[fixtureId('b')]?.revision).toBe(7);
    expect(fresh[fixtureId('c')]?.name).toBe('Profil c');
  });

  it('a torn last line leaves no damaged copy', () => {
    open().put(record('a', 2));
    appendFileSync(join(dir, JOURNAL_FILE), journalLine({ op: 'put', profile: record('a', 3) }).slice(0, 40));
    const started = open(true);
    expect(started.damagedJournalFile).toBeUndefined();
    expect(readdirSync(dir).filter((f) => f.includes('damaged'))).toEqual([]);
    expect(open().all()[fixtureId('a')]?.revision).toBe(2);
  });

  it('a record that is no valid profile is refused like a damaged line', () => {
    const line = journalLine({ op: 'put', profile: { ...record('a'), accountType: 'basic' } as unknown as ProfileView });
    expect(parseJournal(Buffer.from(line)).records).toEqual([]);
  });

  it('DS-7: a deletion leaves the profile in neither profiles.json nor the journal', () => {
    const records = open();
    records.put(record('a', 2));
    records.remove(fixtureId('a'));
    expect(snapshot().toString()).not.toContain(fixtureId('a'));
    expect(journal()).toBe('');
    expect(open().all()[fixtureId('a')]).toBeUndefined();
  });

  it('sees what another process appended and what it compacted', () => {
    const window = open();
    const command = open();
    command.put(record('a', 7));
    expect(window.all()[fixtureId('a')]?.revision).toBe(7);
    window.put(record('b', 3));
    command.remove(fixtureId('a'));
    expect(window.all()[fixtureId('a')]).toBeUndefined();
    expect(window.all()[fixtureId('b')]?.revision).toBe(3);
  });

  it('a crash between the snapshot rewrite and the journal reset replays to the same state', () => {
    const records = open();
    records.put(record('a', 2));
    records.put(record('c', 1));
    const pending = journal();
    records.compact();
    // As if the process died right after the new snapshot was renamed into place.
    writeFileSync(join(dir, JOURNAL_FILE), pending);
    const replayed = open().all();
    expect(replayed[fixtureId('a')]?.revision).toBe(2);
    expect(Object.keys(replayed)).toHaveLength(3);
  });

  it('folds a long journal on the next save, so a start never replays more than a bounded number of lines', () => {
    const records = open();
    for (let i = 0; i <= COMPACT_AFTER_RECORDS; i += 1) records.put(record('a', i + 2));
    expect(journal().split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(open().all()[fixtureId('a')]?.revision).toBe(COMPACT_AFTER_RECORDS + 2);
  });

  it('a failing append (disk full) is a typed error and changes no file', () => {
    const before = snapshot();
    const full = new JournaledProfiles({
      dir,
      store: openConfStore(dir, 'profiles'),
      fs: {
        ...nodeFsSeam,
        writeSync: () => {
          throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
        },
      },
    });
    expect(() => full.put(record('a', 2))).toThrow(AppError);
    expect(snapshot()).toEqual(before);
    expect(open().all()[fixtureId('a')]?.revision).toBe(1);
  });
});
