import { DEMO } from './emulator';
import { AesGcmCipher } from './hosts/aes-gcm-cipher';
import { expect, probesOf, screenshotPath, test } from './fixtures';
import {
  axeViolations,
  createClientSecretProfile,
  field,
  fullScreenshot,
  profileList,
  testStep,
  toolbarButton,
} from './support/mask';

const app = DEMO.confidentialApp;
const base = { sender: DEMO.sender.upn, clientId: app.clientId, tenant: DEMO.tenantId };
const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

// OA-5: the admin-entered expiry is flagged before it is reached.
test('expiry countdown badges, the overview sorted by expiry, and the last test in the list (de)', async ({
  openHost,
}, testInfo) => {
  const { page } = await openHost({ locale: 'de', withEmulator: true });
  await createClientSecretProfile(page, 'de', { ...base, name: 'Bestellungen', secret: app.secretValue, expires: inDays(200) });
  await createClientSecretProfile(page, 'de', { ...base, name: 'Rabatte', secret: app.secretValue, expires: inDays(20) });
  await createClientSecretProfile(page, 'de', { ...base, name: 'Lieferavis', secret: app.secretValue, expires: inDays(5) });
  await createClientSecretProfile(page, 'de', { ...base, name: 'Altlast', secret: app.expiredSecretValue, expires: inDays(-3) });
  const list = profileList(page, 'Absender');
  const badge = (name: string, kind: string) =>
    list.getByRole('button', { name: new RegExp(name) }).locator(`[data-badge="${kind}"]`);
  await expect(badge('Bestellungen', 'secret')).toHaveAttribute('data-state', 'ok');
  await expect(badge('Rabatte', 'secret')).toHaveText(/Geheimnis läuft in (19|20) Tagen ab/);
  await expect(badge('Rabatte', 'secret')).toHaveAttribute('data-state', 'urgent');
  await expect(badge('Lieferavis', 'secret')).toHaveAttribute('data-state', 'critical');
  await expect(badge('Lieferavis', 'secret')).toHaveText(/^Geheimnis läuft in [45] Tagen ab!$/);
  await expect(badge('Altlast', 'secret')).toHaveText('Geheimnis abgelaufen');
  await expect(badge('Altlast', 'test')).toHaveText('Nie getestet');
  await expect(field(page, 'Gültig bis')).toHaveAccessibleDescription(/abgelaufen – erneuern Sie das Geheimnis in Entra/);

  await toolbarButton(page, 'Verbindung testen').click();
  await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'failed');
  await expect(testStep(page, 'token')).toContainText('abgelaufen');
  await expect(badge('Altlast', 'test')).toHaveText('Test fehlgeschlagen · heute');
  expect(await axeViolations(page)).toEqual([]);
  await fullScreenshot(page, screenshotPath(`cockpit-list-de-${testInfo.project.name}`));

  await toolbarButton(page, 'Ablaufübersicht').click();
  const dialog = page.getByRole('dialog', { name: 'Geheime Clientschlüssel und Zertifikate nach Ablaufdatum' });
  const names = await dialog.getByRole('row').locator('td:first-child').allInnerTexts();
  expect(names).toEqual(['Altlast', 'Lieferavis', 'Rabatte', 'Bestellungen']);
  await page.screenshot({ path: screenshotPath(`cockpit-overview-de-${testInfo.project.name}`), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Rabatte' }).click();
  await expect(page.getByRole('heading', { name: 'Rabatte', level: 2 })).toBeVisible();
});

test('renew: a new value is tested first; only a working one replaces the stored secret (en)', async ({ openHost, emulator }) => {
  const host = await openHost({ locale: 'en', withEmulator: true });
  const { page } = host;
  // The history card re-reads its entries after each change (profiles.history): not part of what is counted here.
  const calls = (): string[] =>
    (probesOf(host).ipcLog as Array<{ channel?: string }>).flatMap((e) =>
      e.channel && e.channel !== 'absender:profiles.history' ? [e.channel] : [],
    );
  await createClientSecretProfile(page, 'en', { ...base, secret: app.expiredSecretValue, expires: inDays(-1) });
  const oldHint = app.expiredSecretValue.slice(0, 3);
  await expect(page.getByText(`Stored (${oldHint}…)`)).toBeVisible();
  await page.getByRole('button', { name: 'Replace' }).click();

  const before = calls().length;
  await field(page, 'Client secret').fill('Wr0ng~SecretValue.abcdefghijklmnopqrstuv');
  await page.getByRole('button', { name: 'Test the new value and switch' }).click();
  await expect(page.locator('[data-renew="failed"]')).toContainText('stored secret stays in use');
  await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'failed');

  await field(page, 'Client secret').fill(app.secretValue);
  await field(page, 'Expires').fill(inDays(365));
  await page.getByRole('button', { name: 'Test the new value and switch' }).click();
  await expect(page.locator('[data-renew="done"]')).toContainText(
    `New secret (${app.secretValue.slice(0, 3)}…) tested and saved`,
  );
  await expect(page.locator('[data-renew="done"]')).toContainText(`delete the old secret (${oldHint}…) in Entra`);
  await expect(page.getByText(`Stored (${app.secretValue.slice(0, 3)}…)`)).toBeVisible();
  expect(emulator.sentMessages()).toEqual([]);
  // Each renewal is one call that carries the secret once; the core saves, the renderer only shows the answer.
  expect(calls().slice(before)).toEqual(['absender:secrets.renew', 'absender:secrets.renew']);

  const beforeTest = calls().length;
  await toolbarButton(page, 'Test connection').click();
  // The renewal's own test already shows an ok token step: wait for this run's call, then for its end.
  await expect.poll(() => calls().slice(beforeTest)).toEqual(['absender:tests.run']);
  await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'ok');
  await expect(toolbarButton(page, 'Test connection')).toBeEnabled();
  // The report carries the profile with its new lastTest: no second read of the list.
  expect(calls().slice(beforeTest)).toEqual(['absender:tests.run']);
});

// SS-4: no decrypt attempt under another keyring; the message names it.
test('keyring changed since the secret was stored: no decrypt attempt, the admin learns which keyring to bring back (de)', async ({
  openHost,
}, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  const first = await openHost({
    locale: 'de',
    withEmulator: true,
    dataDir,
    cipher: new AesGcmCipher(undefined, 'gnome_libsecret'),
  });
  await createClientSecretProfile(first.page, 'de', { ...base, secret: app.secretValue });
  await first.close();
  const { page } = await openHost({ locale: 'de', withEmulator: true, dataDir, cipher: new AesGcmCipher(undefined, 'kwallet6') });
  await toolbarButton(page, 'Verbindung testen').click();
  await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'failed');
  await expect(testStep(page, 'token')).toContainText('„gnome_libsecret“ verschlüsselt, jetzt ist „kwallet6“ aktiv');
  await expect(page.getByText(`Gespeichert (${app.secretValue.slice(0, 3)}…)`)).toBeVisible();
});
