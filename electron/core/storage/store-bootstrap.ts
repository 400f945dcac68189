import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { KeyValueStore } from '../ports';
import { scrubBackup, type BackupScrubber } from './backup-scrubber';
import { ensurePrivateDir, nodeFsSeam, type FsSeam } from './fs-seam';
import {
  commitStoreFile,
  createNewStoreFile,
  quarantine,
  readStoreFile,
  removeTempLeftovers,
  type Candidate,
  type FileProblem,
  type StoreDir,
  type StoreFileSpec,
} from './store-file-steps';

export type { FileProblem, StoreFileSpec, StoreValidator } from './store-file-steps';
export type { BackupScrubber } from './backup-scrubber';

/**
 * DS-3 steps 2–4 (step 1, the single-instance lock, is the host's and must come first: deleting temp
 * files another instance is still writing would break its rename). Runs before any store is constructed,
 * because conf's constructor throws on a file it cannot parse when `clearInvalidConfig` is false.
 */

export type StoreFileState = 'ok' | 'restored-from-backup' | 'needs-confirmation' | 'started-empty';

/** What the UI may show: file names and states, never contents. */
export interface StoreFileResult<N extends string = string> {
  name: N;
  file: string;
  state: StoreFileState;
  /** No file existed yet (first start). */
  created?: true;
  migratedFrom?: number;
  /** Why the store file was rejected, and where its exact bytes were kept. */
  problem?: FileProblem;
  corruptFile?: string;
  /** The backup that was restored, or that was tried and why it could not be used. */
  backupFile?: string;
  backupProblem?: FileProblem;
  /** `.tmp-*` leftovers of an interrupted write that were deleted. */
  removedTempFiles: string[];
  /** Refreshing `.bak` failed (e.g. disk full); the store itself loaded fine. */
  backupWriteFailed?: string;
  /** profiles only: the journal had damaged lines; its exact bytes were copied to this file before the fold. */
  damagedJournalFile?: string;
}

export interface OpenStoreFilesOptions<N extends string> {
  dir: string;
  files: Record<N, StoreFileSpec>;
  /** Constructs the store (conf / electron-store) once its file is known to be good or absent. */
  open: (name: N) => KeyValueStore;
  now: () => Date;
  fs?: FsSeam;
  /**
   * false for a second process beside a running window (a scheduled command): it only reads. No temp leftover
   * is deleted (it may be the window's write in flight), nothing is quarantined, restored or migrated, no `.bak`
   * is written; a file that would need any of that is refused with storage-corrupt (reason `needs-app`).
   */
  repair?: boolean;
}

export interface StoreBootstrap<N extends string> {
  /** One entry per file, in the order of `files`; updated by startEmpty(). */
  readonly results: readonly StoreFileResult<N>[];
  /** Names still waiting for the user's decision. */
  pending(): N[];
  /** The opened store; throws while the name is pending. */
  store(name: N): KeyValueStore;
  /** All stores; throws while any name is pending. */
  stores(): Record<N, KeyValueStore>;
  /** Only after the user confirmed (DS-3 step 4): the broken file's bytes are already kept as `corruptFile`. */
  startEmpty(name: N): KeyValueStore;
  /** DS-7: removes deleted entries from `<name>.bak.json` as well. */
  backup(name: N): BackupScrubber;
  /** After start-up changed a good main file (the profile journal folded in): `.bak` follows it. */
  refreshBackup(name: N): void;
}

export function openStoreFiles<N extends string>(options: OpenStoreFilesOptions<N>): StoreBootstrap<N> {
  const d: StoreDir = { dir: options.dir, fs: options.fs ?? nodeFsSeam, now: options.now };
  ensurePrivateDir(d.dir, d.fs);
  const names = Object.keys(options.files) as N[];
  const results: StoreFileResult<N>[] = [];
  const opened = new Map<N, KeyValueStore>();

  for (const name of names) {
    const result =
      options.repair === false ? inspectStoreFile(d, name, options.files[name]) : loadStoreFile(d, name, options.files[name]);
    results.push(result);
    if (result.state !== 'needs-confirmation') opened.set(name, options.open(name));
  }

  const pending = (): N[] => results.filter((r) => r.state === 'needs-confirmation').map((r) => r.name);

  const store = (name: N): KeyValueStore => {
    const s = opened.get(name);
    if (!s) throw new AppError('storage-corrupt', { params: { file: `${name}.json`, reason: 'needs-confirmation' } });
    return s;
  };

  return {
    results,
    pending,
    store,
    stores: () => Object.fromEntries(names.map((n) => [n, store(n)])) as Record<N, KeyValueStore>,
    startEmpty: (name) => {
      const result = results.find((r) => r.name === name);
      if (result?.state !== 'needs-confirmation')
        throw new Error(`startEmpty(${name}): the store is not waiting for confirmation.`);
      discardAndStartEmpty(d, name, options.files[name], result);
      const s = options.open(name);
      opened.set(name, s);
      return s;
    },
    backup: (name) => ({
      removeEntries: (field, matches) => scrubBackup(d, name, options.files[name], field, matches),
    }),
    refreshBackup: (name) => {
      const main = readStoreFile(d, options.files[name], `${name}.json`);
      if (main.kind !== 'good' || main.migratedFrom !== undefined) return;
      const result = results.find((r) => r.name === name);
      if (result) commit(d, name, result, main, 'main');
    },
  };
}

/** Read only: a good, current file is used as it is; anything the window's start-up would repair is refused. */
function inspectStoreFile<N extends string>(d: StoreDir, name: N, spec: StoreFileSpec): StoreFileResult<N> {
  const file = `${name}.json`;
  const main = readStoreFile(d, spec, file);
  if (main.kind === 'good' && main.migratedFrom === undefined) return { name, file, state: 'ok', removedTempFiles: [] };
  // First start ever: nothing to repair; a new file (with its schema version) cannot collide with a window's write.
  if (main.kind === 'missing' && readStoreFile(d, spec, `${name}.bak.json`).kind === 'missing') {
    createNewStoreFile(d, name, spec);
    return { name, file, state: 'ok', created: true, removedTempFiles: [] };
  }
  throw new AppError('storage-corrupt', { params: { file, reason: 'needs-app' } });
}

/** Decides, for one store, which file steps run: main good → keep it; else backup good → restore; else ask. */
function loadStoreFile<N extends string>(d: StoreDir, name: N, spec: StoreFileSpec): StoreFileResult<N> {
  const file = `${name}.json`;
  const backupFile = `${name}.bak.json`;
  const result: StoreFileResult<N> = { name, file, state: 'ok', removedTempFiles: removeTempLeftovers(d, name) };
  const main = readStoreFile(d, spec, file);
  if (main.kind === 'good') {
    if (main.migratedFrom !== undefined) result.migratedFrom = main.migratedFrom;
    commit(d, name, result, main, 'main');
    return result;
  }
  if (main.kind === 'bad') {
    result.problem = main.problem;
    result.corruptFile = quarantine(d, name, main.bytes, 'corrupt');
  }
  const backup = readStoreFile(d, spec, backupFile);
  if (backup.kind === 'good') {
    // A missing main file with a good backup is damage from outside (our writes rename, never delete): restore it.
    result.state = 'restored-from-backup';
    result.backupFile = backupFile;
    if (backup.migratedFrom !== undefined) result.migratedFrom = backup.migratedFrom;
    commit(d, name, result, backup, 'backup');
    return result;
  }
  if (main.kind === 'missing' && backup.kind === 'missing') {
    result.created = true;
    createFresh(d, name, spec, result);
    return result;
  }
  // Nothing usable. The broken main file stays where it is until the user confirms, so quitting
  // instead leaves everything as found and the next start asks again (reusing the same corrupt copy).
  result.state = 'needs-confirmation';
  result.backupFile = backupFile;
  result.backupProblem = backup.kind === 'bad' ? backup.problem : 'missing';
  if (backup.kind === 'bad' && main.kind === 'missing') {
    result.problem = 'missing';
    result.corruptFile = quarantine(d, name, backup.bytes, 'bak.corrupt');
  }
  return result;
}

/** Only after the user said yes: both broken files' bytes were quarantined at load; only now do they go. */
function discardAndStartEmpty<N extends string>(d: StoreDir, name: N, spec: StoreFileSpec, result: StoreFileResult<N>): void {
  const main = join(d.dir, `${name}.json`);
  const bak = join(d.dir, `${name}.bak.json`);
  const backup = readStoreFile(d, spec, `${name}.bak.json`);
  if (backup.kind === 'bad') {
    quarantine(d, name, backup.bytes, 'bak.corrupt');
    d.fs.unlinkSync(bak);
  }
  if (d.fs.existsSync(main)) d.fs.unlinkSync(main);
  createFresh(d, name, spec, result);
  result.state = 'started-empty';
}

function createFresh<N extends string>(d: StoreDir, name: N, spec: StoreFileSpec, result: StoreFileResult<N>): void {
  createNewStoreFile(d, name, spec);
  const fresh = readStoreFile(d, spec, `${name}.json`);
  if (fresh.kind === 'good') commit(d, name, result, fresh, 'main');
}

function commit<N extends string>(
  d: StoreDir,
  name: N,
  result: StoreFileResult<N>,
  good: Extract<Candidate, { kind: 'good' }>,
  source: 'main' | 'backup',
): void {
  const backupWriteFailed = commitStoreFile(d, name, good, source);
  if (backupWriteFailed !== undefined) result.backupWriteFailed = backupWriteFailed;
}

/**
 * Asks once per pending store (the host's dialog, naming both files) and starts it empty on "yes";
 * on "no" throws, so the host quits with every file left as it was found.
 */
export async function resolvePendingStores<N extends string>(
  boot: StoreBootstrap<N>,
  confirmStartEmpty: (result: StoreFileResult<N>) => Promise<boolean>,
): Promise<Record<N, KeyValueStore>> {
  for (const name of boot.pending()) {
    const result = boot.results.find((r) => r.name === name);
    if (!result) continue;
    if (!(await confirmStartEmpty(result))) {
      throw new AppError('storage-corrupt', {
        params: {
          file: result.file,
          corruptFile: result.corruptFile ?? '',
          backupFile: result.backupFile ?? '',
          reason: 'declined',
        },
      });
    }
    boot.startEmpty(name);
  }
  return boot.stores();
}
