import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scrubBackup } from './backup-scrubber';
import { nodeFsSeam, type FsSeam } from './fs-seam';
import { openStoreFiles } from './store-bootstrap';
import { STORE_FILES } from './store-files';
import { asFile, jsonFileStore } from './testing/fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'absender-scrub-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (c: string) => ({ ciphertextB64: c, backend: 'test', v: 1 });
const BAK = { records: { 'clientSecret:a': record('AAAA'), 'tokenCache:a': record('BBBB'), 'clientSecret:b': record('CCCC') } };
const bak = (): string => readFileSync(join(dir, 'secrets.bak.json'), 'utf8');
const scrub = (fs: FsSeam = nodeFsSeam, matches = (k: string) => k.endsWith(':a')) =>
  scrubBackup({ dir, fs, now: () => new Date() }, 'secrets', STORE_FILES.secrets, 'records', matches);
const failing = (call: 'writeSync' | 'renameSync' | 'unlinkSync', code: string, also?: 'unlinkSync'): FsSeam => ({
  ...nodeFsSeam,
  [call]: () => {
    throw Object.assign(new Error(code), { code });
  },
  ...(also
    ? {
        [also]: () => {
          throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        },
      }
    : {}),
});

describe('scrubBackup (DS-7)', () => {
  it('rewrites the backup without the matching entries, 0600, no temp file left', () => {
    writeFileSync(join(dir, 'secrets.bak.json'), asFile(BAK), { mode: 0o644 });
    chmodSync(join(dir, 'secrets.bak.json'), 0o644);
    expect(scrub()).toBe('removed');
    expect(JSON.parse(bak())).toEqual({ records: { 'clientSecret:b': record('CCCC') } });
    expect(bak()).not.toContain('AAAA');
    expect(bak()).not.toContain('BBBB');
    if (process.platform !== 'win32') expect(statSync(join(dir, 'secrets.bak.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['secrets.bak.json']);
  });

  it('writes nothing when no entry matches, or there is no backup', () => {
    const bytes = Buffer.from(JSON.stringify(BAK));
    writeFileSync(join(dir, 'secrets.bak.json'), bytes);
    expect(scrub(nodeFsSeam, (k) => k.endsWith(':zzz'))).toBe('nothing-to-remove');
    expect(readFileSync(join(dir, 'secrets.bak.json'))).toEqual(bytes);
    rmSync(join(dir, 'secrets.bak.json'));
    expect(scrub()).toBe('nothing-to-remove');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['truncated', '{"records": {'],
    ['schema-violating', JSON.stringify({ records: { 'clientSecret:a': { plaintext: 'x' } } })],
    ['empty', ''],
  ])('a damaged backup (%s) is left byte for byte alone', (_label, text) => {
    writeFileSync(join(dir, 'secrets.bak.json'), text);
    expect(scrub()).toBe('left-alone');
    expect(bak()).toBe(text);
  });

  it.each([
    ['writeSync', 'ENOSPC'],
    ['renameSync', 'EACCES'],
  ] as const)('%s fails with %s: the backup is deleted rather than kept stale', (call, code) => {
    writeFileSync(join(dir, 'secrets.bak.json'), asFile(BAK));
    expect(scrub(failing(call, code))).toBe('backup-deleted');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('not even deleting works: reported as failed, never thrown (the store deletion already succeeded)', () => {
    writeFileSync(join(dir, 'secrets.bak.json'), asFile(BAK));
    expect(scrub(failing('writeSync', 'ENOSPC', 'unlinkSync'))).toBe('failed');
    // The next good start replaces it from the store file; its temp leftovers are removed then too.
    expect(JSON.parse(bak())).toEqual(BAK);
  });

  it('the bootstrap hands out a scrubber per store that knows its backup file', () => {
    writeFileSync(join(dir, 'secrets.json'), asFile(BAK));
    const boot = openStoreFiles({ dir, files: STORE_FILES, open: (n) => jsonFileStore(dir, n), now: () => new Date() });
    expect(JSON.parse(bak())).toEqual(BAK);
    expect(boot.backup('secrets').removeEntries('records', (k) => k === 'tokenCache:a')).toBe('removed');
    expect(Object.keys((JSON.parse(bak()) as typeof BAK).records).sort()).toEqual(['clientSecret:a', 'clientSecret:b']);
    // The store file itself is the vault's to change, not the scrubber's.
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toEqual(BAK);
  });
});
