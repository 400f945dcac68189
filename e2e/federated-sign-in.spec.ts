import { DEMO } from './emulator';
import { expect, probesOf, test } from './fixtures';
import { createModernAuthProfile, toolbarButton } from './support/mask';

const fed = DEMO.federated;

test('federated sign-in (AD FS): blocked and named without the setting, signed in once the host is in Settings (de)', async ({
  openHost,
  emulator,
}) => {
  const host = await openHost({ locale: 'de', withEmulator: true });
  const { page } = host;
  const federationHost = new URL(emulator.federationHost).host; // localhost:<port>, a host of its own
  await createModernAuthProfile(page, 'de', { sender: fed.sender.upn, clientId: fed.publicAppClientId, tenant: fed.tenantId });

  await toolbarButton(page, 'Authentifizieren').click();
  const failed = page.locator('[data-signin="failed"] [data-step="signIn"]');
  await expect(failed).toHaveAttribute('data-status', 'failed');
  await expect(failed).toContainText('Anmeldeseite blockiert');
  await expect(failed.locator('[data-part="advice"]')).toContainText(`Ist ${federationHost} der Verbundserver`);
  await expect(failed.locator('[data-part="advice"]')).toContainText('„Zusätzliche Anmeldehosts (Verbund, z. B. AD FS)“');
  expect(emulator.requests().filter((r) => r.host === 'federation')).toEqual([]); // the page was never loaded

  await page.getByRole('button', { name: 'Einstellungen' }).click();
  const dialog = page.getByRole('dialog', { name: 'Einstellungen' });
  const hosts = dialog.getByRole('textbox', { name: /Zusätzliche Anmeldehosts/ });
  const save = dialog.getByRole('button', { name: 'Speichern' });
  await expect(hosts).toHaveValue('');
  await hosts.fill(`*.${fed.domain}`);
  await expect(dialog.getByText('Zeile 1: Platzhalter (*) sind nicht erlaubt', { exact: false })).toBeVisible();
  await expect(save).toBeDisabled();
  await hosts.fill(`adfs.${fed.domain}\n127.0.0.1`);
  await expect(dialog.getByText('Zeile 2: Keine IP-Adresse', { exact: false })).toBeVisible();
  await hosts.fill(`https://${federationHost}/adfs/ls/`);
  await expect(dialog.getByText('Zeile 1: Kein gültiger Hostname', { exact: false })).toBeVisible();
  await hosts.fill(federationHost.toUpperCase());
  await expect(save).toBeEnabled();
  await save.click();
  await expect(dialog).toBeHidden();

  await toolbarButton(page, 'Authentifizieren').click();
  const idp = await probesOf(host).signIn.nextPage();
  await expect(idp.locator('#userNameInput')).toHaveValue(fed.sender.upn);
  expect(new URL(idp.url()).host).toBe(federationHost);
  await idp.locator('#passwordInput').fill(fed.sender.password);
  await idp.locator('#submitButton').click();
  await expect(page.locator('[data-signin="signed-in"]')).toHaveText(`Angemeldet als ${fed.sender.upn}.`);

  // Settings shows the entry as the window compares it.
  await page.getByRole('button', { name: 'Einstellungen' }).click();
  await expect(hosts).toHaveValue(federationHost);
});
