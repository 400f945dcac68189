import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../storage/fs-seam';

/** Who holds the relay of a data directory: the process, and where it listens. */
export interface RelayLockOwner {
  pid: number;
  host: string;
  port: number;
}

/** Another process (a headless `Absender relay`, or the window) runs the relay of this data directory. */
export class RelayLockedError extends Error {
  constructor(readonly owner: RelayLockOwner) {
    super(`the relay of this data directory runs in process ${owner.pid} (${owner.host}:${owner.port})`);
    this.name = 'RelayLockedError';
  }
}

const lockPath = (dataDir: string): string => join(dataDir, 'relay', 'relay.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another account: still a live holder.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder of the lock if it is a live process, else null (a crashed holder's file is stale). */
export function relayLockOwner(dataDir: string): RelayLockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as RelayLockOwner;
    return Number.isInteger(owner.pid) && owner.pid > 0 && alive(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

/**
 * The worker loads the queue into memory and sends what it holds: two processes on one queue would both send.
 * So one relay per data directory, taken with O_EXCL (a stale file of a dead process is replaced).
 */
export function acquireRelayLock(
  dataDir: string,
  where: { host: string; port: number },
): { update(port: number): void; release(): void } {
  ensurePrivateDir(join(dataDir, 'relay'));
  const path = lockPath(dataDir);
  const write = (port: number, flags: string) => {
    const fd = openSync(path, flags, PRIVATE_FILE_MODE);
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, host: where.host, port }));
    } finally {
      closeSync(fd);
    }
  };
  for (let attempt = 0; ; attempt++) {
    try {
      write(where.port, 'wx');
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const owner = relayLockOwner(dataDir);
      if (owner !== null) throw new RelayLockedError(owner);
      unlinkSync(path);
    }
  }
  let released = false;
  return {
    // The real port once listening (a requested 0 becomes the one the OS chose).
    update: (port) => write(port, 'w'),
    release: () => {
      if (released) return;
      released = true;
      try {
        unlinkSync(path);
      } catch {
        // Already gone: the next start replaces a stale one anyway.
      }
    },
  };
}
