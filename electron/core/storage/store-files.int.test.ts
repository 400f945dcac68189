import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { openConfStore } from '../testing/conf-store';
import type { KeyValueStore } from '../ports';
import { killOwnedChildren, spawnOwned } from '../testing/owned-children';
import { openStoreFiles } from './store-bootstrap';
import { ProfilesFile, STORE_FILES, type StoreName } from './store-files';
import { CORRUPT_FIXTURES, goodProfilesFile, profilesOf, sha256 } from './testing/fixtures';
import { guardedWrite } from './write-guard';

// Real files through the real conf 16 / atomically 2 / electron-store 12, as installed.
const ROOT = join(import.meta.dirname, '../../..');
const CHILD_DIR = join(import.meta.dirname, 'testing');
const isPosix = process.platform !== 'win32';
const isRoot = process.getuid?.() === 0;

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'absender-store-'));
});
afterEach(() => {
  killOwnedChildren();
  rmSync(base, { recursive: true, force: true });
});

const mode = (path: string): number => statSync(path).mode & 0o777;
const tempFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.includes('.tmp-'));
const bootConf = (dir: string, open: (name: StoreName) => KeyValueStore = (n) => openConfStore(dir, n)) =>
  openStoreFiles({ dir, files: STORE_FILES, open, now: () => new Date('2026-11-29T10:00:00Z') });

/** Runs a TypeScript child with the same Node; tsx resolves the repo's extensionless imports. */
function runChild(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnOwned(process.execPath, ['--import', 'tsx', join(CHILD_DIR, script), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!isPosix)('DS-1 file and directory modes', () => {
  it('conf adapter: a new data dir is 0700 and the store file 0600', () => {
    const dir = join(base, 'nested', 'data');
    const store = openConfStore(dir, 'profiles');
    store.set('profiles', profilesOf('p1'));
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'profiles.json'))).toBe(0o600);
  });

  it('conf adapter + bootstrap tighten a directory and files written before DS-1', () => {
    const dir = join(base, 'old');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'profiles.json'), goodProfilesFile('p1'), { mode: 0o644 });
    chmodSync(join(dir, 'profiles.json'), 0o644);
    const boot = bootConf(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'profiles.json'))).toBe(0o600);
    expect(mode(join(dir, 'profiles.bak.json'))).toBe(0o600);
    guardedWrite(() => boot.store('secrets').set('records', {}));
    expect(mode(join(dir, 'secrets.json'))).toBe(0o600);
  });

  it('electron-store adapter (loaded in plain Node with an absolute cwd) passes the modes through', async () => {
    // `electron` resolves to its binary's path in plain Node; the override stops it downloading one.
    vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', join(base, 'no-electron'));
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const { openElectronStore } = await import('../../main/adapters/electron-store-kv');
    const dir = join(base, 'userData');
    const store = openElectronStore('profiles', dir);
    store.set('profiles', {});
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'profiles.json'))).toBe(0o600);
    // clearInvalidConfig: false reaches conf: a broken file throws instead of being emptied.
    writeFileSync(join(dir, 'secrets.json'), '{"records": {');
    expect(() => openElectronStore('secrets', dir)).toThrow(/not valid JSON/);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toBe('{"records": {');
  });
});

describe('DS-3 corrupt files through the conf adapter', () => {
  it.each(Object.entries(CORRUPT_FIXTURES))('%s: quarantined byte-equal, backup restored', (_label, corrupt) => {
    const dir = join(base, 'data');
    mkdirSync(dir);
    writeFileSync(join(dir, 'profiles.json'), corrupt);
    writeFileSync(join(dir, 'profiles.bak.json'), goodProfilesFile('p1'));
    const boot = bootConf(dir);
    const result = boot.results[0];
    expect(result?.state).toBe('restored-from-backup');
    expect(readFileSync(join(dir, result?.corruptFile ?? 'missing'))).toEqual(corrupt);
    expect(boot.store('profiles').get('profiles')).toEqual(profilesOf('p1'));
  });

  it.each(Object.entries(CORRUPT_FIXTURES))(
    '%s: needs confirmation without a backup; conf is never constructed',
    (_label, corrupt) => {
      const dir = join(base, 'data');
      mkdirSync(dir);
      writeFileSync(join(dir, 'profiles.json'), corrupt);
      const opened: string[] = [];
      const boot = bootConf(dir, (n) => {
        opened.push(n);
        return openConfStore(dir, n);
      });
      expect(boot.results[0]).toMatchObject({ state: 'needs-confirmation', backupProblem: 'missing' });
      expect(opened).toEqual(['secrets', 'settings']);
      expect(readFileSync(join(dir, boot.results[0]?.corruptFile ?? 'missing'))).toEqual(corrupt);
      expect(readFileSync(join(dir, 'profiles.json'))).toEqual(corrupt);
      boot.startEmpty('profiles');
      expect(boot.store('profiles').get('profiles')).toBeUndefined();
    },
  );

  it("why the bootstrap must run first: conf's constructor throws on such a file (clearInvalidConfig: false)", () => {
    const dir = join(base, 'data');
    mkdirSync(dir);
    writeFileSync(join(dir, 'profiles.json'), CORRUPT_FIXTURES['truncated'] ?? '');
    expect(() => openConfStore(dir, 'profiles')).toThrow(/not valid JSON/);
    expect(readFileSync(join(dir, 'profiles.json'))).toEqual(CORRUPT_FIXTURES['truncated']);
  });
});

describe('DS-4 write errors through the conf adapter', () => {
  // Injected at the fs seam in a child (see write-fault-child.ts): works as root, where permissions don't bite.
  const cases = [
    ['ENOSPC', 'writeSync', 'disk-full'],
    ['EACCES', 'openSync', 'access-denied'],
    ['EPERM', 'renameSync', 'access-denied'],
    ['EBUSY', 'renameSync', 'file-busy'],
    ['EROFS', 'openSync', 'read-only'],
  ] as const;

  it.each(cases)('%s in %s → storage-write-failed (%s), file hash unchanged, no temp file left', async (errno, call, reason) => {
    const dir = join(base, 'data');
    const store = openConfStore(dir, 'profiles');
    store.set('profiles', profilesOf('p1'));
    const before = sha256(readFileSync(join(dir, 'profiles.json')));

    const { stdout, stderr } = await runChild('write-fault-child.ts', [dir, errno, call]);
    expect(stderr).toBe('');
    const outcome = JSON.parse(stdout) as Record<string, unknown>;
    expect(outcome).toMatchObject({
      ok: false,
      name: 'AppError',
      code: 'storage-write-failed',
      params: { reason },
      causeCode: errno,
    });
    expect(outcome['injected']).toBeGreaterThanOrEqual(1);
    // EACCES/EPERM/EBUSY are retried by atomically for ~1 s before they surface.
    if (errno !== 'ENOSPC' && errno !== 'EROFS') expect(outcome['injected']).toBeGreaterThan(1);
    expect(sha256(readFileSync(join(dir, 'profiles.json')))).toBe(before);
    expect(tempFiles(dir)).toEqual([]);
  });

  it.skipIf(isRoot || !isPosix)('EACCES for real: a read-only data directory (not as root)', () => {
    const dir = join(base, 'data');
    const store = openConfStore(dir, 'profiles');
    store.set('profiles', profilesOf('p1'));
    const before = sha256(readFileSync(join(dir, 'profiles.json')));
    chmodSync(dir, 0o500);
    try {
      expect(() => guardedWrite(() => store.set('profiles', {}))).toThrow(
        expect.objectContaining({ code: 'storage-write-failed', params: { reason: 'access-denied' } }),
      );
    } finally {
      chmodSync(dir, 0o700);
    }
    expect(sha256(readFileSync(join(dir, 'profiles.json')))).toBe(before);
    expect(tempFiles(dir)).toEqual([]);
  });
});

describe('DS-3 crash safety', () => {
  it('a child looping set() is kill -9’d 20 times: the file always parses, start-up removes leftovers', async (ctx) => {
    const dir = join(base, 'data');
    bootConf(dir);
    let leftoversSeen = 0;
    for (let round = 0; round < 20; round += 1) {
      const ready = join(base, `ready-${round}`);
      const child = spawnOwned(process.execPath, ['--import', 'tsx', join(CHILD_DIR, 'crash-child.ts'), dir, ready], {
        cwd: ROOT,
        stdio: 'ignore',
      });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      // Starting tsx on a loaded 2-core machine can take seconds; the afterEach kills the child if this fails.
      const deadline = Date.now() + 30_000;
      while (!existsSync(ready) && Date.now() < deadline) await sleep(5);
      expect(existsSync(ready)).toBe(true);
      await sleep(Math.floor(Math.random() * 60));
      child.kill('SIGKILL');
      await exited;

      const text = readFileSync(join(dir, 'profiles.json'), 'utf8');
      const parsed = ProfilesFile.safeParse(JSON.parse(text));
      expect(parsed.success).toBe(true);
      leftoversSeen += tempFiles(dir).length;

      const boot = bootConf(dir);
      expect(boot.results.map((r) => r.state)).toEqual(['ok', 'ok', 'ok']);
      expect(tempFiles(dir)).toEqual([]);
    }
    // Informational: how often the kill landed between creating the temp file and the rename.
    await ctx.annotate(`temp files left by 20 kills: ${leftoversSeen}`);
  }, 180_000);
});
