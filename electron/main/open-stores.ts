import type { MessageBoxOptions } from 'electron';
import type { BackupScrubber, StoreFileResult } from '../core/storage/store-bootstrap';
import { openCoreStores } from '../core/storage/core-stores';
import type { KeyValueStore } from '../core/ports';
import type { ProfileRecords } from '../core/storage/profile-journal';
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n/translate';
import { StartupDeclined, type StartupLanguage } from './startup';

export interface OpenStoresDeps {
  dataDir: string;
  /** The OS language, not the admin's choice: the settings file may be the broken one. */
  language: StartupLanguage;
  /** openElectronStore in the app. */
  open: (name: string, dir: string) => KeyValueStore;
  /** dialog.showMessageBox in the app. */
  ask: (options: MessageBoxOptions) => Promise<{ response: number }>;
}

export interface OpenedStores {
  stores: Record<'profiles' | 'secrets' | 'settings', KeyValueStore>;
  /** history.json: the profiles' change history, a file of its own beside the three. */
  history?: KeyValueStore;
  results: readonly StoreFileResult[];
  /** DS-7: deletions reach the `.bak.json` files too. */
  backups: Partial<Record<'profiles' | 'secrets' | 'history', BackupScrubber>>;
  /** profiles.json plus its journal: a save writes one record (docs/architecture.md). */
  profileRecords?: ProfileRecords;
}

/**
 * DS-3: runs before any store is constructed. A damaged file is quarantined and restored from its
 * backup; failing that the admin decides. Any other failure rejects, and runStartup() reports it;
 * "Quit" rejects with StartupDeclined, so no error box follows the admin's own choice.
 */
export async function openStores(deps: OpenStoresDeps): Promise<OpenedStores> {
  const lang = deps.language;
  try {
    const { results, backups, profileRecords, history, ...stores } = await openCoreStores({
      dir: deps.dataDir,
      open: (name) => deps.open(name, deps.dataDir),
      confirmStartEmpty: async (r) => {
        const answer = await deps.ask({
          type: 'warning',
          buttons: [t(lang, 'host:openStores.quit'), t(lang, 'host:openStores.startEmpty')],
          defaultId: 0,
          cancelId: 0,
          message: t(lang, 'host:openStores.message', {
            file: r.file,
            backup: r.backupFile ?? t(lang, 'host:openStores.noBackup'),
          }),
          detail: t(lang, 'host:openStores.detail', { corrupt: r.corruptFile ?? r.file, dir: deps.dataDir }),
        });
        return answer.response === 1;
      },
    });
    return {
      stores,
      results: results ?? [],
      backups: backups ?? {},
      ...(profileRecords ? { profileRecords } : {}),
      ...(history ? { history } : {}),
    };
  } catch (error) {
    if (error instanceof AppError && error.params['reason'] === 'declined') {
      throw new StartupDeclined(`${error.params['file'] ?? 'store'}: start empty declined`);
    }
    throw error;
  }
}
