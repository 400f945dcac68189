import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { uptime } from 'node:os';
import { PRIVATE_FILE_MODE } from './fs-seam';

/** What a lock file holds: the process, a nonce of this acquisition and the process's start (pid reuse). */
export interface LockRecord {
  pid: number;
  nonce: string;
  /** `<boot id>:<start ticks>` where the OS tells it (Linux /proc), else null (then the pid alone decides). */
  started: string | null;
  /** When the OS last booted (ms, from its uptime): every OS tells it, so a reboot ends every older lock. */
  booted?: number;
  [detail: string]: unknown;
}

/** A held lock: its record can be rewritten in place (atomically) and it is released once. */
export interface FileLock {
  readonly record: LockRecord;
  rewrite(details: Record<string, unknown>): void;
  release(): void;
}

/** The lock is held by a live process (its record), or could not be had within the wait. */
export class FileLockBusyError extends Error {
  readonly code = 'EBUSY';
  constructor(
    readonly path: string,
    readonly holder: LockRecord | null,
  ) {
    super(`the lock ${path} is held by process ${holder?.pid ?? '?'}`);
    this.name = 'FileLockBusyError';
  }
}

const readText = (path: string): string | null => {
  try {
    return nodeFs.readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};

/** The start of a process as the OS records it, or null where it cannot be read (not Linux, or gone). */
export function processStart(pid: number | 'self'): string | null {
  try {
    const stat = nodeFs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name in field 2 may hold spaces and parentheses, so count after the last ')'.
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const boot = nodeFs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return ticks === undefined ? null : `${boot}:${ticks}`;
  } catch {
    return null;
  }
}

const ownStart = processStart('self');

/** The boot time as now - uptime: steady while the machine runs (sleep included), later after a reboot. */
const bootTime = (): number => Math.round(Date.now() - uptime() * 1000);
/**
 * Clock steps (NTP) move the computed boot time; a reboot moves it by the uptime before it plus the downtime. A
 * lock is judged across a reboot only beyond this margin, so a live holder is never taken for a dead one.
 */
export const BOOT_TOLERANCE_MS = 5 * 60_000;

/** Whether the process that wrote the record still runs: its pid answers and, where known, started when it did. */
export function holderAlive(record: Pick<LockRecord, 'pid'> & { started?: unknown; booted?: unknown }): boolean {
  if (!Number.isInteger(record.pid) || record.pid <= 0) return false;
  if (record.pid === process.pid) return typeof record.started !== 'string' || ownStart === null || record.started === ownStart;
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another account: still a live holder.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // Windows and macOS tell no process start: a lock from before the last boot has a dead holder whatever its pid.
  if (typeof record.booted === 'number' && Math.abs(bootTime() - record.booted) > BOOT_TOLERANCE_MS) return false;
  if (typeof record.started !== 'string') return true;
  const now = processStart(record.pid);
  // A different start under the same pid: the holder died and the pid was given to another process.
  return now === null || now === record.started;
}

/** A record written before the nonce existed, or half-written by the fallback path, has no `nonce`. */
function parseRecord(text: string): LockRecord | null {
  try {
    const parsed = JSON.parse(text) as Partial<LockRecord>;
    return typeof parsed.pid === 'number' ? ({ nonce: '', started: null, ...parsed } as LockRecord) : null;
  } catch {
    return null;
  }
}

/** A file being written by the fallback path is empty for a moment: young unreadable files count as held. */
const UNREADABLE_GRACE_MS = 5_000;

/**
 * `maxHoldMs`: a lock held only for moments (the journal's) is stale once older than this whoever holds it, so a
 * holder killed on a system that reuses pids at once cannot block every save until that pid's new owner ends.
 */
function stale(path: string, text: string, maxHoldMs?: number): boolean {
  if (maxHoldMs !== undefined) {
    try {
      if (Date.now() - nodeFs.statSync(path).mtimeMs > maxHoldMs) return true;
    } catch {
      return true;
    }
  }
  const record = parseRecord(text);
  if (record !== null) return !holderAlive(record);
  try {
    return Date.now() - nodeFs.statSync(path).mtimeMs > UNREADABLE_GRACE_MS;
  } catch {
    return true;
  }
}

/**
 * Puts `text` at `path` only if nothing is there, whole: written to a private temp file, then link()ed into
 * place (link fails with EEXIST), so no reader ever sees an empty or half lock. Where the file system has no
 * hard links, O_EXCL create and write (a reader then gives a young unreadable file the grace above).
 */
function createExclusive(path: string, text: string, nonce: string): boolean {
  const temp = `${path}.${nonce}.tmp`;
  try {
    nodeFs.writeFileSync(temp, text, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    try {
      nodeFs.linkSync(temp, path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
    }
  } finally {
    nodeFs.rmSync(temp, { force: true });
  }
  try {
    nodeFs.writeFileSync(path, text, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Moves the file at `path` aside if it still holds exactly `text`: renamed to a unique name first (atomic),
 * then checked; had another contender replaced it meanwhile, it is linked back (link never overwrites).
 */
function removeIfSame(path: string, text: string): void {
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`;
  try {
    nodeFs.renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readText(aside) !== text) {
    try {
      nodeFs.linkSync(aside, path);
    } catch {
      // Someone created a newer one in the gap: theirs stands.
    }
  }
  nodeFs.rmSync(aside, { force: true });
}

const newRecord = (details: Record<string, unknown>): LockRecord => ({
  ...details,
  pid: process.pid,
  nonce: randomBytes(12).toString('hex'),
  started: ownStart,
  booted: bootTime(),
});

function held(path: string, record: LockRecord): FileLock {
  let current = record;
  let released = false;
  return {
    get record() {
      return current;
    },
    rewrite(details) {
      const next: LockRecord = {
        ...details,
        pid: current.pid,
        nonce: current.nonce,
        started: current.started,
        ...(current.booted === undefined ? {} : { booted: current.booted }),
      };
      const temp = `${path}.${current.nonce}.tmp`;
      nodeFs.writeFileSync(temp, JSON.stringify(next), { mode: PRIVATE_FILE_MODE });
      // rename replaces atomically: a reader sees the old record or the new one, never an empty file.
      nodeFs.renameSync(temp, path);
      current = next;
    },
    release() {
      if (released) return;
      released = true;
      // Only our own record: a lock taken over after we were judged dead (we were not) belongs to the taker.
      const text = readText(path);
      if (text !== null && parseRecord(text)?.nonce === current.nonce) removeIfSame(path, text);
    },
  };
}

/** Sleeps the thread (the callers are synchronous file writers; waits are a few milliseconds). */
const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * One try: the lock, or the live holder's record. A stale lock (its holder died, or its pid now belongs to
 * another process) is taken over under a short second lock `<path>.takeover`, so of several contenders that
 * all judged it stale only one removes it, and each then races for the atomic create: exactly one wins.
 */
export function tryAcquireFileLock(
  path: string,
  details: Record<string, unknown> = {},
  maxHoldMs?: number,
): FileLock | LockRecord | null {
  const record = newRecord(details);
  const text = JSON.stringify(record);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (createExclusive(path, text, record.nonce)) return held(path, record);
    const found = readText(path);
    if (found === null) continue; // released in between
    if (!stale(path, found, maxHoldMs)) return parseRecord(found);
    if (!takeOver(path, found)) pause(1 + attempt);
  }
  const last = readText(path);
  return last === null ? null : parseRecord(last);
}

function takeOver(path: string, staleText: string): boolean {
  const guardPath = `${path}.takeover`;
  const guard = newRecord({});
  const guardText = JSON.stringify(guard);
  if (!createExclusive(guardPath, guardText, guard.nonce)) {
    const other = readText(guardPath);
    // A contender that died inside its takeover (a window of microseconds) leaves the guard: set it aside.
    if (other !== null && stale(guardPath, other)) removeIfSame(guardPath, other);
    return false;
  }
  try {
    // Re-read under the guard: the stale file may already have been replaced by a winner's.
    if (readText(path) === staleText) removeIfSame(path, staleText);
  } finally {
    removeIfSame(guardPath, guardText);
  }
  return true;
}

const isLock = (got: FileLock | LockRecord | null): got is FileLock => got !== null && typeof got.release === 'function';

/** The lock, or FileLockBusyError with the live holder. */
export function acquireFileLock(path: string, details: Record<string, unknown> = {}): FileLock {
  const got = tryAcquireFileLock(path, details);
  if (isLock(got)) return got;
  throw new FileLockBusyError(path, got);
}

/** Waits for a short-lived lock with backoff (1 ms doubling to 50 ms) up to `timeoutMs`, then FileLockBusyError. */
export function acquireFileLockWaiting(
  path: string,
  timeoutMs: number,
  details: Record<string, unknown> = {},
  maxHoldMs?: number,
): FileLock {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    const got = tryAcquireFileLock(path, details, maxHoldMs);
    if (isLock(got)) return got;
    if (Date.now() >= deadline) throw new FileLockBusyError(path, got);
    pause(wait);
  }
}

/** The live holder's record, or null (no file, or a stale one). */
export function liveLockHolder(path: string): LockRecord | null {
  const text = readText(path);
  if (text === null || stale(path, text)) return null;
  return parseRecord(text);
}
