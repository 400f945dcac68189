import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { createClientSecretProfile, field, LABELS, toolbarButton } from './support/mask';

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

test('the log becoming unwritable while the app runs is named in the window at the next logged line (en)', async ({
  openHost,
}, testInfo) => {
  const logDir = testInfo.outputPath('logs');
  let diskFull = false;
  const { page } = await openHost({
    locale: 'en',
    logDir,
    failWrite: (store) =>
      diskFull && store === 'profiles'
        ? Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
        : undefined,
  });
  await createClientSecretProfile(page, 'en', {
    sender: 'orders@contoso.com',
    clientId: '11111111-2222-3333-4444-555555555555',
    tenant: 'contoso.onmicrosoft.com',
    secret: 'log-spec-secret-value-1234',
  });
  await expect(page.locator('[data-log-failure]')).toHaveCount(0);
  // The log directory goes away and a file takes its place: the next line cannot be written (ENOTDIR).
  await rm(logDir, { recursive: true, force: true });
  await writeFile(logDir, 'not a directory');
  diskFull = true; // a failed save is logged (with its cause), which is the line that cannot be written
  await field(page, LABELS.en.name).fill('Orders (new)');
  await toolbarButton(page, 'Save').click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.locator('[data-log-failure="ENOTDIR"]')).toContainText(
    `Absender cannot write its log file ${join(logDir, 'absender.log')}`,
  );
});
