import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screenshotPath, test } from './fixtures';
import { field, fullScreenshot, profileList, toolbarButton } from './support/mask';

async function saveOneProfile(page: Page): Promise<void> {
  await toolbarButton(page, 'Neu').click();
  await page.getByRole('radio', { name: 'Exchange Online (Modern Authentication)' }).check();
  await field(page, 'Bezeichnung').fill('Bestellungen');
  await field(page, 'Sender-Adresse').fill('bestellung@contoso.onmicrosoft.com');
  await field(page, 'Anwendungs-ID (Client)').fill('5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b');
  await field(page, 'Verzeichnis-ID (Mandant)').fill('contoso.onmicrosoft.com');
  await toolbarButton(page, 'Speichern').click();
  await page.getByRole('status').waitFor();
}

/** A data dir holding one saved profile, as a first run leaves it. */
async function dataDirWithOneProfile(
  openHost: (o: { locale: 'de'; dataDir: string }) => Promise<{ page: Page; close: () => Promise<void> }>,
  dataDir: string,
) {
  const first = await openHost({ locale: 'de', dataDir });
  await saveOneProfile(first.page);
  await first.close();
}

// DS-3: quarantine, restore from .bak, both files named.
test('a damaged profiles.json is quarantined byte-equal and restored from its backup; the window names both files (de)', async ({
  openHost,
}, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  await dataDirWithOneProfile(openHost, dataDir);
  await (await openHost({ locale: 'de', dataDir })).close(); // a good load writes profiles.bak.json
  const damaged = '{"profiles": {"trunc';
  await writeFile(join(dataDir, 'profiles.json'), damaged);

  const { page } = await openHost({ locale: 'de', dataDir });
  const notice = page.locator('[data-storage="restored-from-backup"]');
  await expect(notice).toContainText('profiles.json war beschädigt und wurde aus profiles.bak.json wiederhergestellt');
  const corrupt = (await readdir(dataDir)).find((f) => /^profiles\.corrupt-.*\.json$/.test(f));
  expect(corrupt).toBeDefined();
  await expect(notice).toContainText(corrupt ?? '');
  expect(await readFile(join(dataDir, corrupt ?? ''), 'utf8')).toBe(damaged);
  await expect(profileList(page, 'Absender').getByRole('button', { name: /Bestellungen/ })).toBeVisible();
  await fullScreenshot(page, screenshotPath(`storage-restored-de-${testInfo.project.name}`));
});

// DS-3: empty only after the admin agrees.
test('damaged and no backup: nothing is emptied silently; only after the admin agrees does it start empty (en)', async ({
  openHost,
}, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  await dataDirWithOneProfile(openHost, dataDir);
  await rm(join(dataDir, 'profiles.bak.json'), { force: true });
  await writeFile(join(dataDir, 'profiles.json'), Buffer.from([0, 159, 146, 150, 0, 1]));

  // The admin says no: the host does not start, and the damaged file is still there, untouched.
  await expect(openHost({ locale: 'en', dataDir })).rejects.toThrow();
  expect([...(await readFile(join(dataDir, 'profiles.json')))]).toEqual([0, 159, 146, 150, 0, 1]);

  const asked: string[] = [];
  const { page } = await openHost({
    locale: 'en',
    dataDir,
    confirmStartEmpty: (r) => {
      asked.push(r.file);
      return Promise.resolve(true);
    },
  });
  expect(asked.map((f) => f.split(/[\\/]/).pop())).toEqual(['profiles.json']);
  await expect(page.locator('[data-storage="started-empty"]')).toContainText('profiles.json could not be read');
  await expect(page.getByRole('heading', { name: 'Create your first sender profile' })).toBeVisible();
});
