import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageBoxOptions } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import { CORRUPT_FIXTURES, goodProfilesFile, jsonFileStore } from '../core/storage/testing/fixtures';
import { openStores } from './open-stores';
import { StartupDeclined } from './startup';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function dataDir(profiles?: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'absender-open-stores-'));
  dirs.push(dir);
  if (profiles) writeFileSync(join(dir, 'profiles.json'), profiles);
  return dir;
}

function asking(response: number) {
  const asked: MessageBoxOptions[] = [];
  return { asked, ask: (o: MessageBoxOptions) => Promise.resolve(void asked.push(o)).then(() => ({ response })) };
}

describe('openStores (DS-3, fake dialog)', () => {
  it('opens healthy files without asking', async () => {
    const { asked, ask } = asking(0);
    const opened = await openStores({ dataDir: dataDir(goodProfilesFile('p1')), language: 'de', open: jsonFileStore, ask });
    expect(asked).toEqual([]);
    expect(Object.keys(opened.stores).sort()).toEqual(['profiles', 'secrets', 'settings']);
  });

  it('"Beenden" on a damaged file without backup ends start-up as declined, not as an error', async () => {
    const { asked, ask } = asking(0);
    const dir = dataDir(CORRUPT_FIXTURES['zero-byte']);
    await expect(openStores({ dataDir: dir, language: 'de', open: jsonFileStore, ask })).rejects.toBeInstanceOf(StartupDeclined);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.buttons).toEqual(['Beenden', 'Leer starten']);
    expect(asked[0]?.detail).toContain(dir);
  });

  it('"Start empty" opens the stores, asked in English', async () => {
    const { asked, ask } = asking(1);
    const opened = await openStores({
      dataDir: dataDir(CORRUPT_FIXTURES['zero-byte']),
      language: 'en',
      open: jsonFileStore,
      ask,
    });
    expect(asked[0]?.buttons).toEqual(['Quit', 'Start empty']);
    expect(opened.results.find((r) => r.name === 'profiles')?.state).toBe('started-empty');
  });
});
