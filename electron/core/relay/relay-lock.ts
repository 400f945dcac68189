import { join } from 'node:path';
import { acquireFileLock, FileLockBusyError, liveLockHolder, type LockRecord } from '../storage/file-lock';
import { ensurePrivateDir } from '../storage/fs-seam';

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

const ownerOf = (record: LockRecord): RelayLockOwner => ({
  pid: record.pid,
  host: typeof record.host === 'string' ? record.host : '?',
  port: typeof record.port === 'number' ? record.port : 0,
});

/** The holder of the lock if it is a live process, else null (a crashed holder's file is stale). */
export function relayLockOwner(dataDir: string): RelayLockOwner | null {
  const record = liveLockHolder(lockPath(dataDir));
  return record === null ? null : ownerOf(record);
}

/**
 * The worker loads the queue into memory and sends what it holds: two processes on one queue would both send.
 * So one relay per data directory, taken atomically (file-lock.ts: of two relays started at once on a stale
 * lock, exactly one wins).
 */
export function acquireRelayLock(
  dataDir: string,
  where: { host: string; port: number },
): { update(port: number): void; release(): void } {
  ensurePrivateDir(join(dataDir, 'relay'));
  let lock;
  try {
    lock = acquireFileLock(lockPath(dataDir), { host: where.host, port: where.port });
  } catch (error) {
    if (error instanceof FileLockBusyError)
      throw new RelayLockedError(error.holder === null ? { pid: 0, host: where.host, port: where.port } : ownerOf(error.holder));
    throw error;
  }
  return {
    // The real port once listening (a requested 0 becomes the one the OS chose).
    update: (port) => lock.rewrite({ host: where.host, port }),
    release: () => lock.release(),
  };
}
