import { z } from 'zod';
import type { ProfileView } from '../../../shared/domain';
import { HISTORY_FIELDS, HISTORY_LIMIT, HistoryEntry, type HistoryField } from '../../../shared/transfer/profile-transfer';
import type { KeyValueStore, Logger } from '../ports';
import type { BackupScrubber } from '../storage/backup-scrubber';
import { ownValue } from '../storage/own-key';
import type { ProfileRecords } from '../storage/profile-journal';

const StoredHistory = z.record(z.string(), z.array(z.unknown()));

/**
 * The change history of every profile in its own store file (history.json): key `profiles`, one list per
 * profile id, oldest first, at most HISTORY_LIMIT each. Never a secret value: a secret change is its own kind.
 */
export class ProfileHistory {
  constructor(
    private readonly store: KeyValueStore,
    private readonly logger: Logger,
    /** DS-7: a deleted profile's history goes from `history.bak.json` too. */
    private readonly backup?: BackupScrubber,
  ) {}

  list(id: string): HistoryEntry[] {
    return entriesIn(this.all(), id);
  }

  append(id: string, entries: readonly HistoryEntry[]): void {
    if (entries.length === 0) return;
    this.change((all) => ({ ...all, [id]: [...entriesIn(all, id), ...entries].slice(-HISTORY_LIMIT) }));
  }

  /** Entries of several profiles in one write of history.json (test all's batch). */
  appendMany(byId: ReadonlyMap<string, readonly HistoryEntry[]>): void {
    const changed = [...byId].filter(([, entries]) => entries.length > 0);
    if (changed.length === 0) return;
    this.change((all) => {
      const next = { ...all };
      for (const [id, entries] of changed) next[id] = [...entriesIn(all, id), ...entries].slice(-HISTORY_LIMIT);
      return next;
    });
  }

  /** The list as given, cut to the newest HISTORY_LIMIT entries. */
  replace(id: string, entries: readonly HistoryEntry[]): void {
    this.change((all) => ({ ...all, [id]: entries.slice(-HISTORY_LIMIT) }));
  }

  remove(id: string): void {
    const had = this.change((all) =>
      Object.hasOwn(all, id) ? Object.fromEntries(Object.entries(all).filter(([key]) => key !== id)) : null,
    );
    if (had) this.backup?.removeEntries('profiles', (key) => key === id);
  }

  private all(): Record<string, unknown[]> {
    const parsed = StoredHistory.safeParse(this.store.get('profiles') ?? {});
    return parsed.success ? parsed.data : {};
  }

  /**
   * One read-modify-write of history.json (`next` null: nothing to write; then false). The read is inside the
   * store's inter-process lock: the window and a headless command appending at once would otherwise each write back
   * the file they read, and the one written first would lose its entries.
   */
  private change(next: (all: Record<string, unknown[]>) => Record<string, unknown[]> | null): boolean {
    let wanted = false;
    const work = () => {
      const updated = next(this.all());
      wanted = updated !== null;
      if (updated !== null) this.store.set('profiles', updated);
    };
    try {
      if (this.store.exclusive) this.store.exclusive(work);
      else work();
    } catch (error) {
      // The history is a record beside the profile: a failed write (or a lock busy past its wait) must not undo the save it describes.
      this.logger.warn('history write failed', { error: error instanceof Error ? error.name : 'unknown' });
    }
    return wanted;
  }
}

/** One profile's entries; an entry this version cannot read (a newer app's kind) is skipped, not a reason to lose the rest. */
function entriesIn(all: Record<string, unknown[]>, id: string): HistoryEntry[] {
  const raw = ownValue(all, id) ?? [];
  return raw.flatMap((entry) => {
    const parsed = HistoryEntry.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

const fieldValue = (p: ProfileView, field: HistoryField): string =>
  field === 'secretExpiresOn' ? (p.secret.secretExpiresOn ?? '') : p[field];

/** What changed between two stored states of one profile, as history entries (secrets are recorded by the caller). */
export function historyOf(previous: ProfileView | undefined, next: ProfileView, at: string): HistoryEntry[] {
  if (!previous) return [{ kind: 'created', at }];
  const entries: HistoryEntry[] = [];
  const fields = HISTORY_FIELDS.filter((f) => fieldValue(previous, f) !== fieldValue(next, f));
  if (fields.length > 0) entries.push({ kind: 'edited', at, fields });
  const thumbprint = next.certificate?.thumbprintSha256;
  if (thumbprint !== undefined && thumbprint !== previous.certificate?.thumbprintSha256)
    entries.push({ kind: 'certificate-replaced', at });
  const signIn = next.delegated?.lastInteractiveSignIn;
  if (next.delegated && signIn !== previous.delegated?.lastInteractiveSignIn)
    entries.push({ kind: 'signed-in', at: signIn ?? at, username: next.delegated.username });
  if (previous.delegated && !next.delegated) entries.push({ kind: 'signed-out', at });
  // A test is recorded when its result changes: the daily check's identical runs would push edits and sign-ins out
  // of the bounded history within months.
  const before = previous.lastTest;
  if (
    next.lastTest &&
    next.lastTest.at !== before?.at &&
    (next.lastTest.outcome !== before?.outcome || next.lastTest.failedStep !== before.failedStep)
  )
    entries.push({ kind: 'tested', at: next.lastTest.at, outcome: next.lastTest.outcome, failedStep: next.lastTest.failedStep });
  return entries;
}

/** Each written profile's entries against the one before it (`latest`: the records before; one id may come twice). */
function historyEntries(
  latest: Map<string, ProfileView>,
  profiles: readonly ProfileView[],
  at: string,
): Map<string, HistoryEntry[]> {
  const entries = new Map<string, HistoryEntry[]>();
  for (const profile of profiles) {
    entries.set(profile.id, [...(entries.get(profile.id) ?? []), ...historyOf(latest.get(profile.id), profile, at)]);
    latest.set(profile.id, profile);
  }
  return entries;
}

/** The repository's records with every write recorded in the history (one place sees saves, tests and sign-ins). */
export function recordedProfiles(records: ProfileRecords, history: ProfileHistory, now: () => Date): ProfileRecords {
  return {
    all: () => records.all(),
    put: (profile) => {
      const previous = ownValue(records.all(), profile.id);
      records.put(profile);
      history.append(profile.id, historyOf(previous, profile, now().toISOString()));
    },
    putMany: (profiles) => {
      const latest = new Map(Object.entries(records.all()));
      if (records.putMany) records.putMany(profiles);
      else for (const profile of profiles) records.put(profile);
      history.appendMany(historyEntries(latest, profiles, now().toISOString()));
    },
    remove: (id) => {
      records.remove(id);
      history.remove(id);
    },
    update: (change) => {
      // The records the change saw (fresh from disk, under the lock) are the history's "before".
      let before: Readonly<Record<string, ProfileView>> = {};
      const profiles = records.update
        ? records.update((current) => ((before = current), change(current)))
        : [...change((before = records.all()))];
      if (!records.update) {
        if (records.putMany) records.putMany(profiles);
        else for (const profile of profiles) records.put(profile);
      }
      history.appendMany(historyEntries(new Map(Object.entries(before)), profiles, now().toISOString()));
      return profiles;
    },
  };
}

/** For hosts whose stores were never files (in-memory tests): the history lives as long as the core. */
export function memoryStore(): KeyValueStore {
  const data = new Map<string, unknown>();
  return {
    get: (key) => data.get(key),
    set: (key, value) => void data.set(key, structuredClone(value)),
    delete: (key) => void data.delete(key),
  };
}
