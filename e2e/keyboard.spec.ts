import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { field } from './support/mask';

test('keyboard only: create, save and find a profile without touching the mouse (en)', async ({ openHost }) => {
  const { page } = await openHost({ locale: 'en' });
  // The app mounts once its first data arrived (renderer/main.tsx loads boot.tsx): a Tab before that lands nowhere.
  await expect(page.getByRole('toolbar').getByRole('button', { name: 'New', exact: true })).toBeVisible();
  // The toolbar is one tab stop (arrow keys move inside it); "New" is its first button.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('toolbar').getByRole('button', { name: 'New', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'New sender profile' })).toBeVisible();

  // Tab from the account type into the fields, in reading order.
  await page.getByRole('radio', { name: /with client secret/ }).focus();
  const typeInto = async (name: string, value: string): Promise<void> => {
    await page.keyboard.press('Tab');
    await expect(field(page, name)).toBeFocused();
    await page.keyboard.type(value);
  };
  await typeInto('Profile name', 'Keyboard');
  await typeInto('Sender address', 'bestellung@contoso.onmicrosoft.com');
  await typeInto('Mailbox address', 'bestellung@contoso.onmicrosoft.com');
  await typeInto('Application (client) ID', '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b');
  await page.keyboard.press('Tab'); // its copy button
  await typeInto('Directory (tenant) ID', 'contoso.onmicrosoft.com');
  await page.keyboard.press('Tab'); // its copy button
  await page.keyboard.press('Tab'); // the cloud, left at Global
  await expect(page.getByRole('combobox', { name: 'Cloud', exact: true })).toBeFocused();
  await typeInto('Client secret', 'Kx7Q~Keyboard-9f3b.a1b2c3d4e5f6g7h8i9j0k');
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('status')).toHaveText('“Keyboard” was saved.');
  await expect(page.getByRole('navigation', { name: 'Sender profiles' }).getByRole('button', { name: /Keyboard/ })).toBeVisible();
});

test('no axe violations on the empty state and on the language menu (de, en)', async ({ openHost }) => {
  for (const locale of ['de', 'en'] as const) {
    const { page, close } = await openHost({ locale });
    // Fluent portals popovers to <body>, outside the landmarks; "region" is checked with the menu closed.
    const scan = async (menuOpen = false): Promise<string[]> =>
      (
        await new AxeBuilder({ page })
          .exclude('[data-tabster-dummy]')
          .disableRules(menuOpen ? ['region'] : [])
          .analyze()
      ).violations.map((v) => `${locale} ${v.id}`);
    // The app mounts after its first data arrives (renderer/main.tsx loads boot.tsx): scan the page, not the blank.
    await expect(page.getByRole('main')).toBeVisible();
    expect(await scan()).toEqual([]);
    // Contrast is judged on the settled menu, not on its fade-in.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.getByRole('button', { name: locale === 'de' ? /Sprache/ : /Language/ }).click();
    await expect(page.getByRole('menu')).toBeVisible();
    await expect(page.getByRole('menu')).toHaveCSS('opacity', '1');
    await expect(page.getByRole('menu').locator('..')).toHaveCSS('opacity', '1');
    expect(await scan(true)).toEqual([]);
    await close();
  }
});

test('settings: the keep-alive interval is kept across a restart (de)', async ({ openHost }, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  const first = await openHost({ locale: 'de', dataDir });
  await first.page.getByRole('button', { name: 'Einstellungen' }).click();
  const dialog = first.page.getByRole('dialog', { name: 'Einstellungen' });
  const days = dialog.getByRole('spinbutton', { name: /Anmeldungen automatisch verlängern/ });
  await expect(days).toHaveValue('7');
  await days.fill('14');
  await days.press('Enter');
  await dialog.getByRole('button', { name: 'Speichern' }).click();
  await expect(dialog).toBeHidden();
  await first.close();
  const again = await openHost({ locale: 'de', dataDir });
  await again.page.getByRole('button', { name: 'Einstellungen' }).click();
  await expect(again.page.getByRole('dialog', { name: 'Einstellungen' }).getByRole('spinbutton')).toHaveValue('14');
});
