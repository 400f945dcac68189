import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { nodeFsSeam, type FsSeam } from './fs-seam';
import { StorageMigrationError } from './migrations';
import { openStoreFiles, resolvePendingStores, type StoreFileSpec } from './store-bootstrap';
import { STORE_FILES } from './store-files';
import { asFile, CORRUPT_FIXTURES, goodProfilesFile, jsonFileStore, profilesOf } from './testing/fixtures';

let dir: string;
const NOW = new Date('2026-11-29T10:00:00.000Z');
const CORRUPT_NAME = 'profiles.corrupt-2026-11-29T10-00-00-000Z.json';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'absender-boot-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const boot = (files: Record<string, StoreFileSpec> = STORE_FILES, fs?: FsSeam) =>
  openStoreFiles({ dir, files, open: (name) => jsonFileStore(dir, name), now: () => NOW, ...(fs ? { fs } : {}) });
const bytes = (file: string): Buffer => readFileSync(join(dir, file));
const put = (file: string, data: Buffer | string): void => writeFileSync(join(dir, file), data);

describe('openStoreFiles (DS-3)', () => {
  it('starts a fresh install with a versioned profiles file and its backup, 0700 directory', () => {
    const b = boot();
    expect(b.results.map((r) => [r.name, r.state, r.created])).toEqual([
      ['profiles', 'ok', true],
      ['secrets', 'ok', true],
      ['settings', 'ok', true],
    ]);
    expect(JSON.parse(bytes('profiles.json').toString())).toEqual({ schemaVersion: 1 });
    expect(bytes('profiles.bak.json')).toEqual(bytes('profiles.json'));
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
    if (process.platform !== 'win32') expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(b.store('profiles').get('schemaVersion')).toBe(1);
  });

  it('deletes only its own `.tmp-*` leftovers', () => {
    put('profiles.json', goodProfilesFile('p1'));
    for (const f of [
      'profiles.json.tmp-17648123451a2b3c',
      'profiles.bak.json.tmp-1764812345ffffff',
      'secrets.json.tmp-1',
      'unrelated.json.tmp-1',
      'profilesx.json.tmp-1',
    ])
      put(f, '{"half');
    const b = boot();
    expect(b.results[0]?.removedTempFiles.sort()).toEqual([
      'profiles.bak.json.tmp-1764812345ffffff',
      'profiles.json.tmp-17648123451a2b3c',
    ]);
    expect(b.results[1]?.removedTempFiles).toEqual(['secrets.json.tmp-1']);
    expect(
      readdirSync(dir)
        .filter((f) => f.includes('.tmp-'))
        .sort(),
    ).toEqual(['profilesx.json.tmp-1', 'unrelated.json.tmp-1']);
  });

  it('refreshes `.bak` after a good load', () => {
    put('profiles.json', goodProfilesFile('p1'));
    put('profiles.bak.json', goodProfilesFile('old'));
    expect(boot().results[0]?.state).toBe('ok');
    expect(bytes('profiles.bak.json')).toEqual(goodProfilesFile('p1'));
    expect(bytes('profiles.json')).toEqual(goodProfilesFile('p1'));
  });

  describe.each(Object.entries(CORRUPT_FIXTURES))('a %s profiles file', (_label, corrupt) => {
    it('is quarantined byte-equal and the backup restored', () => {
      put('profiles.json', corrupt);
      put('profiles.bak.json', goodProfilesFile('p1'));
      const b = boot();
      expect(b.results[0]).toMatchObject({
        state: 'restored-from-backup',
        corruptFile: CORRUPT_NAME,
        backupFile: 'profiles.bak.json',
      });
      expect(bytes(CORRUPT_NAME)).toEqual(corrupt);
      expect(bytes('profiles.json')).toEqual(goodProfilesFile('p1'));
      expect(b.store('profiles').get('profiles')).toEqual(profilesOf('p1'));
    });

    it('without a backup waits for confirmation, leaving the file in place, then starts empty', () => {
      put('profiles.json', corrupt);
      const b = boot();
      expect(b.results[0]).toMatchObject({
        state: 'needs-confirmation',
        corruptFile: CORRUPT_NAME,
        backupFile: 'profiles.bak.json',
        backupProblem: 'missing',
      });
      expect(b.pending()).toEqual(['profiles']);
      expect(() => b.store('profiles')).toThrow(AppError);
      expect(() => b.stores()).toThrow(AppError);
      expect(bytes(CORRUPT_NAME)).toEqual(corrupt);
      expect(bytes('profiles.json')).toEqual(corrupt); // quitting now loses nothing

      // The next start asks again and reuses the same copy instead of piling up new ones.
      const again = openStoreFiles({ dir, files: STORE_FILES, open: (n) => jsonFileStore(dir, n), now: () => new Date() });
      expect(again.results[0]?.corruptFile).toBe(CORRUPT_NAME);

      const store = again.startEmpty('profiles');
      expect(again.results[0]?.state).toBe('started-empty');
      expect(store.get('profiles')).toBeUndefined();
      expect(JSON.parse(bytes('profiles.json').toString())).toEqual({ schemaVersion: 1 });
      expect(bytes(CORRUPT_NAME)).toEqual(corrupt);
      expect(readdirSync(dir).filter((f) => f.startsWith('profiles.corrupt-'))).toEqual([CORRUPT_NAME]);
    });
  });

  it('a broken backup is named too, and kept byte-equal when the user starts empty', () => {
    put('profiles.json', CORRUPT_FIXTURES['truncated'] ?? '');
    put('profiles.bak.json', CORRUPT_FIXTURES['zero-byte'] ?? '');
    const b = boot();
    expect(b.results[0]).toMatchObject({ state: 'needs-confirmation', problem: 'not-json', backupProblem: 'empty' });
    b.startEmpty('profiles');
    expect(readdirSync(dir).filter((f) => f.startsWith('profiles.bak.corrupt-'))).toHaveLength(1);
    expect(bytes('profiles.bak.json')).toEqual(bytes('profiles.json'));
  });

  it('restores a missing main file from a good backup', () => {
    put('profiles.bak.json', goodProfilesFile('p1'));
    const b = boot();
    expect(b.results[0]).toMatchObject({ state: 'restored-from-backup', backupFile: 'profiles.bak.json' });
    expect(b.results[0]?.corruptFile).toBeUndefined();
    expect(bytes('profiles.json')).toEqual(goodProfilesFile('p1'));
  });

  it('quarantines JSON that is not an object (conf would read it as an empty store)', () => {
    put('secrets.json', '[1,2,3]');
    expect(boot().results[1]).toMatchObject({ state: 'needs-confirmation', problem: 'not-object' });
  });

  it('resolvePendingStores: "no" throws with both file names and changes nothing; "yes" starts empty', async () => {
    put('profiles.json', CORRUPT_FIXTURES['binary garbage'] ?? '');
    const asked: string[] = [];
    const declined = resolvePendingStores(boot(), (r) => {
      asked.push(`${r.corruptFile ?? ''} / ${r.backupFile ?? ''}`);
      return Promise.resolve(false);
    });
    await expect(declined).rejects.toMatchObject({
      code: 'storage-corrupt',
      params: { corruptFile: CORRUPT_NAME, backupFile: 'profiles.bak.json', reason: 'declined' },
    });
    expect(asked).toEqual([`${CORRUPT_NAME} / profiles.bak.json`]);
    expect(bytes('profiles.json')).toEqual(CORRUPT_FIXTURES['binary garbage']);

    const stores = await resolvePendingStores(boot(), () => Promise.resolve(true));
    expect(Object.keys(stores)).toEqual(['profiles', 'secrets', 'settings']);
  });

  it('results name files only, never contents', () => {
    put('profiles.json', asFile({ schemaVersion: 1, profiles: { p1: { id: 'p1', note: 'NEEDLE-1234' } } }));
    expect(JSON.stringify(boot().results)).not.toContain('NEEDLE');
  });

  it('a failed quarantine write is a typed error and leaves the file as it was', () => {
    put('profiles.json', CORRUPT_FIXTURES['truncated'] ?? '');
    const full: FsSeam = {
      ...nodeFsSeam,
      writeSync: () => {
        throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
      },
    };
    expect(() => boot(STORE_FILES, full)).toThrow(
      expect.objectContaining({ code: 'storage-write-failed', params: { reason: 'disk-full' } }),
    );
    expect(bytes('profiles.json')).toEqual(CORRUPT_FIXTURES['truncated']);
    expect(readdirSync(dir).filter((f) => f !== 'profiles.json')).toEqual([]);
  });

  it('a failed backup refresh is reported but does not block the start', () => {
    put('profiles.json', goodProfilesFile('p1'));
    const fs: FsSeam = {
      ...nodeFsSeam,
      renameSync: (from, to) => {
        if (to.endsWith('.bak.json')) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
        nodeFsSeam.renameSync(from, to);
      },
    };
    const b = boot(STORE_FILES, fs);
    expect(b.results[0]).toMatchObject({ state: 'ok', backupWriteFailed: 'ENOSPC' });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a file from a newer app version is refused, untouched', () => {
    put('profiles.json', asFile({ schemaVersion: 7, profiles: {} }));
    expect(() => boot()).toThrow(StorageMigrationError);
    expect(bytes('profiles.json')).toEqual(asFile({ schemaVersion: 7, profiles: {} }));
    expect(existsSync(join(dir, 'profiles.bak.json'))).toBe(false);
  });
});
