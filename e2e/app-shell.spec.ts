import { expect, screenshotPath, test } from './fixtures';

const CASES = [
  { locale: 'de', title: 'Absender', listTitle: 'Absender', newButton: 'Neu', empty: 'Legen Sie Ihren ersten Absender an' },
  { locale: 'en', title: 'Absender', listTitle: 'Sender profiles', newButton: 'New', empty: 'Create your first sender profile' },
] as const;

for (const c of CASES) {
  test(`the empty Absender mask opens in ${c.locale}`, async ({ openHost }, testInfo) => {
    const { page } = await openHost({ locale: c.locale });
    await expect(page).toHaveTitle('Absender');
    await expect(page.getByRole('heading', { level: 1, name: c.title })).toBeVisible();
    await expect(page.getByRole('navigation', { name: c.listTitle })).toBeVisible();
    await expect(page.getByRole('toolbar').getByRole('button', { name: c.newButton, exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: c.empty })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', c.locale);
    await page.screenshot({ path: screenshotPath(`app-shell-${c.locale}-${testInfo.project.name}`) });
  });
}

test('switching the language persists across a restart on the same data dir', async ({ openHost }, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  const first = await openHost({ locale: 'de', dataDir });
  await first.page.getByRole('button', { name: 'Sprache' }).click();
  await first.page.getByRole('menuitemradio', { name: 'English' }).click();
  await expect(first.page.getByRole('navigation', { name: 'Sender profiles' })).toBeVisible();
  await expect(first.page.locator('html')).toHaveAttribute('lang', 'en');
  await first.close();
  const second = await openHost({ locale: 'de', dataDir });
  await expect(second.page.getByRole('navigation', { name: 'Sender profiles' })).toBeVisible();
  await expect(second.page.getByRole('heading', { name: 'Create your first sender profile' })).toBeVisible();
});
