import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireFileLock,
  acquireFileLockWaiting,
  BOOT_TOLERANCE_MS,
  FileLockBusyError,
  holderAlive,
  liveLockHolder,
  processStart,
} from './file-lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'absender-file-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const linux = process.platform === 'linux';

describe('file lock', () => {
  it('holds pid, nonce and start; a second acquisition is refused with the holder; release frees it', () => {
    const path = join(dir, 'x.lock');
    const lock = acquireFileLock(path, { what: 'test' });
    const onDisk = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({ pid: process.pid, what: 'test', nonce: lock.record.nonce });
    expect(lock.record.nonce).toMatch(/^[0-9a-f]{24}$/);
    if (linux) expect(onDisk.started).toBe(processStart('self'));
    expect(() => acquireFileLock(path)).toThrow(FileLockBusyError);
    lock.release();
    expect(liveLockHolder(path)).toBeNull();
    acquireFileLock(path).release();
    // Nothing left behind: no temp, takeover or stale files.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a live pid that started at another time is a reused pid: the lock is stale (Linux)', () => {
    if (!linux) return;
    const parent = { pid: process.ppid, nonce: 'n', started: processStart(process.ppid) };
    expect(holderAlive(parent)).toBe(true);
    expect(holderAlive({ ...parent, started: 'other-boot:1' })).toBe(false);
    const path = join(dir, 'x.lock');
    writeFileSync(path, JSON.stringify({ ...parent, started: 'other-boot:1' }));
    const lock = acquireFileLock(path);
    expect(liveLockHolder(path)?.nonce).toBe(lock.record.nonce);
    lock.release();
    writeFileSync(path, JSON.stringify(parent));
    expect(() => acquireFileLock(path)).toThrow(FileLockBusyError);
  });

  it('a dead holder, a holder in this process before a restart and a garbled old file are stale', () => {
    const path = join(dir, 'x.lock');
    expect(holderAlive({ pid: 4_194_305 })).toBe(false);
    expect(holderAlive({ pid: -1 })).toBe(false);
    if (linux) expect(holderAlive({ pid: process.pid, started: 'before-reboot:7' })).toBe(false);
    writeFileSync(path, 'not json');
    // Young unreadable files are taken as being written; an old one is stale.
    expect(() => acquireFileLock(path)).toThrow(FileLockBusyError);
    const old = new Date(Date.now() - 60_000);
    writeFileSync(path, 'not json');
    utimesSync(path, old, old);
    acquireFileLock(path).release();
  });

  it('release leaves a lock that is no longer its own (taken over meanwhile)', () => {
    const path = join(dir, 'x.lock');
    const lock = acquireFileLock(path);
    const successor = JSON.stringify({ pid: process.ppid, nonce: 'successor', started: null });
    writeFileSync(path, successor);
    lock.release();
    expect(readFileSync(path, 'utf8')).toBe(successor);
  });

  it('rewrite keeps the nonce and replaces the details atomically', () => {
    const path = join(dir, 'x.lock');
    const lock = acquireFileLock(path, { port: 0 });
    lock.rewrite({ port: 2525 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ port: 2525, nonce: lock.record.nonce, pid: process.pid });
    lock.release();
  });

  it('a waiting acquisition gives up after its bound with the holder', () => {
    const path = join(dir, 'x.lock');
    writeFileSync(path, JSON.stringify({ pid: process.ppid, nonce: 'held', started: null }));
    const started = Date.now();
    let error: unknown;
    try {
      acquireFileLockWaiting(path, 60);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FileLockBusyError);
    expect((error as FileLockBusyError).holder?.nonce).toBe('held');
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });

  it('a holder from before the last boot is dead on every OS, even if its pid now answers (Windows reuses pids)', () => {
    const path = join(dir, 'x.lock');
    const lock = acquireFileLock(path);
    const booted = lock.record.booted ?? Number.NaN;
    expect(Number.isFinite(booted)).toBe(true);
    lock.release();
    // The parent process is alive: only the boot time says the record is from another boot.
    const parent = { pid: process.ppid, nonce: 'n', started: null };
    expect(holderAlive({ ...parent, booted })).toBe(true);
    expect(holderAlive({ ...parent, booted: booted - BOOT_TOLERANCE_MS - 60_000 })).toBe(false);
    writeFileSync(path, JSON.stringify({ ...parent, booted: booted - 2 * BOOT_TOLERANCE_MS }));
    acquireFileLock(path).release();
    // Within the tolerance (a clock step) the live holder keeps its lock.
    writeFileSync(path, JSON.stringify({ ...parent, booted: booted - 60_000 }));
    expect(() => acquireFileLock(path)).toThrow(FileLockBusyError);
  });

  it('a short-lived lock older than its maximum hold is stale whoever holds it; a young one is waited for', () => {
    const path = join(dir, 'x.lock');
    const parent = { pid: process.ppid, nonce: 'n', started: null };
    writeFileSync(path, JSON.stringify(parent));
    expect(() => acquireFileLockWaiting(path, 50, {}, 10_000)).toThrow(FileLockBusyError);
    const old = new Date(Date.now() - 11_000);
    utimesSync(path, old, old);
    const lock = acquireFileLockWaiting(path, 50, {}, 10_000);
    expect(liveLockHolder(path)?.nonce).toBe(lock.record.nonce);
    lock.release();
  });
});
