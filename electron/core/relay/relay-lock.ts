import { join } from 'node:path';
import { acquireFileLock, FileLockBusyError, liveLockHolder, type LockRecord } from '../storage/file-lock';
import { ensurePrivateDir } from '../storage/fs-seam';
import type { RelayTlsTemporary } from './relay-tls';

/** Who holds the relay of a data directory: the process, and where it listens. */
export interface RelayLockOwner {
  pid: number;
  host: string;
  port: number;
  /**
   * It serves a temporary certificate (the stored one waits for its cipher): public fingerprints only, so the
   * panel of another process and `check` can say so while it runs; it ends with the lock, as the certificate does.
   */
  tlsTemporary?: RelayLockTlsTemporary;
}

export interface RelayLockTlsTemporary {
  fingerprint: string;
  storedFingerprint: string;
  reason: RelayTlsTemporary['reason'];
}

const REASONS: ReadonlySet<unknown> = new Set<RelayTlsTemporary['reason']>(['cipher-unavailable', 'other-backend']);

/** Another process (a headless `Absender relay`, or the window) runs the relay of this data directory. */
export class RelayLockedError extends Error {
  constructor(readonly owner: RelayLockOwner) {
    super(`the relay of this data directory runs in process ${owner.pid} (${owner.host}:${owner.port})`);
    this.name = 'RelayLockedError';
  }
}

const lockPath = (dataDir: string): string => join(dataDir, 'relay', 'relay.lock');

function tlsTemporaryOf(value: unknown): RelayLockTlsTemporary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { fingerprint, storedFingerprint, reason } = value as Record<string, unknown>;
  return typeof fingerprint === 'string' && typeof storedFingerprint === 'string' && REASONS.has(reason)
    ? { fingerprint, storedFingerprint, reason: reason as RelayTlsTemporary['reason'] }
    : undefined;
}

const ownerOf = (record: LockRecord): RelayLockOwner => {
  const tlsTemporary = tlsTemporaryOf(record.tlsTemporary);
  return {
    pid: record.pid,
    host: typeof record.host === 'string' ? record.host : '?',
    port: typeof record.port === 'number' ? record.port : 0,
    ...(tlsTemporary === undefined ? {} : { tlsTemporary }),
  };
};

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
): { update(port: number, tlsTemporary?: RelayLockTlsTemporary): void; release(): void } {
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
    update: (port, tlsTemporary) =>
      lock.rewrite({ host: where.host, port, ...(tlsTemporary === undefined ? {} : { tlsTemporary }) }),
    release: () => lock.release(),
  };
}
