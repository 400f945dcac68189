import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore } from '../compose-core';
import { openConfStore } from '../testing/conf-store';
import { TEST_HOST, testOsPorts, VALID_DRAFT } from '../testing/core-fixture';
import { InMemoryCipher } from '../testing/in-memory';
import { JOURNAL_FILE } from './profile-journal';

// A damaged line in the middle of the journal over real store files: later saves survive, the bytes are kept
// aside, and the start does not count as clean, so the unreadable profile's secret is not collected as an orphan.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const cipher = new InMemoryCipher();
let tick = 0;
const start = (dir: string) =>
  startCore({
    storeFiles: { dir, open: (name) => openConfStore(dir, name), confirmStartEmpty: () => Promise.resolve(false) },
    os: testOsPorts({ cipher, clock: { now: () => new Date(Date.UTC(2026, 11, 1, 10, 0, tick++)) } }),
    events: { emit: () => undefined },
    host: TEST_HOST,
  });

describe('profile journal with a damaged line in the middle', () => {
  it('keeps the later records, copies the journal aside and keeps the secret of the profile it could not read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'absender-journal-damage-'));
    dirs.push(dir);
    const { api } = await start(dir);
    const first = await api.profiles.save({ draft: { ...VALID_DRAFT }, clientSecret: 'Zq8Q~erstes-geheimnis-lang-1234' });
    const lost = await api.profiles.save({
      draft: { ...VALID_DRAFT, name: 'Unlesbar' },
      clientSecret: 'Zq8Q~zweites-geheimnis-lang-5678',
    });
    await api.profiles.save({ draft: { ...VALID_DRAFT, id: first.id, revision: first.revision, name: 'Später gespeichert' } });

    const lines = readFileSync(join(dir, JOURNAL_FILE), 'utf8').split('\n');
    const bad = lines.findIndex((l) => l.includes(lost.id));
    expect(bad).toBeGreaterThanOrEqual(0);
    expect(bad).toBeLessThan(lines.length - 2); // a later whole line follows it
    lines[bad] = `0000000000000000${lines[bad]?.slice(16) ?? ''}`;
    writeFileSync(join(dir, JOURNAL_FILE), lines.join('\n'));
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toContain(lost.id);

    const restarted = await start(dir);
    expect((await restarted.api.profiles.list()).map((p) => p.name)).toEqual(['Später gespeichert']);
    const copy = restarted.stores.results?.find((r) => r.name === 'profiles')?.damagedJournalFile;
    expect(copy).toMatch(/^profiles\.journal\.damaged-/);
    expect(readdirSync(dir)).toContain(copy);
    expect(readFileSync(join(dir, copy ?? 'missing'), 'utf8')).toBe(lines.join('\n'));
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toContain(lost.id);
    // The window's notice: file names only.
    expect((await restarted.api.app.info()).storage).toEqual([
      { file: JOURNAL_FILE, state: 'journal-damaged', corruptFile: copy, backupFile: null },
    ]);
  });
});
