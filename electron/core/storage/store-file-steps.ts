import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { guardedWrite } from './write-guard';
import { ensurePrivateFile, writeFileAtomic, type FsSeam } from './fs-seam';
import { migrate, SCHEMA_VERSION_KEY, schemaVersionOf, type MigrationPlan, type StoreData } from './migrations';

/** The file steps of DS-3 for one store: read and check, quarantine, commit; store-bootstrap decides which run. */

export type FileProblem = 'empty' | 'not-json' | 'not-object' | 'schema' | 'missing';

/** `success` matches a zod `safeParse` result, so callers pass `Schema.safeParse` as it is. */
export type StoreValidator = (data: unknown) => boolean | { success: boolean };

export interface StoreFileSpec {
  validate: StoreValidator;
  /** Only stores with a versioned schema have one; the others are validated as they are. */
  migrations?: MigrationPlan;
}

/** The data directory the steps work in. */
export interface StoreDir {
  dir: string;
  fs: FsSeam;
  now: () => Date;
}

export type Candidate =
  | { kind: 'missing' }
  | { kind: 'bad'; problem: FileProblem; bytes: Buffer }
  | { kind: 'good'; bytes: Buffer; data: StoreData; migratedFrom: number | undefined };

/** conf's own format, so a file we write reads the same as one it wrote. */
const serialize = (data: StoreData): string => JSON.stringify(data, undefined, '\t');

// ---- read ---------------------------------------------------------------------------------------------

export function readStoreFile(d: StoreDir, spec: StoreFileSpec, file: string): Candidate {
  let bytes: Buffer;
  try {
    bytes = d.fs.readFileSync(join(d.dir, file));
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
}

// ---- quarantine ---------------------------------------------------------------------------------------

/** Keeps the exact bytes under a new name; the same broken file seen again on the next start reuses its copy. */
export function quarantine(d: StoreDir, name: string, bytes: Buffer, kind: 'corrupt' | 'bak.corrupt'): string {
  const { fs } = d;
  const path = (file: string): string => join(d.dir, file);
  const stamp = (): string => d.now().toISOString().replace(/[:.]/g, '-');
  const prefix = `${name}.${kind}-`;
  for (const existing of fs.readdirSync(d.dir)) {
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
}

export function removeTempLeftovers(d: StoreDir, name: string): string[] {
  // atomically names its temp files `<file>.tmp-<digits><hex>`; so does writeFileAtomic.
  const pattern = new RegExp(`^${escapeRegExp(name)}(\\.bak)?\\.json\\.tmp-`);
  const removed: string[] = [];
  for (const file of d.fs.readdirSync(d.dir)) {
    if (!pattern.test(file)) continue;
    d.fs.unlinkSync(join(d.dir, file));
    removed.push(file);
  }
  return removed;
}

// ---- commit -------------------------------------------------------------------------------------------

/**
 * The new file a good load writes, and the `.bak` written after it (DS-3), or before it when migrating (DS-5).
 * Returns the error code when only refreshing `.bak` failed.
 */
export function commitStoreFile(
  d: StoreDir,
  name: string,
  good: Extract<Candidate, { kind: 'good' }>,
  source: 'main' | 'backup',
): string | undefined {
  const { fs } = d;
  const main = join(d.dir, `${name}.json`);
  const bak = join(d.dir, `${name}.bak.json`);
  const migrated = good.migratedFrom !== undefined;
  const bytes = migrated ? Buffer.from(serialize(good.data), 'utf8') : good.bytes;
  let backupWriteFailed: string | undefined;
  // DS-5: the pre-migration bytes go to .bak before the main file changes.
  if (migrated && source === 'main') guardedWrite(() => writeFileAtomic(bak, good.bytes, fs));
  if (source === 'backup' || migrated) guardedWrite(() => writeFileAtomic(main, bytes, fs));
  if (!migrated || source === 'backup') {
    try {
      if (!(fs.existsSync(bak) && fs.readFileSync(bak).equals(bytes))) writeFileAtomic(bak, bytes, fs);
    } catch (error) {
      // The store is fine; only the safety net is stale. Reported, not fatal.
      backupWriteFailed = errorCode(error);
    }
  }
  ensurePrivateFile(main, fs);
  ensurePrivateFile(bak, fs);
  return backupWriteFailed;
}

export function createNewStoreFile(d: StoreDir, name: string, spec: StoreFileSpec): void {
  const plan = spec.migrations;
  // A new versioned file records its version from the start, so it never looks like a pre-versioning one.
  if (plan)
    guardedWrite(() => writeFileAtomic(join(d.dir, `${name}.json`), serialize({ [SCHEMA_VERSION_KEY]: plan.current }), d.fs));
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'unknown';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
