import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFsSeam, writeFileAtomic, type FsSeam } from './fs-seam';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'absender-fs-seam-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const posix = process.platform !== 'win32';

describe('writeFileAtomic', () => {
  it('replaces the target through a temp file beside it; 0600 unless told otherwise', () => {
    const target = join(dir, 'check.txt');
    writeFileAtomic(target, 'first');
    writeFileAtomic(target, 'second');
    expect(readFileSync(target, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['check.txt']);
    if (posix) expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('writes a Prometheus textfile readable by node_exporter (0644), its temp name never *.prom', () => {
    const target = join(dir, 'absender.prom');
    const temps: string[] = [];
    const seam: FsSeam = { ...nodeFsSeam, renameSync: (from, to) => (temps.push(from), nodeFsSeam.renameSync(from, to)) };
    writeFileAtomic(target, 'absender_check_exit_code 0\n', seam, 0o644);
    expect(temps).toHaveLength(1);
    expect(temps[0]?.startsWith(join(dir, 'absender.prom.tmp-'))).toBe(true);
    expect(temps[0]).not.toMatch(/\.prom$/);
    if (posix) expect(statSync(target).mode & 0o777).toBe(0o644);
  });

  it('removes the temp file when the rename fails and rethrows; the old content stays', () => {
    const target = join(dir, 'a.prom');
    writeFileAtomic(target, 'old', nodeFsSeam, 0o644);
    const failing: FsSeam = {
      ...nodeFsSeam,
      renameSync: () => {
        throw new Error('EXDEV');
      },
    };
    expect(() => writeFileAtomic(target, 'new', failing, 0o644)).toThrow('EXDEV');
    expect(readdirSync(dir)).toEqual(['a.prom']);
    expect(readFileSync(target, 'utf8')).toBe('old');
  });
});
