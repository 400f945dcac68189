import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RelayEnvelope, RelayItemState } from './relay-queue';
import { envelopeInTail, initialState, MSG, STATE, TAIL_STEPS, VALID_ID } from './relay-queue';

/** The reads a listing makes, async: a panel or `check` beside a busy relay must not block on message bodies. */
export interface QueueReadFs {
  readdir(dir: string): Promise<string[]>;
  /** Only ever called for state files. */
  readFile(path: string): Promise<Buffer>;
  /** The last `maxBytes` of a file (all of it when smaller): the envelope trailer of a .msg, never its body. */
  readTail(path: string, maxBytes: number): Promise<Buffer>;
}

export const nodeQueueReadFs: QueueReadFs = {
  readdir: (dir) => readdir(dir),
  readFile: (path) => readFile(path),
  readTail: async (path, maxBytes) => {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, maxBytes);
      const buffer = Buffer.alloc(length);
      let read = 0;
      while (read < length) {
        const { bytesRead } = await handle.read(buffer, read, length - read, size - length + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return buffer.subarray(0, read);
    } finally {
      await handle.close();
    }
  },
};

/** The envelope from the trailer alone: the message body is never read. */
export async function readEnvelopeTail(path: string, fs: QueueReadFs = nodeQueueReadFs): Promise<RelayEnvelope> {
  for (const step of TAIL_STEPS) {
    const found = envelopeInTail(await fs.readTail(path, step), step);
    if (found !== 'more') return found;
  }
  throw new Error('queue file has no readable envelope');
}

export interface QueueListing {
  envelope: RelayEnvelope;
  state: RelayItemState;
}

/**
 * Every message of the queue directory with its state, read without changing anything (the relay of another process
 * may be working on it): envelopes from the trailers, states from their files. Unreadable entries are skipped.
 */
export async function readQueueListing(dataDir: string, fs: QueueReadFs = nodeQueueReadFs): Promise<QueueListing[]> {
  const dir = join(dataDir, 'relay', 'queue');
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return []; // never ran here: nothing to show (and reading must not create the directory)
  }
  const ids = (suffix: string) =>
    names
      .filter((n) => n.endsWith(suffix))
      .map((n) => n.slice(0, -suffix.length))
      .filter((id) => VALID_ID.test(id));
  const messages = new Set(ids(MSG));
  const states = new Set(ids(STATE));
  const readState = async (id: string): Promise<RelayItemState | null> => {
    if (!states.has(id)) return null;
    try {
      return JSON.parse((await fs.readFile(join(dir, `${id}${STATE}`))).toString('utf8')) as RelayItemState;
    } catch {
      return null; // being replaced right now: the next listing reads it
    }
  };
  const rows = await mapLimited([...new Set([...messages, ...states])].sort(), async (id): Promise<QueueListing | null> => {
    try {
      const state = await readState(id);
      if (!messages.has(id)) return state?.envelope === undefined ? null : { envelope: state.envelope, state };
      const envelope = await readEnvelopeTail(join(dir, `${id}${MSG}`), fs);
      return { envelope, state: state ?? initialState(envelope.acceptedAt) };
    } catch {
      return null; // being written or damaged: the relay itself reports it
    }
  });
  return rows.filter((r): r is QueueListing => r !== null);
}

/** At most 32 files open at once: a queue of thousands must not run into EMFILE. */
async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, limit = 32): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
