import { expect, screenshotPath, test } from './fixtures';

const CANARY = 'Kx7Q~CANARY-9f3b.a1b2c3d4e5f6g7h8i9j0kLmN';
const CLIENT_ID = '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const TENANT = 'contoso.onmicrosoft.com';

test('create a client-secret profile, save it, and find it unchanged after a restart (de)', async ({ openHost }, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  const { page, close } = await openHost({ locale: 'de', dataDir });
  await page.getByRole('toolbar').getByRole('button', { name: 'Neu', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Neuer Absender' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Bezeichnung', exact: true }).fill('Bestellungen');
  await page.getByRole('textbox', { name: 'Sender-Adresse', exact: true }).fill('bestellung@contoso.onmicrosoft.com');
  await page.getByRole('textbox', { name: 'E-Mail-Adresse', exact: true }).fill('bestellung@contoso.onmicrosoft.com');
  await page.getByRole('textbox', { name: 'Anwendungs-ID (Client)', exact: true }).fill(CLIENT_ID);
  await page.getByRole('textbox', { name: 'Verzeichnis-ID (Mandant)', exact: true }).fill(TENANT);
  await page.getByRole('textbox', { name: 'Geheimer Clientschlüssel', exact: true }).fill(CANARY);
  await page.getByRole('textbox', { name: 'Gültig bis', exact: true }).fill('2027-06-30');
  await expect(page.getByText('Nicht gespeichert')).toBeVisible();
  await page.screenshot({ path: screenshotPath(`mask-client-secret-new-de-${testInfo.project.name}`), fullPage: true });
  await page.getByRole('toolbar').getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status')).toHaveText('„Bestellungen“ wurde gespeichert.');
  await expect(page.getByText('Gespeichert (Kx7…)')).toBeVisible();
  await page.screenshot({ path: screenshotPath(`mask-client-secret-saved-de-${testInfo.project.name}`), fullPage: true });
  await close();

  const again = await openHost({ locale: 'de', dataDir });
  const list = again.page.getByRole('navigation', { name: 'Absender' });
  await expect(list.getByRole('button', { name: /Bestellungen/ })).toBeVisible();
  await expect(again.page.getByRole('textbox', { name: 'Anwendungs-ID (Client)', exact: true })).toHaveValue(CLIENT_ID);
  await expect(again.page.getByRole('textbox', { name: 'Verzeichnis-ID (Mandant)', exact: true })).toHaveValue(TENANT);
  await expect(again.page.getByRole('textbox', { name: 'Gültig bis', exact: true })).toHaveValue('2027-06-30');
  await expect(again.page.getByText('Gespeichert (Kx7…)')).toBeVisible();
});
