import { join } from 'node:path';
import { ensurePrivateFile, writeFileAtomic } from './fs-seam';
import { readStoreFile, type StoreDir, type StoreFileSpec } from './store-file-steps';

/**
 * DS-7: what is deleted from a store is deleted from its `.bak.json` too, or a restore from backup would
 * bring a deleted secret or refresh token back. The bootstrap hands one out per store (it knows the path).
 */
export interface BackupScrubber {
  /** Removes the entries of the map `field` whose key matches; never throws (see scrubBackup). */
  removeEntries(field: string, matches: (key: string) => boolean): BackupScrubOutcome;
}

export type BackupScrubOutcome = 'removed' | 'nothing-to-remove' | 'left-alone' | 'backup-deleted' | 'failed';

/** For stores without a backup (unit tests, in-memory hosts). */
export const noBackupScrubber: BackupScrubber = { removeEntries: () => 'nothing-to-remove' };

/**
 * Rewrites `<name>.bak.json` atomically (temp, fsync, rename, 0600) without the matching entries. A missing,
 * unreadable or damaged backup is left alone: start-up would not restore from it. If the rewrite fails (disk
 * full), the backup is deleted instead: a stale secret is worse than no safety net, which the next good start
 * writes again from the store file. The deletion in the store itself has already succeeded either way.
 */
export function scrubBackup(
  d: StoreDir,
  name: string,
  spec: StoreFileSpec,
  field: string,
  matches: (key: string) => boolean,
): BackupScrubOutcome {
  const file = `${name}.bak.json`;
  const path = join(d.dir, file);
  let raw: Record<string, unknown>;
  try {
    const candidate = readStoreFile(d, spec, file);
    if (candidate.kind === 'missing') return 'nothing-to-remove';
    if (candidate.kind === 'bad') return 'left-alone';
    // The file as it is, not its migrated form: the backup keeps its own schema version.
    raw = JSON.parse(candidate.bytes.toString('utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch {
    return 'left-alone';
  }
  const map = Object.hasOwn(raw, field) ? raw[field] : undefined;
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return 'nothing-to-remove';
  const entries = Object.entries(map as Record<string, unknown>);
  const kept = entries.filter(([key]) => !matches(key));
  if (kept.length === entries.length) return 'nothing-to-remove';
  try {
    // conf's own format (tabs), so the backup reads the same as one the bootstrap copied.
    writeFileAtomic(path, JSON.stringify({ ...raw, [field]: Object.fromEntries(kept) }, undefined, '\t'), d.fs);
    ensurePrivateFile(path, d.fs);
    return 'removed';
  } catch {
    try {
      d.fs.unlinkSync(path);
      return 'backup-deleted';
    } catch {
      // Not even that: the next good start replaces the backup with the store file, which no longer has them.
      return 'failed';
    }
  }
}
