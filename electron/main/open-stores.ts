import { app, dialog } from 'electron';
import { openStoreFiles, resolvePendingStores } from '../core/storage/store-bootstrap';
import { STORE_FILES } from '../core/storage/store-files';
import type { KeyValueStore, Logger } from '../core/ports';
import { openElectronStore } from './adapters/electron-store-kv';

const TEXT = {
  de: {
    buttons: ['Beenden', 'Leer starten'],
    message: (file: string, backup: string) => `${file} ist beschädigt, und ${backup} konnte nicht wiederhergestellt werden.`,
    detail: (corrupt: string, dir: string) => `Die beschädigte Datei bleibt als ${corrupt} in ${dir} erhalten.`,
    noBackup: 'keine Sicherung',
  },
  en: {
    buttons: ['Quit', 'Start empty'],
    message: (file: string, backup: string) => `${file} could not be read, and ${backup} could not be restored.`,
    detail: (corrupt: string, dir: string) => `The damaged file is kept as ${corrupt} in ${dir}.`,
    noBackup: 'no backup',
  },
};

/**
 * DS-3: runs before any store is constructed. A damaged file is quarantined and restored from its
 * backup; failing that the admin decides (in the OS language: the settings file may be the broken one).
 */
export async function openStores(
  dataDir: string,
  logger: Logger,
): Promise<{
  stores: Record<'profiles' | 'secrets' | 'settings', KeyValueStore>;
  results: ReturnType<typeof openStoreFiles>['results'];
} | null> {
  const text = app.getLocale().toLowerCase().startsWith('de') ? TEXT.de : TEXT.en;
  try {
    const boot = openStoreFiles({
      dir: dataDir,
      files: STORE_FILES,
      open: (name) => openElectronStore(name, dataDir),
      now: () => new Date(),
    });
    const stores = await resolvePendingStores(boot, async (r) => {
      const answer = await dialog.showMessageBox({
        type: 'warning',
        buttons: text.buttons,
        defaultId: 0,
        cancelId: 0,
        message: text.message(r.file, r.backupFile ?? text.noBackup),
        detail: text.detail(r.corruptFile ?? r.file, dataDir),
      });
      return answer.response === 1;
    });
    return { stores, results: boot.results };
  } catch (error) {
    logger.error('storage start-up failed', { error: String(error) });
    dialog.showErrorBox('Absender', error instanceof Error ? error.message : String(error));
    app.quit();
    return null;
  }
}
