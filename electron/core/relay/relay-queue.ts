import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, nodeFsSeam, PRIVATE_FILE_MODE, writeFileAtomic, type FsSeam } from '../storage/fs-seam';

/** What the SMTP session agreed on: the envelope is the truth for who gets the mail (Bcc included). */
export interface RelayEnvelope {
  id: string;
  profileId: string;
  /** '' for the null sender (<>): such a message never gets a bounce. */
  mailFrom: string;
  rcptTo: string[];
  acceptedAt: string;
  clientAddress: string;
  size: number;
  /** The client's Message-ID, or one the relay adds when sending: the marker a crash is recovered by. */
  messageId: string;
  addedMessageId: boolean;
  /** The Subject header as received (encoded words undecoded, at most 998 characters): the panel's list shows it. */
  subject?: string;
}

export type RelayStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** The reply class a delivery attempt ended in (SMTP code, enhanced code, translated diagnosis). */
export interface RelayReply {
  code: number;
  enhanced: string;
  text: string;
  diagnosis: string | null;
}

export interface RelayItemState {
  status: RelayStatus;
  attempts: number;
  nextAttemptAt: string;
  /** Fsynced before a Graph send, cleared after a definite outcome: set at start-up = look in the mailbox first. */
  sendingSince: string | null;
  lastReply: RelayReply | null;
  finishedAt: string | null;
  bounced: boolean;
  /** Set before the bounce is sent: after a crash the bounce is looked up by its Message-ID, not sent twice. */
  bouncing?: RelayReply | null;
  /** The marker lookup was refused (403, no read access) and it was sent all the same: a duplicate is possible. */
  uncheckedResend?: boolean;
  /** Written when finished, as the message file (which held the envelope) is deleted. */
  envelope?: RelayEnvelope;
}

export interface RelayItem {
  envelope: RelayEnvelope;
  state: RelayItemState;
}

/** File endings and the id pattern of the queue directory (the listing reader uses the same). */
export const MSG = '.msg';
const TRAILER = Buffer.from('\r\n#absender-relay-envelope ');
export const STATE = '.state.json';

/** 8 KB covers a usual envelope; 500 recipients of 320 characters fit in the last step. */
export const TAIL_STEPS = [8 * 1024, 256 * 1024];

/** The same for the worker's synchronous start-up: a queue of thousands of large messages is not read whole. */
export function readEnvelopeTailSync(path: string, readTail: (path: string, maxBytes: number) => Buffer): RelayEnvelope {
  for (const step of TAIL_STEPS) {
    const found = envelopeInTail(readTail(path, step), step);
    if (found !== 'more') return found;
  }
  throw new Error('queue file has no readable envelope');
}

/** The envelope in one tail, or 'more' when a longer tail may hold it; throws when the whole file has none. */
export function envelopeInTail(tail: Buffer, step: number): RelayEnvelope | 'more' {
  const at = tail.lastIndexOf(TRAILER);
  if (at >= 0) {
    try {
      return JSON.parse(tail.subarray(at + TRAILER.length).toString('utf8')) as RelayEnvelope;
    } catch {
      // The tail began inside the trailer and a quoted marker matched: a longer tail finds the real one.
    }
  }
  if (tail.length < step) throw new Error('queue file has no readable envelope');
  return 'more';
}

export const newQueueId = (now: number): string => `${now.toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;
export const VALID_ID = /^[0-9a-z]{9}-[0-9a-f]{12}$/;

/**
 * `<data dir>/relay/queue` (0700): `<id>.msg` = the message as received, then a trailer line with the envelope;
 * written temp + fsync + rename + fsync of the directory before the 250. `<id>.state.json` tracks delivery.
 */
export class RelayQueue {
  readonly dir: string;
  private readonly durable: DurableSync;
  /** The worker's file work, one call at a time: libuv's 4 threads stay free for the listener's fsyncs. */
  private readonly lane = new FileLane(1);
  constructor(
    dataDir: string,
    private readonly fs: FsSeam = nodeFsSeam,
    durable?: DurableSync,
  ) {
    this.dir = join(dataDir, 'relay', 'queue');
    ensurePrivateDir(this.dir, fs);
    this.durable = durable ?? (fs === nodeFsSeam ? new NodeDurableSync() : new SeamDurableSync(fs));
  }

  /** A writer for one message; commit() resolves only once the message survives a power cut. */
  open(envelope: Omit<RelayEnvelope, 'size'>): QueueWriter {
    return new QueueWriter(this.fs, this.durable, this.dir, envelope, this.fs === nodeFsSeam);
  }

  ids(): string[] {
    return this.fs
      .readdirSync(this.dir)
      .filter((n) => n.endsWith(MSG))
      .map((n) => n.slice(0, -MSG.length))
      .filter((id) => VALID_ID.test(id))
      .sort();
  }

  /** Every item with a state file (sent and failed ones are kept for the list until pruned). */
  stateIds(): string[] {
    return this.fs
      .readdirSync(this.dir)
      .filter((n) => n.endsWith(STATE))
      .map((n) => n.slice(0, -STATE.length))
      .filter((id) => VALID_ID.test(id))
      .sort();
  }

  readEnvelope(id: string): RelayEnvelope {
    return this.split(id).envelope;
  }

  /** The envelope from the file's trailer alone (start-up: the message bodies stay on disk until sent). */
  readEnvelopeTail(id: string): RelayEnvelope {
    return readEnvelopeTailSync(join(this.dir, `${id}${MSG}`), (path, max) => this.fs.readTailSync(path, max));
  }

  readMessage(id: string): Buffer {
    return this.split(id).message;
  }

  private split(id: string): { envelope: RelayEnvelope; message: Buffer } {
    const raw = this.fs.readFileSync(join(this.dir, `${id}${MSG}`));
    // The trailer is the last thing written: lastIndexOf finds it even if the message quotes the marker.
    const at = raw.lastIndexOf(TRAILER);
    if (at < 0) throw new Error(`queue file ${id} has no envelope`);
    return {
      envelope: JSON.parse(raw.subarray(at + TRAILER.length).toString('utf8')) as RelayEnvelope,
      message: raw.subarray(0, at),
    };
  }

  hasMessage(id: string): boolean {
    return this.fs.existsSync(join(this.dir, `${id}${MSG}`));
  }

  readState(id: string, envelope?: RelayEnvelope): RelayItemState {
    const path = join(this.dir, `${id}${STATE}`);
    if (this.fs.existsSync(path)) {
      try {
        return JSON.parse(this.fs.readFileSync(path).toString('utf8')) as RelayItemState;
      } catch {
        // A torn state file cannot happen (atomic write); a damaged one is treated as a send that may have run.
        return { ...initialState(envelope?.acceptedAt ?? new Date(0).toISOString()), sendingSince: new Date(0).toISOString() };
      }
    }
    return initialState(envelope?.acceptedAt ?? new Date(0).toISOString());
  }

  writeState(id: string, state: RelayItemState): void {
    writeFileAtomic(join(this.dir, `${id}${STATE}`), `${JSON.stringify(state)}\n`, this.fs);
  }

  /**
   * writeState for the worker: with `durable` the fsyncs run off the event loop (the listener keeps accepting) and
   * the directory fsync is shared with the listener's commits; without, an atomic rename only (no torn file after a
   * crash, but a power cut may lose it and leave the fsynced "sending" marker before it, which makes a lookup).
   */
  async writeStateFor(id: string, state: RelayItemState, durable: boolean): Promise<void> {
    const path = join(this.dir, `${id}${STATE}`);
    const temp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
    const bytes = Buffer.from(`${JSON.stringify(state)}\n`, 'utf8');
    if (this.fs === nodeFsSeam) {
      await this.lane.run(() => this.writeStateAsync(temp, path, bytes, durable));
      // Outside the lane: waiting for the shared directory fsync holds no thread.
      if (durable) await this.durable.syncDir(this.dir);
      return;
    }
    const fd = this.fs.openSync(temp, 'wx', PRIVATE_FILE_MODE);
    try {
      let written = 0;
      while (written < bytes.length) written += this.fs.writeSync(fd, bytes.subarray(written));
      if (durable) await this.durable.fsync(fd);
    } catch (error) {
      this.fs.closeSync(fd);
      this.fs.unlinkSync(temp);
      throw error;
    }
    this.fs.closeSync(fd);
    this.fs.renameSync(temp, path);
    if (durable) await this.durable.syncDir(this.dir);
  }

  // Every call async: a sync open/rename/unlink blocks the event loop (and so every SMTP session) while the disk
  // is busy with the listener's fsyncs; under load each took milliseconds and they were a quarter of the loop.
  private async writeStateAsync(temp: string, path: string, bytes: Buffer, durable: boolean): Promise<void> {
    const fd = await openAsync(temp);
    try {
      await writeAll(fd, bytes);
      if (durable) await this.durable.fsync(fd);
    } catch (error) {
      await closeAsync(fd).catch(() => undefined);
      await unlinkAsync(temp).catch(() => undefined);
      throw error;
    }
    await closeAsync(fd);
    await renameAsync(temp, path);
  }

  /** finish for the worker: the state is written without fsync (a lost "sent" leaves the marker: looked up, found). */
  async finishQuick(id: string, state: RelayItemState): Promise<void> {
    await this.writeStateFor(id, state, false);
    const path = join(this.dir, `${id}${MSG}`);
    if (this.fs !== nodeFsSeam) {
      if (this.fs.existsSync(path)) this.fs.unlinkSync(path);
      return;
    }
    await this.lane.run(() =>
      unlinkAsync(path).catch((error: unknown) => {
        if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
      }),
    );
  }

  /** Sent or given up: the message bytes go, the state stays for the list (and `check`). */
  finish(id: string, state: RelayItemState): void {
    this.writeState(id, state);
    const path = join(this.dir, `${id}${MSG}`);
    if (this.fs.existsSync(path)) this.fs.unlinkSync(path);
  }

  remove(id: string): void {
    for (const suffix of [MSG, STATE]) {
      const path = join(this.dir, `${id}${suffix}`);
      if (this.fs.existsSync(path)) this.fs.unlinkSync(path);
    }
  }

  /** Temp files of writes a crash interrupted: never acknowledged, so never sent. */
  sweepTemps(): number {
    let removed = 0;
    for (const name of this.fs.readdirSync(this.dir))
      if (name.includes('.tmp-')) {
        this.fs.unlinkSync(join(this.dir, name));
        removed += 1;
      }
    return removed;
  }
}

export const initialState = (acceptedAt: string): RelayItemState => ({
  status: 'pending',
  attempts: 0,
  nextAttemptAt: acceptedAt,
  sendingSince: null,
  lastReply: null,
  finishedAt: null,
  bounced: false,
});

/** At most `width` tasks at once, the others wait in order. */
export class FileLane {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly width: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.width) this.active += 1;
    // The finishing task hands its slot over (active stays), so a late arrival cannot jump the queue.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.active -= 1;
      else next();
    }
  }
}

/** fsync of a directory makes a rename in it durable (POSIX); Windows cannot open a directory for that. */
export function fsyncDir(fs: FsSeam, dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The fsyncs of a commit, off the event loop: sessions wait in parallel and share one directory fsync. */
export interface DurableSync {
  fsync(fd: number): Promise<void>;
  /** Resolves after an fsync of `dir` that started after this call (so it covers a rename made before it). */
  syncDir(dir: string): Promise<void>;
}

class SeamDurableSync implements DurableSync {
  constructor(private readonly fs: FsSeam) {}
  fsync(fd: number): Promise<void> {
    this.fs.fsyncSync(fd);
    return Promise.resolve();
  }
  syncDir(dir: string): Promise<void> {
    fsyncDir(this.fs, dir);
    return Promise.resolve();
  }
}

/** Group commit of the directory: renames that waited while one fsync ran share the next one. */
export class NodeDurableSync implements DurableSync {
  private running: Promise<void> | null = null;
  private next: { promise: Promise<void>; dir: string } | null = null;

  fsync(fd: number): Promise<void> {
    return new Promise((resolve, reject) => nodeFs.fsync(fd, (error) => (error ? reject(error) : resolve())));
  }

  syncDir(dir: string): Promise<void> {
    if (process.platform === 'win32') return Promise.resolve();
    if (this.running === null) return this.start(dir);
    if (this.next?.dir === dir) return this.next.promise;
    const after = this.running
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.start(dir);
      });
    this.next = { promise: after, dir };
    return after;
  }

  private start(dir: string): Promise<void> {
    const run = new Promise<void>((resolve, reject) => {
      nodeFs.open(dir, 'r', (openError, fd) => {
        if (openError) return reject(openError);
        nodeFs.fsync(fd, (syncError) => nodeFs.close(fd, () => (syncError ? reject(syncError) : resolve())));
      });
    });
    this.running = run;
    const clear = () => {
      if (this.running === run) this.running = null;
    };
    run.then(clear, clear);
    return run;
  }
}

// node:fs's callback calls, not fs/promises: a FileHandle per file (a transferable object with its own close
// bookkeeping) cost the accepting thread about a third more per open/write/close/rename than the plain calls.
const openAsync = (path: string): Promise<number> =>
  new Promise((resolve, reject) =>
    nodeFs.open(path, 'wx', PRIVATE_FILE_MODE, (error, fd) => (error ? reject(error) : resolve(fd))),
  );
const writevAsync = (fd: number, buffers: Uint8Array[]): Promise<number> =>
  new Promise((resolve, reject) => nodeFs.writev(fd, buffers, (error, n) => (error ? reject(error) : resolve(n))));
const writeAsync = (fd: number, bytes: Uint8Array): Promise<number> =>
  new Promise((resolve, reject) =>
    nodeFs.write(fd, bytes, 0, bytes.length, null, (error, n) => (error ? reject(error) : resolve(n))),
  );
const closeAsync = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => nodeFs.close(fd, (error) => (error ? reject(error) : resolve())));
const renameAsync = (from: string, to: string): Promise<void> =>
  new Promise((resolve, reject) => nodeFs.rename(from, to, (error) => (error ? reject(error) : resolve())));
const unlinkAsync = (path: string): Promise<void> =>
  new Promise((resolve, reject) => nodeFs.unlink(path, (error) => (error ? reject(error) : resolve())));

/** All of `bytes` at the file's position (a short write continues where it stopped). */
async function writeAll(fd: number, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) done += await writeAsync(fd, bytes.subarray(done));
}

/** Bytes a writer may hold before the SMTP stream is paused (a 150 MB message is never all in memory). */
const WRITE_HIGH_WATER = 1024 * 1024;
/** Bytes gathered before one write: a whole typical message (with its trailer) is written in one call. */
const WRITE_BATCH = 256 * 1024;

export class QueueWriter {
  readonly id: string;
  private readonly temp: string;
  private readonly target: string;
  private fd: number | undefined;
  private size = 0;
  private closed = false;
  /**
   * Node's own fs: every call off the event loop, in order (the sync open alone was a tenth of the listener's
   * loop under load); a test seam: its sync calls, so a chosen one can fail.
   */
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  private queued = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private drainWaiters: Array<() => void> = [];

  constructor(
    private readonly fs: FsSeam,
    private readonly durable: DurableSync,
    private readonly dir: string,
    private readonly envelope: Omit<RelayEnvelope, 'size'>,
    private readonly offLoop = false,
  ) {
    this.id = envelope.id;
    this.target = join(dir, `${envelope.id}${MSG}`);
    this.temp = join(dir, `${envelope.id}${MSG}.tmp-${randomBytes(4).toString('hex')}`);
    if (!offLoop) this.fd = fs.openSync(this.temp, 'wx', PRIVATE_FILE_MODE);
    else
      this.chain = openAsync(this.temp).then(
        (fd) => {
          this.fd = fd;
        },
        (error: unknown) => {
          this.failure = { error };
        },
      );
  }

  /** false: hold further data until drained() (the bytes are queued all the same). */
  write(chunk: Uint8Array): boolean {
    if (this.closed) throw new Error('queue writer closed');
    this.size += chunk.length;
    if (!this.offLoop) {
      const fd = this.fd;
      if (fd === undefined) throw new Error('queue writer closed');
      let written = 0;
      while (written < chunk.length) written += this.fs.writeSync(fd, chunk.subarray(written));
      return true;
    }
    this.queued += chunk.length;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= WRITE_BATCH) this.flush();
    return this.queued < WRITE_HIGH_WATER;
  }

  // One writev per batch: a 20 KB message came in several chunks, each a trip through libuv's thread pool.
  private flush(): void {
    if (this.pending.length === 0) return;
    const buffers = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.chain = this.chain
      .then(async () => {
        const fd = this.fd;
        if (this.failure !== null || fd === undefined) return;
        const written = await writevAsync(fd, buffers);
        if (written < bytes) await writeAll(fd, Buffer.concat(buffers).subarray(written));
      })
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.queued -= bytes;
        if (this.queued < WRITE_HIGH_WATER) this.wakeDrain();
      });
  }

  /** Resolves once the queued bytes are below the high-water mark again. */
  drained(): Promise<void> {
    if (this.queued < WRITE_HIGH_WATER) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private wakeDrain(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  /** Envelope trailer, fsync, rename, fsync the directory: once this resolves the 250 may go out. */
  async commit(extra: Pick<RelayEnvelope, 'messageId' | 'addedMessageId' | 'subject'>): Promise<RelayEnvelope> {
    if (this.closed) throw new Error('queue writer closed');
    const envelope: RelayEnvelope = { ...this.envelope, ...extra, size: this.size };
    const size = this.size;
    this.write(Buffer.concat([TRAILER, Buffer.from(JSON.stringify(envelope))]));
    this.size = size;
    this.closed = true;
    this.flush();
    await this.chain;
    if (this.failure !== null) throw this.failure.error;
    const fd = this.fd;
    if (fd === undefined) throw new Error('queue writer closed');
    await this.durable.fsync(fd);
    if (this.offLoop) {
      await this.closeHandle();
      await renameAsync(this.temp, this.target);
    } else {
      this.fs.closeSync(fd);
      this.fd = undefined;
      this.fs.renameSync(this.temp, this.target);
    }
    await this.durable.syncDir(this.dir);
    return envelope;
  }

  private async closeHandle(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await closeAsync(fd);
  }

  /** Drops the temp file; resolves once it is gone (after writes still on their way, so no fd is reused). */
  abort(): Promise<void> {
    this.closed = true;
    if (!this.offLoop) {
      this.abortSync();
      return Promise.resolve();
    }
    // Gathered bytes are dropped, not written: a paused stream is let go.
    this.queued -= this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.wakeDrain();
    this.chain = this.chain
      .then(() => this.closeHandle())
      .catch(() => undefined)
      .then(() => unlinkAsync(this.temp))
      // Gone already (renamed, or never made): at worst swept at the next start.
      .catch(() => undefined);
    return this.chain;
  }

  private abortSync(): void {
    if (this.fd !== undefined) {
      try {
        this.fs.closeSync(this.fd);
      } catch {
        // Already failing: the temp file is removed below.
      }
      this.fd = undefined;
    }
    try {
      this.fs.unlinkSync(this.temp);
    } catch {
      // Swept at the next start.
    }
  }
}
