import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { KeyValueStore } from '../ports';
import { guardedWrite } from './write-guard';
import { ensurePrivateDir, ensurePrivateFile, nodeFsSeam, writeFileAtomic, type FsSeam } from './fs-seam';
import { migrate, SCHEMA_VERSION_KEY, schemaVersionOf, type MigrationPlan, type StoreData } from './migrations';

/**
 * DS-3 steps 2–4 (step 1, the single-instance lock, is the host's and must come first: deleting temp
 * files another instance is still writing would break its rename). Runs before any store is constructed,
 * because conf's constructor throws on a file it cannot parse when `clearInvalidConfig` is false.
 */

/** `success` matches a zod `safeParse` result, so callers pass `Schema.safeParse` as it is. */
export type StoreValidator = (data: unknown) => boolean | { success: boolean };

export interface StoreFileSpec {
  validate: StoreValidator;
  /** Only stores with a versioned schema have one; the others are validated as they are. */
  migrations?: MigrationPlan;
}

export type StoreFileState = 'ok' | 'restored-from-backup' | 'needs-confirmation' | 'started-empty';
export type FileProblem = 'empty' | 'not-json' | 'not-object' | 'schema' | 'missing';

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
}

export interface OpenStoreFilesOptions<N extends string> {
  dir: string;
  files: Record<N, StoreFileSpec>;
  /** Constructs the store (conf / electron-store) once its file is known to be good or absent. */
  open: (name: N) => KeyValueStore;
  now: () => Date;
  fs?: FsSeam;
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
}

type Candidate =
  | { kind: 'missing' }
  | { kind: 'bad'; problem: FileProblem; bytes: Buffer }
  | { kind: 'good'; bytes: Buffer; data: StoreData; migratedFrom: number | undefined };

/** conf's own format, so a file we write reads the same as one it wrote. */
const serialize = (data: StoreData): string => JSON.stringify(data, undefined, '\t');

export function openStoreFiles<N extends string>(options: OpenStoreFilesOptions<N>): StoreBootstrap<N> {
  const fs = options.fs ?? nodeFsSeam;
  const { dir } = options;
  ensurePrivateDir(dir, fs);
  const names = Object.keys(options.files) as N[];
  const results: StoreFileResult<N>[] = [];
  const opened = new Map<N, KeyValueStore>();
  const path = (file: string): string => join(dir, file);
  const stamp = (): string => options.now().toISOString().replace(/[:.]/g, '-');

  const read = (name: N, file: string): Candidate => {
    const spec = options.files[name];
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path(file));
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return { kind: 'missing' };
      throw new AppError('storage-corrupt', { params: { file, reason: 'unreadable' }, cause: error });
    }
    if (bytes.length === 0) return { kind: 'bad', problem: 'empty', bytes };
    let parsed: unknown;
    try {
      // conf skips a byte order mark an editor may have added; so do we, or we would quarantine a file it reads.
      parsed = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    } catch {
      return { kind: 'bad', problem: 'not-json', bytes };
    }
    // conf reads an array or a bare value as an empty store, which would drop everything silently.
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return { kind: 'bad', problem: 'not-object', bytes };
    let data = parsed as StoreData;
    let migratedFrom: number | undefined;
    if (spec.migrations) {
      if (schemaVersionOf(data) === undefined) return { kind: 'bad', problem: 'schema', bytes };
      // A failing step throws (StorageMigrationError) before anything was written: the file stays byte-identical.
      const result = migrate(file, data, spec.migrations);
      data = result.data;
      if (result.from !== result.to) migratedFrom = result.from;
    }
    const verdict = spec.validate(data);
    if (!(typeof verdict === 'boolean' ? verdict : verdict.success)) return { kind: 'bad', problem: 'schema', bytes };
    return { kind: 'good', bytes, data, migratedFrom };
  };

  /** Keeps the exact bytes under a new name; the same broken file seen again on the next start reuses its copy. */
  const quarantine = (name: N, bytes: Buffer, kind: 'corrupt' | 'bak.corrupt'): string => {
    const prefix = `${name}.${kind}-`;
    for (const existing of fs.readdirSync(dir)) {
      if (existing.startsWith(prefix) && existing.endsWith('.json') && fs.readFileSync(path(existing)).equals(bytes))
        return existing;
    }
    let file = `${prefix}${stamp()}.json`;
    for (let n = 1; fs.existsSync(path(file)); n += 1) file = `${prefix}${stamp()}-${n}.json`;
    guardedWrite(() => writeFileAtomic(path(file), bytes, fs));
    // Proof of byte-equality before the original may be replaced: read back what landed on disk.
    if (!fs.readFileSync(path(file)).equals(bytes))
      throw new AppError('storage-corrupt', { params: { file, reason: 'quarantine-mismatch' } });
    return file;
  };

  const removeTempLeftovers = (name: N): string[] => {
    // atomically names its temp files `<file>.tmp-<digits><hex>`; so does writeFileAtomic.
    const pattern = new RegExp(`^${escapeRegExp(name)}(\\.bak)?\\.json\\.tmp-`);
    const removed: string[] = [];
    for (const file of fs.readdirSync(dir)) {
      if (!pattern.test(file)) continue;
      fs.unlinkSync(path(file));
      removed.push(file);
    }
    return removed;
  };

  /** The new file a good load writes, and the `.bak` written after it (DS-3), or before it when migrating (DS-5). */
  const commit = (
    name: N,
    result: StoreFileResult<N>,
    good: Extract<Candidate, { kind: 'good' }>,
    source: 'main' | 'backup',
  ): void => {
    const main = path(`${name}.json`);
    const bak = path(`${name}.bak.json`);
    const migrated = good.migratedFrom !== undefined;
    const bytes = migrated ? Buffer.from(serialize(good.data), 'utf8') : good.bytes;
    // DS-5: the pre-migration bytes go to .bak before the main file changes.
    if (migrated && source === 'main') guardedWrite(() => writeFileAtomic(bak, good.bytes, fs));
    if (source === 'backup' || migrated) guardedWrite(() => writeFileAtomic(main, bytes, fs));
    if (!migrated || source === 'backup') {
      try {
        if (!(fs.existsSync(bak) && fs.readFileSync(bak).equals(bytes))) writeFileAtomic(bak, bytes, fs);
      } catch (error) {
        // The store is fine; only the safety net is stale. Reported, not fatal.
        result.backupWriteFailed = errorCode(error);
      }
    }
    ensurePrivateFile(main, fs);
    ensurePrivateFile(bak, fs);
  };

  const createNew = (name: N): void => {
    const plan = options.files[name].migrations;
    // A new versioned file records its version from the start, so it never looks like a pre-versioning one.
    if (plan) guardedWrite(() => writeFileAtomic(path(`${name}.json`), serialize({ [SCHEMA_VERSION_KEY]: plan.current }), fs));
  };

  for (const name of names) {
    const file = `${name}.json`;
    const backupFile = `${name}.bak.json`;
    const result: StoreFileResult<N> = { name, file, state: 'ok', removedTempFiles: removeTempLeftovers(name) };
    results.push(result);
    const main = read(name, file);
    if (main.kind === 'good') {
      if (main.migratedFrom !== undefined) result.migratedFrom = main.migratedFrom;
      commit(name, result, main, 'main');
      opened.set(name, options.open(name));
      continue;
    }
    if (main.kind === 'bad') {
      result.problem = main.problem;
      result.corruptFile = quarantine(name, main.bytes, 'corrupt');
    }
    const backup = read(name, backupFile);
    if (backup.kind === 'good') {
      // A missing main file with a good backup is damage from outside (our writes rename, never delete): restore it.
      result.state = 'restored-from-backup';
      result.backupFile = backupFile;
      if (backup.migratedFrom !== undefined) result.migratedFrom = backup.migratedFrom;
      commit(name, result, backup, 'backup');
      opened.set(name, options.open(name));
      continue;
    }
    if (main.kind === 'missing' && backup.kind === 'missing') {
      result.created = true;
      createNew(name);
      const fresh = read(name, file);
      if (fresh.kind === 'good') commit(name, result, fresh, 'main');
      opened.set(name, options.open(name));
      continue;
    }
    // Nothing usable. The broken main file stays where it is until the user confirms, so quitting
    // instead leaves everything as found and the next start asks again (reusing the same corrupt copy).
    result.state = 'needs-confirmation';
    result.backupFile = backupFile;
    result.backupProblem = backup.kind === 'bad' ? backup.problem : 'missing';
    if (backup.kind === 'bad' && main.kind === 'missing') {
      result.problem = 'missing';
      result.corruptFile = quarantine(name, backup.bytes, 'bak.corrupt');
    }
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
      const main = path(`${name}.json`);
      const bak = path(`${name}.bak.json`);
      // Both broken files' bytes were quarantined above; only now, after the user said yes, do they go.
      const backup = read(name, `${name}.bak.json`);
      if (backup.kind === 'bad') {
        quarantine(name, backup.bytes, 'bak.corrupt');
        fs.unlinkSync(bak);
      }
      if (fs.existsSync(main)) fs.unlinkSync(main);
      createNew(name);
      const fresh = read(name, `${name}.json`);
      if (fresh.kind === 'good') commit(name, result, fresh, 'main');
      result.state = 'started-empty';
      const s = options.open(name);
      opened.set(name, s);
      return s;
    },
  };
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

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'unknown';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
