import { expect, test } from './fixtures';

test('settings: the proxy URL refuses credentials at the field and is kept across a restart (de)', async ({
  openHost,
}, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  const first = await openHost({ locale: 'de', dataDir });
  await first.page.getByRole('button', { name: 'Einstellungen' }).click();
  const dialog = first.page.getByRole('dialog', { name: 'Einstellungen' });
  await expect(dialog.getByRole('radio', { name: 'Systemeinstellung' })).toBeChecked();
  await dialog.getByRole('radio', { name: 'Proxy-URL' }).check();
  const url = dialog.getByRole('textbox', { name: /Proxy-URL/ });
  const save = dialog.getByRole('button', { name: 'Speichern' });
  await url.fill('http://admin:geheim@proxy.contoso.com:8080');
  await expect(dialog.getByText(/Keine Anmeldedaten in der Proxy-URL/)).toBeVisible();
  await expect(save).toBeDisabled();
  await url.fill('proxy.contoso.com');
  await expect(dialog.getByText(/Keine gültige Proxy-URL/)).toBeVisible();
  await url.fill('http://proxy.contoso.com:8080');
  await expect(save).toBeEnabled();
  await save.click();
  await expect(dialog).toBeHidden();
  await first.close();
  const again = await openHost({ locale: 'de', dataDir });
  await again.page.getByRole('button', { name: 'Einstellungen' }).click();
  const reopened = again.page.getByRole('dialog', { name: 'Einstellungen' });
  await expect(reopened.getByRole('radio', { name: 'Proxy-URL' })).toBeChecked();
  await expect(reopened.getByRole('textbox', { name: /Proxy-URL/ })).toHaveValue('http://proxy.contoso.com:8080');
});
