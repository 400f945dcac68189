import { createHash } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { KeyValueStore } from '../ports';
import { acquireFileLockWaiting } from './file-lock';
import { fsyncDir, nodeFsSeam, PRIVATE_FILE_MODE, writeFileAtomic, type FsSeam } from './fs-seam';
import { guardedWrite } from './write-guard';

/**
 * Where the profile records live. The repository asks for the current map and writes one record at a time;
 * how that reaches the disk is this module's business (docs/architecture.md, "Profile storage").
 */
export interface ProfileRecords {
  /** The current records (a fresh copy of the map; the records themselves must not be mutated). */
  all(): Record<string, ProfileView>;
  put(profile: ProfileView): void;
  /** Several records as one write (one fsync): test all's results, not one disk flush per profile. */
  putMany?(profiles: readonly ProfileView[]): void;
  remove(id: string): void;
  /**
   * Read-modify-write: `change` gets the records as they are on disk now (other processes' writes included) and
   * returns the ones to write; no other process writes in between (the journal's lock). `change` must not write.
   */
  update?(change: (current: Readonly<Record<string, ProfileView>>) => readonly ProfileView[]): ProfileView[];
}

/** Runs `change` on the current map; an error it throws (conflict, not found) is the caller's, not a write failure. */
function changed(
  current: Record<string, ProfileView>,
  change: (current: Readonly<Record<string, ProfileView>>) => readonly ProfileView[],
): { ok: true; profiles: ProfileView[] } | { ok: false; error: unknown } {
  try {
    return { ok: true, profiles: [...change(current)] };
  } catch (error) {
    return { ok: false, error };
  }
}

const StoredProfiles = z.record(z.string(), ProfileView);

function readSnapshot(store: KeyValueStore): Record<string, ProfileView> {
  const parsed = StoredProfiles.safeParse(store.get('profiles') ?? {});
  if (!parsed.success) throw new AppError('storage-corrupt', { params: { file: 'profiles' }, cause: parsed.error });
  return { ...parsed.data };
}

/** The whole map in one store key, rewritten per save: for stores that are no files (in-memory tests). */
export function mapProfileRecords(store: KeyValueStore): ProfileRecords {
  return {
    all: () => readSnapshot(store),
    put: (profile) => guardedWrite(() => store.set('profiles', { ...readSnapshot(store), [profile.id]: profile })),
    putMany: (profiles) =>
      guardedWrite(() =>
        store.set('profiles', { ...readSnapshot(store), ...Object.fromEntries(profiles.map((p) => [p.id, p])) }),
      ),
    remove: (id) =>
      guardedWrite(() =>
        store.set('profiles', Object.fromEntries(Object.entries(readSnapshot(store)).filter(([key]) => key !== id))),
      ),
    update: (change) => {
      const current = readSnapshot(store);
      const result = changed(current, change);
      if (!result.ok) throw result.error;
      if (result.profiles.length > 0)
        guardedWrite(() => store.set('profiles', { ...current, ...Object.fromEntries(result.profiles.map((p) => [p.id, p])) }));
      return result.profiles;
    },
  };
}

export const JOURNAL_FILE = 'profiles.journal';
/** Beyond this many records the next save folds the journal into profiles.json (bounded start-up replay). */
export const COMPACT_AFTER_RECORDS = 500;
/** Held only around one append or fold: the window and a command beside it never interleave the two. */
export const JOURNAL_LOCK_FILE = 'profiles.journal.lock';
/** A fold of 1000 profiles takes ~100 ms: a writer that waits longer than this reports the file as busy. */
const JOURNAL_LOCK_WAIT_MS = 15_000;
/**
 * Appends and folds hold the lock for milliseconds (seconds on a stalled disk): one older than this was left by a
 * killed process, whose pid the OS may already have given to another (Windows). Below the wait, so a save that
 * meets such a lock still goes through.
 */
const JOURNAL_LOCK_MAX_HOLD_MS = 10_000;

const JournalRecord = z.discriminatedUnion('op', [
  z.object({ op: z.literal('put'), profile: ProfileView }).strict(),
  z.object({ op: z.literal('del'), id: z.string() }).strict(),
]);
type JournalRecord = z.infer<typeof JournalRecord>;

const digest = (json: string): string => createHash('sha256').update(json).digest('hex').slice(0, 16);

/** One line per record: `<sha256 prefix> <json>\n`. A torn or damaged line fails its checksum. */
export function journalLine(record: JournalRecord): string {
  const json = JSON.stringify(record);
  return `${digest(json)} ${json}\n`;
}

/**
 * The intact records and the byte length read (up to the end of the last whole line). Only a final line
 * without its newline is a crash's torn tail; a whole line that fails (checksum, schema) is skipped and
 * counted, so the records after it still apply.
 */
export function parseJournal(bytes: Buffer): { records: JournalRecord[]; validBytes: number; damagedLines: number } {
  const records: JournalRecord[] = [];
  let offset = 0;
  let damagedLines = 0;
  for (;;) {
    const end = bytes.indexOf(0x0a, offset);
    if (end < 0) break; // a line without its newline was cut off by a crash: not acknowledged, ignored
    const record = parseLine(bytes.subarray(offset, end).toString('utf8'));
    if (record === undefined) damagedLines += 1;
    else records.push(record);
    offset = end + 1;
  }
  return { records, validBytes: offset, damagedLines };
}

function parseLine(line: string): JournalRecord | undefined {
  const space = line.indexOf(' ');
  const json = line.slice(space + 1);
  if (space !== 16 || digest(json) !== line.slice(0, 16)) return undefined;
  try {
    const parsed = JournalRecord.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function apply(map: Record<string, ProfileView>, record: JournalRecord): void {
  if (record.op === 'put') map[record.profile.id] = record.profile;
  else Reflect.deleteProperty(map, record.id);
}

interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}
const stampOf = (path: string): FileStamp | null => {
  try {
    const s = nodeFs.statSync(path);
    return { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return null;
    throw error;
  }
};
const sameStamp = (a: FileStamp | null, b: FileStamp | null): boolean =>
  a === b || (a !== null && b !== null && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs);

export interface JournaledProfilesOptions {
  dir: string;
  /** The conf store of profiles.json: the snapshot the journal is replayed onto. */
  store: KeyValueStore;
  /** Writes go through it (tests inject faults); reads use node:fs. */
  fs?: FsSeam;
  /** The window folds the journal at start; a command beside a running window leaves the files as they are. */
  compactOnOpen?: boolean;
}

/**
 * profiles.json as the snapshot plus `profiles.journal`, an append-only log of whole records: a save appends
 * and fsyncs one line (the cost of one profile), a start or a long journal folds it into the snapshot with an
 * atomic rewrite. Other processes' appends (a command beside the window) are picked up by file stamp.
 */
export class JournaledProfiles implements ProfileRecords {
  private readonly fs: FsSeam;
  private readonly snapshotPath: string;
  private readonly journalPath: string;
  private readonly lockPath: string;
  /** >0 while this instance holds the journal lock (an append that folds first takes it once). */
  private lockDepth = 0;
  private map: Record<string, ProfileView> = {};
  private snapshotStamp: FileStamp | null = null;
  private journalIno: number | null = null;
  /** Bytes of the journal already applied to `map` (always the end of an intact line). */
  private journalOffset = 0;
  private journalRecords = 0;
  /** The journal holds bytes after `journalOffset` that are no intact record (a crash's torn tail). */
  private tornTail = false;
  /** Whole lines that failed their checksum or schema since the journal was last replaced. */
  private damagedLines = 0;
  /** The constructor folded a non-empty journal into profiles.json (start-up then refreshes `.bak`). */
  readonly compactedOnOpen: boolean = false;
  /** The copy of a journal with damaged lines, kept aside before a fold dropped them (start-up reports it). */
  damagedJournalFile: string | undefined;

  constructor(private readonly options: JournaledProfilesOptions) {
    this.fs = options.fs ?? nodeFsSeam;
    this.snapshotPath = join(options.dir, 'profiles.json');
    this.journalPath = join(options.dir, JOURNAL_FILE);
    this.lockPath = join(options.dir, JOURNAL_LOCK_FILE);
    this.refresh();
    if (options.compactOnOpen === true && (this.journalRecords > 0 || this.tornTail || this.damagedLines > 0)) {
      this.compact();
      this.compactedOnOpen = true;
    }
  }

  all(): Record<string, ProfileView> {
    this.refresh();
    return { ...this.map };
  }

  put(profile: ProfileView): void {
    this.append([{ op: 'put', profile }]);
  }

  putMany(profiles: readonly ProfileView[]): void {
    if (profiles.length > 0) this.append(profiles.map((profile) => ({ op: 'put' as const, profile })));
  }

  /**
   * Under the journal lock: refreshed from disk, changed, appended. A headless `check` recording a test beside the
   * window then never puts back a profile it read before the window's edit (the older record would win).
   */
  update(change: (current: Readonly<Record<string, ProfileView>>) => readonly ProfileView[]): ProfileView[] {
    let result: ReturnType<typeof changed> | undefined;
    guardedWrite(() =>
      this.locked(() => {
        this.refresh();
        const outcome = changed({ ...this.map }, change);
        result = outcome;
        if (outcome.ok && outcome.profiles.length > 0)
          this.append(outcome.profiles.map((profile) => ({ op: 'put' as const, profile })));
      }),
    );
    if (result === undefined) return [];
    if (!result.ok) throw result.error;
    return result.profiles;
  }

  /** DS-7: a deletion is folded at once, so the record is gone from profiles.json and the journal, not only hidden. */
  remove(id: string): void {
    this.append([{ op: 'del', id }]);
    this.compact();
  }

  /** Folds the journal into profiles.json (temp + fsync + rename), then empties the journal the same way. */
  compact(): void {
    guardedWrite(() =>
      this.locked(() => {
        this.refresh();
        const merged = { ...this.map };
        // The fold drops damaged lines for good: their exact bytes are kept first, so nothing is lost unseen.
        if (this.damagedLines > 0) this.setAsideDamaged();
        // A crash after this line replays the journal onto a snapshot that already holds it: same result.
        this.options.store.set('profiles', merged);
        fsyncDir(this.options.dir, this.fs);
        writeFileAtomic(this.journalPath, '', this.fs);
        fsyncDir(this.options.dir, this.fs);
        this.refresh();
      }),
    );
  }

  private append(records: readonly JournalRecord[]): void {
    guardedWrite(() =>
      this.locked(() => {
        // Under the lock no other process is mid-append, so bytes after the last whole line are a real torn tail.
        this.refresh();
        // Records after a torn tail would never be read: fold first, so the line lands on a clean journal.
        if (this.tornTail || this.journalRecords >= COMPACT_AFTER_RECORDS) this.compact();
        // Whole lines each: a crash mid-write loses the torn last line only, the ones before it replay.
        const line = Buffer.from(records.map(journalLine).join(''), 'utf8');
        const created = !nodeFs.existsSync(this.journalPath);
        const fd = this.fs.openSync(this.journalPath, 'a', PRIVATE_FILE_MODE);
        try {
          let written = 0;
          while (written < line.length) written += this.fs.writeSync(fd, line.subarray(written));
          this.fs.fsyncSync(fd);
        } finally {
          this.fs.closeSync(fd);
        }
        if (created) fsyncDir(this.options.dir, this.fs);
        this.refresh();
      }),
    );
  }

  /**
   * A fold that read the journal, then replaced it after another process appended, would drop that line: appends
   * and folds of all processes on this directory take `profiles.journal.lock` (atomic, stale once its holder died).
   */
  private locked(work: () => void): void {
    if (this.lockDepth > 0) {
      work();
      return;
    }
    const lock = acquireFileLockWaiting(this.lockPath, JOURNAL_LOCK_WAIT_MS, { file: JOURNAL_FILE }, JOURNAL_LOCK_MAX_HOLD_MS);
    this.lockDepth += 1;
    try {
      work();
    } finally {
      this.lockDepth -= 1;
      lock.release();
    }
  }

  /** Re-reads only what changed on disk: a new snapshot means a full reload, a longer journal its new lines. */
  private refresh(): void {
    const snapshot = stampOf(this.snapshotPath);
    const journal = stampOf(this.journalPath);
    // A journal appearing where there was none is not a replacement (its lines are simply new).
    const journalReplaced =
      (this.journalIno !== null && (journal?.ino ?? null) !== this.journalIno) || (journal?.size ?? 0) < this.journalOffset;
    if (!sameStamp(snapshot, this.snapshotStamp) || journalReplaced) {
      this.map = readSnapshot(this.options.store);
      this.snapshotStamp = snapshot;
      this.journalIno = journal?.ino ?? null;
      this.journalOffset = 0;
      this.journalRecords = 0;
      this.tornTail = false;
      this.damagedLines = 0;
    }
    this.journalIno = journal?.ino ?? null;
    if (journal === null || journal.size === this.journalOffset) return;
    const bytes = this.readJournalFrom(this.journalOffset, journal.size);
    const { records, validBytes, damagedLines } = parseJournal(bytes);
    for (const record of records) apply(this.map, record);
    this.journalOffset += validBytes;
    this.journalRecords += records.length;
    this.damagedLines += damagedLines;
    this.tornTail = validBytes < bytes.length;
  }

  /** Copies the whole journal (private mode, fsynced) to `profiles.journal.damaged-<timestamp>`. */
  private setAsideDamaged(): void {
    const file = `${JOURNAL_FILE}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    writeFileAtomic(join(this.options.dir, file), this.fs.readFileSync(this.journalPath), this.fs);
    fsyncDir(this.options.dir, this.fs);
    this.damagedJournalFile = file;
  }

  private readJournalFrom(offset: number, end: number): Buffer {
    const fd = nodeFs.openSync(this.journalPath, 'r');
    try {
      const buffer = Buffer.alloc(end - offset);
      let read = 0;
      while (read < buffer.length) {
        const n = nodeFs.readSync(fd, buffer, read, buffer.length - read, offset + read);
        if (n === 0) break;
        read += n;
      }
      return buffer.subarray(0, read);
    } finally {
      nodeFs.closeSync(fd);
    }
  }
}

/**
 * The admin agreed to start with empty profiles (DS-3): the journal belongs to the file that was given up,
 * so its bytes are kept beside it under a new name instead of being replayed onto the empty store.
 */
export function setAsideJournal(dir: string, now: Date, fs: FsSeam = nodeFsSeam): string | undefined {
  const path = join(dir, JOURNAL_FILE);
  if (!fs.existsSync(path)) return undefined;
  const file = `${JOURNAL_FILE}.started-empty-${now.toISOString().replace(/[:.]/g, '-')}`;
  guardedWrite(() => {
    fs.renameSync(path, join(dir, file));
    fsyncDir(dir, fs);
  });
  return file;
}

/** Folds the journal of a data directory whose app is not running (tests that edit profiles.json by hand). */
export function compactProfileJournal(dir: string, store: KeyValueStore): void {
  new JournaledProfiles({ dir, store }).compact();
}
