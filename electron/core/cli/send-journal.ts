import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ensurePrivateDir, nodeFsSeam, writeFileAtomic } from '../storage/fs-seam';

/** What a rerun with the same key needs: the draft that was (or is being) sent. */
export interface JournalEntry {
  key: string;
  profileId: string;
  draftId: string;
  internetMessageId: string;
  /** When /send answered 202: from then on a rerun never sends, it only looks in Sent Items. */
  sentAt?: string;
}

/** Key and profile together: the same key on another profile is another message. */
export const journalHash = (profileId: string, key: string): string =>
  createHash('sha256').update(`${profileId}\n${key}`).digest('hex');

/**
 * The marker a crash between "draft created" and "journal written" is found by: the draft's
 * internetMessageId, derived from key and profile alone, so a rerun can $filter for it.
 */
export function idempotentMessageId(profileId: string, key: string, senderAddress: string): string {
  const domain = /@([^@\s<>]+)$/.exec(senderAddress)?.[1] ?? 'absender.invalid';
  return `<absender-${journalHash(profileId, key).slice(0, 40)}@${domain}>`;
}

/** One small file per key in `<data dir>/send-journal` (0700), each written temp + fsync + rename (0600). */
export class SendJournal {
  private readonly dir: string;
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'send-journal');
  }

  private file(profileId: string, key: string): string {
    return join(this.dir, `${journalHash(profileId, key)}.json`);
  }

  read(profileId: string, key: string): JournalEntry | null {
    const path = this.file(profileId, key);
    if (!nodeFsSeam.existsSync(path)) return null;
    try {
      const entry = JSON.parse(nodeFsSeam.readFileSync(path).toString('utf8')) as Partial<JournalEntry>;
      return typeof entry.draftId === 'string' && entry.key === key && entry.profileId === profileId
        ? (entry as JournalEntry)
        : null;
    } catch {
      // A damaged entry is as good as none: the marker lookup finds the draft.
      return null;
    }
  }

  /** Before the first draft: a journal that cannot be written must stop the send, not follow it. */
  prepare(): void {
    try {
      ensurePrivateDir(this.dir);
    } catch (error) {
      throw new JournalWriteError(this.dir, error);
    }
  }

  /** The profile was deleted: its keys (ERP document numbers) and draft ids go with it; other profiles' entries stay. */
  forgetProfile(profileId: string): number {
    if (!nodeFsSeam.existsSync(this.dir)) return 0;
    let removed = 0;
    for (const name of nodeFsSeam.readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const path = join(this.dir, name);
      let owner: unknown;
      try {
        owner = (JSON.parse(nodeFsSeam.readFileSync(path).toString('utf8')) as { profileId?: unknown }).profileId;
      } catch {
        continue; // damaged or being written: whose it is cannot be told, so it stays
      }
      if (owner !== profileId) continue;
      nodeFsSeam.unlinkSync(path);
      removed += 1;
    }
    return removed;
  }

  write(entry: JournalEntry): void {
    const path = this.file(entry.profileId, entry.key);
    try {
      ensurePrivateDir(this.dir);
      writeFileAtomic(path, `${JSON.stringify(entry)}\n`);
    } catch (error) {
      throw new JournalWriteError(path, error);
    }
  }
}

/** The journal could not be written (EX_IOERR): nothing was sent after the failed write. */
export class JournalWriteError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'JournalWriteError';
  }
}
