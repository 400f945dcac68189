import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { field, toolbarButton } from './support/mask';

// SH-3: the log goes to a private, bounded file; when it cannot be written, the window says so once.

test('the log file is 0600 in a 0700 directory, and no notice shows while it works (de)', async ({ openHost }, testInfo) => {
  const logDir = testInfo.outputPath('logs');
  const { page } = await openHost({ locale: 'de', logDir });
  await toolbarButton(page, 'Neu').click();
  await expect(page.locator('[data-log-failure]')).toHaveCount(0);
  expect(await readdir(logDir)).toEqual(['absender.log']);
  if (process.platform !== 'win32') {
    expect((await stat(logDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(logDir, 'absender.log'))).mode & 0o777).toBe(0o600);
  }
});

test('a log directory that cannot be created is named in the window, the app works on (de, en)', async ({
  openHost,
}, testInfo) => {
  // A file where the directory should be: mkdir fails (ENOTDIR) for root as well.
  const blocker = testInfo.outputPath('blocker');
  await writeFile(blocker, 'not a directory');
  const logDir = join(blocker, 'logs');
  const de = await openHost({ locale: 'de', logDir });
  const notice = de.page.locator('[data-log-failure="ENOTDIR"]');
  await expect(notice).toContainText(`Absender kann die Protokolldatei ${logDir} nicht schreiben: unbekannter Fehler (ENOTDIR)`);
  await toolbarButton(de.page, 'Neu').click();
  await expect(field(de.page, 'Bezeichnung')).toBeVisible();
  await de.close();
  const en = await openHost({ locale: 'en', logDir });
  await expect(en.page.locator('[data-log-failure="ENOTDIR"]')).toContainText(`Absender cannot write its log file ${logDir}`);
});
