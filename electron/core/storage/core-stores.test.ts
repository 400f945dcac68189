import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProfileView } from '../../../shared/domain';
import { openConfStore } from '../testing/conf-store';
import { openCoreStores } from './core-stores';
import { JOURNAL_FILE, journalLine, JournaledProfiles } from './profile-journal';
import { fixtureId, goodProfilesFile, profileRecord } from './testing/fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'absender-core-stores-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const start = (confirm = false) =>
  openCoreStores({ dir, open: (name) => openConfStore(dir, name), confirmStartEmpty: () => Promise.resolve(confirm) });
const journalWith = (name: string): void =>
  new JournaledProfiles({ dir, store: openConfStore(dir, 'profiles') }).put(profileRecord(name) as ProfileView);

describe('openCoreStores and the profile journal', () => {
  it('folds the journal at start and refreshes profiles.bak.json with it (a restore keeps the saves)', async () => {
    writeFileSync(join(dir, 'profiles.json'), goodProfilesFile('a'));
    journalWith('b');
    const stores = await start();
    expect(Object.keys(stores.profileRecords?.all() ?? {})).toHaveLength(2);
    expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).toBe('');
    expect(readFileSync(join(dir, 'profiles.bak.json'), 'utf8')).toContain(fixtureId('b'));
  });

  it('a command (repair: false) replays the journal but leaves every file as it is', async () => {
    writeFileSync(join(dir, 'profiles.json'), goodProfilesFile('a'));
    journalWith('b');
    const journal = readFileSync(join(dir, JOURNAL_FILE));
    const stores = await openCoreStores({
      dir,
      open: (name) => openConfStore(dir, name),
      confirmStartEmpty: () => Promise.resolve(false),
      repair: false,
    });
    expect(stores.profileRecords?.all()[fixtureId('b')]).toBeDefined();
    expect(readFileSync(join(dir, JOURNAL_FILE))).toEqual(journal);
  });

  it('starting empty after the admin agreed does not replay the given-up journal; its bytes are kept', async () => {
    writeFileSync(join(dir, 'profiles.json'), goodProfilesFile('a'));
    journalWith('b');
    const journal = readFileSync(join(dir, JOURNAL_FILE));
    writeFileSync(join(dir, 'profiles.json'), 'garbage');
    const stores = await start(true);
    expect(stores.profileRecords?.all()).toEqual({});
    expect(existsSync(join(dir, JOURNAL_FILE))).toBe(false);
    const kept = readdirSync(dir).find((f) => f.startsWith(`${JOURNAL_FILE}.started-empty-`));
    expect(readFileSync(join(dir, kept ?? 'missing'))).toEqual(journal);
  });

  it('a damaged journal line is reported on the profiles result with the copy kept aside (the start is not clean)', async () => {
    writeFileSync(join(dir, 'profiles.json'), goodProfilesFile('a'));
    journalWith('b');
    writeFileSync(join(dir, JOURNAL_FILE), 'deadbeefdeadbeef {"op":"del","id":"x"}\n', { flag: 'a' });
    writeFileSync(join(dir, JOURNAL_FILE), journalLine({ op: 'put', profile: profileRecord('c') as ProfileView }), { flag: 'a' });
    const stores = await start();
    const profiles = stores.results?.find((r) => r.name === 'profiles');
    expect(profiles?.damagedJournalFile).toMatch(/^profiles\.journal\.damaged-/);
    expect(readdirSync(dir)).toContain(profiles?.damagedJournalFile);
    expect(Object.keys(stores.profileRecords?.all() ?? {}).sort()).toEqual(
      [fixtureId('a'), fixtureId('b'), fixtureId('c')].sort(),
    );
  });

  it('a clean journal reports no damaged copy', async () => {
    writeFileSync(join(dir, 'profiles.json'), goodProfilesFile('a'));
    journalWith('b');
    const stores = await start();
    expect(stores.results?.find((r) => r.name === 'profiles')?.damagedJournalFile).toBeUndefined();
  });
});
