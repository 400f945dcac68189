import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { benchProfile } from '../bench/support';
import { buildFilterIndex, filterProfiles } from '../renderer/features/profiles/profile-filter';
import { expect, screenshotPath, test } from './fixtures';
import { profileList } from './support/mask';

/** A data dir with n profiles, as an installation that grew to that many leaves it. */
async function seed(dataDir: string, n: number): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const profiles = Array.from({ length: n }, (_, i) => benchProfile(i));
  await writeFile(
    join(dataDir, 'profiles.json'),
    JSON.stringify({ schemaVersion: 1, profiles: Object.fromEntries(profiles.map((p) => [p.id, p])) }),
    { mode: 0o600 },
  );
}

test('1000 profiles: only the rows in view are rendered, search narrows them, arrow keys, Home and End move through all (en)', async ({
  openHost,
}, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  await seed(dataDir, 1000);
  const { page } = await openHost({ locale: 'en', dataDir });
  const list = profileList(page, 'Sender profiles');
  await expect(list.getByText('1000 sender profiles')).toBeVisible();
  const rows = list.getByRole('listitem');
  expect(await rows.count()).toBeLessThan(60);
  await expect(rows.first()).toHaveAttribute('aria-setsize', '1000');

  await list.getByRole('button', { name: /Absender 0000/ }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(list.getByRole('button', { name: /Absender 0002/ })).toBeFocused();
  await page.keyboard.press('End');
  await expect(list.getByRole('button', { name: /Absender 0999/ })).toBeFocused();
  await expect(list.getByRole('button', { name: /Absender 0999/ })).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Profile name' })).toHaveValue('Absender 0999');
  await page.keyboard.press('Home');
  await expect(list.getByRole('button', { name: /Absender 0000/ })).toBeFocused();

  await page.getByRole('textbox', { name: 'Search sender profiles' }).fill('sender42@');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('aria-setsize', '1');
  await page.getByRole('textbox', { name: 'Search sender profiles' }).fill('04');
  const expected = filterProfiles(buildFilterIndex(Array.from({ length: 1000 }, (_, i) => benchProfile(i))), '04').length;
  await expect(rows.first()).toHaveAttribute('aria-setsize', String(expected));
  await expect(rows.first()).toContainText('Absender 0004');
  await page.screenshot({ path: screenshotPath(`profile-list-1000-en-${testInfo.project.name}`) });
});
