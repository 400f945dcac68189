import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openConfStore } from '../../electron/core/testing/conf-store';
import { compactProfileJournal, JOURNAL_FILE } from '../../electron/core/storage/profile-journal';

/** Everything stored about profiles: profiles.json and the journal of saves not yet folded into it. */
export async function storedProfilesText(dataDir: string): Promise<string> {
  const journal = await readFile(join(dataDir, JOURNAL_FILE), 'utf8').catch(() => '');
  return `${await readFile(join(dataDir, 'profiles.json'), 'utf8')}\n${journal}`;
}

/** Folds the journal into profiles.json as the next start would, before a spec edits the file by hand (app closed). */
export function foldProfileJournal(dataDir: string): void {
  compactProfileJournal(dataDir, openConfStore(dataDir, 'profiles'));
}
