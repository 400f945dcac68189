import type { KeyValueStore } from '../ports';
import type { FsSeam } from './fs-seam';
import { HISTORY_LOCK_FILE, withFileLock } from './locked-store';
import { JournaledProfiles, setAsideJournal, type ProfileRecords } from './profile-journal';
import { openStoreFiles, resolvePendingStores, type BackupScrubber, type StoreFileResult } from './store-bootstrap';
import { HISTORY_STORE_FILE, STORE_FILES, type StoreName } from './store-files';

/** The core's stores and what start-up found in their files. */
export interface CoreStores extends Record<StoreName, KeyValueStore> {
  /** The change history (history.json); hosts without one (in-memory tests) keep it in memory. */
  history?: KeyValueStore;
  /** From openStoreFiles(); absent for stores that were never files (in-memory tests): then no orphan collection. */
  results?: readonly StoreFileResult[];
  /** From openStoreFiles(): deletions reach the `.bak.json` files too (DS-7). */
  backups?: Partial<Record<'profiles' | 'secrets' | 'history', BackupScrubber>>;
  /** From openCoreStores(): profiles.json plus its journal, so a save writes one record (absent in memory). */
  profileRecords?: ProfileRecords;
}

export interface StoreStartup {
  dir: string;
  /** Constructs one store (electron-store / conf) once its file is known to be good or absent. */
  open: (name: StoreName | 'history') => KeyValueStore;
  /** Asked for each damaged file without a usable backup; false ends start-up with every file as found. */
  confirmStartEmpty: (result: StoreFileResult) => Promise<boolean>;
  now?: () => Date;
  /** false: read only, beside a running window (see OpenStoreFilesOptions.repair). */
  repair?: boolean;
  /** The journal's writes go through it (tests inject a full disk); node:fs by default. */
  journalFs?: FsSeam;
}

/** DS-3 start-up of the three store files (check, restore or ask, then open), as every host does it. */
export async function openCoreStores(startup: StoreStartup): Promise<CoreStores> {
  const boot = openStoreFiles({
    dir: startup.dir,
    files: STORE_FILES,
    open: startup.open,
    now: startup.now ?? (() => new Date()),
    ...(startup.repair === false ? { repair: false } : {}),
  });
  const stores = await resolvePendingStores(boot, startup.confirmStartEmpty);
  // A file of its own, so the three core files (and what start-up reports about them) stay as they were.
  const historyBoot = openStoreFiles({
    dir: startup.dir,
    files: HISTORY_STORE_FILE,
    open: startup.open,
    now: startup.now ?? (() => new Date()),
    ...(startup.repair === false ? { repair: false } : {}),
  });
  const { history } = await resolvePendingStores(historyBoot, startup.confirmStartEmpty);
  const repair = startup.repair !== false;
  const profilesState = boot.results.find((r) => r.name === 'profiles')?.state;
  if (repair && profilesState === 'started-empty') setAsideJournal(startup.dir, (startup.now ?? (() => new Date()))());
  const profileRecords = new JournaledProfiles({
    dir: startup.dir,
    store: stores.profiles,
    // Only the window folds the journal at start; a command beside it leaves profiles.json as it is.
    compactOnOpen: repair,
    ...(startup.journalFs ? { fs: startup.journalFs } : {}),
  });
  // DS-3's backup is the state the window started with, the folded journal included.
  if (profileRecords.compactedOnOpen) boot.refreshBackup('profiles');
  // Damaged journal lines mean profiles may be missing: the start is not clean (no orphan collection).
  const damagedJournalFile = profileRecords.damagedJournalFile;
  const results = damagedJournalFile
    ? boot.results.map((r) => (r.name === 'profiles' ? { ...r, damagedJournalFile } : r))
    : boot.results;
  return {
    ...stores,
    // Every process on this directory appends to it (the window, check, send, test all): one read-modify-write at a time.
    history: withFileLock(history, startup.dir, HISTORY_LOCK_FILE),
    results: [...results, ...historyBoot.results],
    backups: { profiles: boot.backup('profiles'), secrets: boot.backup('secrets'), history: historyBoot.backup('history') },
    profileRecords,
  };
}
