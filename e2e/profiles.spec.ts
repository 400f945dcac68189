import AxeBuilder from '@axe-core/playwright';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { AesGcmCipher } from './hosts/aes-gcm-cipher';
import { expect, screenshotPath, test } from './fixtures';
import { scanForCanary } from './support/canary';
import { field, fullScreenshot, LABELS, profileList, toolbarButton } from './support/mask';
import { storedProfilesText } from './support/stored-profiles';

const CANARY = 'Kx7Q~CANARY-9f3b.a1b2c3d4e5f6g7h8i9j0kLmN';
const CLIENT_ID = '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const TENANT_GUID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const SENDER = 'bestellung@contoso.onmicrosoft.com';

async function fillClientSecretProfile(page: Page, locale: 'de' | 'en', name = 'Bestellungen', secret = CANARY): Promise<void> {
  const l = LABELS[locale];
  await toolbarButton(page, l.new).click();
  await field(page, l.name).fill(name);
  await field(page, l.sender).fill(SENDER);
  await field(page, l.mailbox).fill(SENDER);
  await field(page, l.clientId).fill(CLIENT_ID);
  await field(page, l.tenant).fill('contoso.onmicrosoft.com');
  await field(page, l.secret).fill(secret);
  await field(page, l.expires).fill('2027-06-30');
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  // Tabster's focus-trap sentinels (<i data-tabster-dummy>) are Fluent's own, deliberately focusable and hidden.
  const results = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').analyze();
  expect(
    results.violations.map(
      (v) =>
        `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)} ${n.failureSummary ?? ''}`).join(', ')}`,
    ),
  ).toEqual([]);
}

// DS-2, SH-5: the secret input's attributes; no trace of the secret outside the vault.
test('client-secret profile: save, restart, unchanged; the secret leaves no trace (de)', async ({ openHost }, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  const host = await openHost({ locale: 'de', dataDir });
  const { page } = host;
  await fillClientSecretProfile(page, 'de');
  await expect(page.getByText('Nicht gespeichert')).toBeVisible();
  await expect(field(page, 'Geheimer Clientschlüssel')).toHaveAttribute('type', 'password');
  await expect(field(page, 'Geheimer Clientschlüssel')).toHaveAttribute('autocomplete', 'off');
  await expect(field(page, 'Geheimer Clientschlüssel')).toHaveAttribute('spellcheck', 'false');
  await fullScreenshot(page, screenshotPath(`mask-client-secret-new-de-${testInfo.project.name}`));
  await toolbarButton(page, 'Speichern').click();
  await expect(page.getByRole('status')).toHaveText('„Bestellungen“ wurde gespeichert.');
  await expect(page.getByText('Gespeichert (Kx7…)')).toBeVisible();
  await expect(page.getByText('Nicht gespeichert')).toBeHidden();
  await expectNoAxeViolations(page);
  await fullScreenshot(page, screenshotPath(`mask-client-secret-de-${testInfo.project.name}`));
  expect(await scanForCanary(CANARY, { page, dataDir, texts: { ipc: host.probes?.ipcLog, log: host.probes?.logLines } })).toEqual(
    [],
  );
  // The scanner itself must see what is there: the client ID is stored in plain text on purpose.
  expect(await scanForCanary(CLIENT_ID, { page, dataDir })).not.toEqual([]);
  await host.close();

  const again = await openHost({ locale: 'de', dataDir });
  await expect(profileList(again.page, 'Absender').getByRole('button', { name: /Bestellungen/ })).toBeVisible();
  await expect(field(again.page, 'Anwendungs-ID (Client)')).toHaveValue(CLIENT_ID);
  await expect(field(again.page, 'Verzeichnis-ID (Mandant)')).toHaveValue('contoso.onmicrosoft.com');
  await expect(field(again.page, 'E-Mail-Adresse')).toHaveValue(SENDER);
  await expect(field(again.page, 'Gültig bis')).toHaveValue('30.06.2027');
  await expect(again.page.getByText('Gespeichert (Kx7…)')).toBeVisible();
  expect(await scanForCanary(CANARY, { page: again.page, dataDir, texts: { ipc: again.probes?.ipcLog } })).toEqual([]);
});

test('Modern Authentication profile: save, restart, unchanged (en)', async ({ openHost }, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  const { page, close } = await openHost({ locale: 'en', dataDir });
  await toolbarButton(page, 'New').click();
  await page.getByRole('radio', { name: 'Exchange Online (Modern Authentication)' }).check();
  await expect(field(page, 'Client secret')).toBeHidden();
  await expect(field(page, 'Mailbox address')).toBeHidden();
  await field(page, 'Profile name').fill('Warehouse');
  await field(page, 'Sender address').fill('lager@contoso.onmicrosoft.com');
  await field(page, 'Application (client) ID').fill(CLIENT_ID);
  await field(page, 'Directory (tenant) ID').fill(TENANT_GUID);
  await expect(toolbarButton(page, 'Authenticate')).toBeVisible();
  await toolbarButton(page, 'Save').click();
  await expect(page.getByRole('status')).toHaveText('“Warehouse” was saved.');
  await expectNoAxeViolations(page);
  await fullScreenshot(page, screenshotPath(`mask-modern-auth-en-${testInfo.project.name}`));
  await close();

  const again = await openHost({ locale: 'en', dataDir });
  await expect(again.page.getByRole('radio', { name: 'Exchange Online (Modern Authentication)' })).toBeChecked();
  await expect(field(again.page, 'Sender address')).toHaveValue('lager@contoso.onmicrosoft.com');
  await expect(field(again.page, 'Directory (tenant) ID')).toHaveValue(TENANT_GUID);
  await expect(toolbarButton(again.page, 'Authenticate')).toBeVisible();
});

for (const locale of ['de', 'en'] as const) {
  test(`screenshots of both masks (${locale})`, async ({ openHost }, testInfo) => {
    const { page } = await openHost({ locale });
    const l = LABELS[locale];
    await fillClientSecretProfile(page, locale);
    await toolbarButton(page, l.save).click();
    await expect(page.getByRole('status')).toBeVisible();
    await fullScreenshot(page, screenshotPath(`mask-client-secret-${locale}-${testInfo.project.name}`));
    // A saved profile asks before it changes account type (its stored secret would go).
    await page.getByRole('radio', { name: l.modernAuth }).click();
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: locale === 'de' ? 'Kontotyp ändern' : 'Change account type' })
      .click();
    await expect(field(page, l.secret)).toBeHidden();
    await fullScreenshot(page, screenshotPath(`mask-modern-auth-${locale}-${testInfo.project.name}`));
  });
}

test('validation errors appear at their field and block saving (de)', async ({ openHost }) => {
  const { page, probes } = await openHost({ locale: 'de' });
  await toolbarButton(page, 'Neu').click();
  await toolbarButton(page, 'Speichern').click();
  await expect(field(page, 'Bezeichnung')).toHaveAccessibleDescription('Pflichtfeld');
  await expect(field(page, 'Geheimer Clientschlüssel')).toHaveAccessibleDescription(
    'Fügen Sie den Wert des geheimen Clientschlüssels ein.',
  );
  await field(page, 'Sender-Adresse').fill('bestellung');
  await field(page, 'Anwendungs-ID (Client)').fill('1234');
  await field(page, 'Verzeichnis-ID (Mandant)').fill('contoso');
  await expect(field(page, 'Sender-Adresse')).toHaveAccessibleDescription('Keine gültige E-Mail-Adresse');
  await expect(field(page, 'Anwendungs-ID (Client)')).toHaveAccessibleDescription(/Keine gültige GUID/);
  await expect(field(page, 'Verzeichnis-ID (Mandant)')).toHaveAccessibleDescription(
    /Verzeichnis-ID \(Mandant\): GUID oder verifizierte Domäne/,
  );
  await fullScreenshot(page, screenshotPath('mask-validation-de'));
  expect(JSON.stringify(probes?.ipcLog ?? [])).not.toContain('profiles.save');
});

test('every paste-guard warning appears at its field and does not block saving (en)', async ({ openHost }) => {
  const { page } = await openHost({ locale: 'en' });
  await fillClientSecretProfile(page, 'en', 'Discounts', '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
  await expect(field(page, 'Client secret')).toHaveAccessibleDescription(/looks like the Secret ID, not the Value/);
  // A single-line input drops pasted line breaks itself; leading blanks stay.
  await field(page, 'Client secret').fill(`  ${CANARY}`);
  await expect(field(page, 'Client secret')).toHaveAccessibleDescription(/blanks or line breaks/);
  await field(page, 'Client secret').fill('short');
  await expect(field(page, 'Client secret')).toHaveAccessibleDescription(/Unusually short/);
  await field(page, 'Application (client) ID').fill('00000003-0000-0000-c000-000000000000');
  await expect(field(page, 'Application (client) ID')).toHaveAccessibleDescription(/Microsoft's application “Microsoft Graph”/);
  await field(page, 'Application (client) ID').fill(` ${CLIENT_ID}`);
  await expect(field(page, 'Application (client) ID')).toHaveAccessibleDescription(/blanks or line breaks/);
  await field(page, 'Directory (tenant) ID').fill(CLIENT_ID);
  await expect(field(page, 'Directory (tenant) ID')).toHaveAccessibleDescription(/are equal – one of them is wrong/);
  await field(page, 'Directory (tenant) ID').fill('common');
  await expect(field(page, 'Directory (tenant) ID')).toHaveAccessibleDescription(/does not work with a client secret/);
  await field(page, 'Directory (tenant) ID').fill('9188040d-6c67-4c5b-b112-36a304b66dad');
  await expect(field(page, 'Directory (tenant) ID')).toHaveAccessibleDescription(/personal Microsoft accounts/);
  await field(page, 'Mailbox address').fill('einkauf@contoso.onmicrosoft.com');
  await expect(field(page, 'Mailbox address')).toHaveAccessibleDescription(/Send As rights/);
  await field(page, 'Sender address').fill('max.mustermann@gmail.com');
  await expect(field(page, 'Sender address')).toHaveAccessibleDescription(/A personal address\?/);
  await fullScreenshot(page, screenshotPath('mask-paste-guard-en'));
  // Warnings never block: it saves, trimmed.
  await field(page, 'Directory (tenant) ID').fill(TENANT_GUID);
  await field(page, 'Client secret').fill(`  ${CANARY}\n`);
  await toolbarButton(page, 'Save').click();
  await expect(page.getByRole('status')).toHaveText('“Discounts” was saved.');
  await expect(field(page, 'Application (client) ID')).toHaveValue(CLIENT_ID);
  await expect(page.getByText('Stored (Kx7…)')).toBeVisible();

  // Swapped IDs are recognised against the other profile.
  await toolbarButton(page, 'New').click();
  await field(page, 'Application (client) ID').fill(TENANT_GUID);
  await field(page, 'Directory (tenant) ID').fill(CLIENT_ID);
  await expect(field(page, 'Directory (tenant) ID')).toHaveAccessibleDescription(/swapped/);
});

// DS-7: delete removes the secret too.
test('delete asks first and removes the profile with its secret (de)', async ({ openHost }, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  const { page } = await openHost({ locale: 'de', dataDir });
  await fillClientSecretProfile(page, 'de');
  await toolbarButton(page, 'Speichern').click();
  await expect(page.getByText('Gespeichert (Kx7…)')).toBeVisible();
  const secrets = async () => readFile(join(dataDir, 'secrets.json'), 'utf8');
  expect(await secrets()).toContain('clientSecret:');
  await toolbarButton(page, 'Löschen').click();
  const dialog = page.getByRole('alertdialog', { name: 'Absender „Bestellungen“ löschen?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Abbrechen' }).click();
  await expect(profileList(page, 'Absender').getByRole('button', { name: /Bestellungen/ })).toBeVisible();
  await toolbarButton(page, 'Löschen').click();
  await dialog.getByRole('button', { name: 'Löschen' }).click();
  await expect(page.getByRole('heading', { name: 'Legen Sie Ihren ersten Absender an' })).toBeVisible();
  expect(await secrets()).not.toContain('clientSecret:');
  expect(await storedProfilesText(dataDir)).not.toContain(CLIENT_ID);
});

test('DS-7: after a restart the backups hold the profile; deleting it removes it there too, a restore brings nothing back (de)', async ({
  openHost,
}, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  const first = await openHost({ locale: 'de', dataDir });
  await fillClientSecretProfile(first.page, 'de');
  await toolbarButton(first.page, 'Speichern').click();
  await expect(first.page.getByText('Gespeichert (Kx7…)')).toBeVisible();
  await first.close();
  const text = (file: string) => readFile(join(dataDir, file), 'utf8');
  const ciphertext = (JSON.parse(await text('secrets.json')) as { records: Record<string, { ciphertextB64: string }> }).records;
  const needles = Object.values(ciphertext).map((r) => r.ciphertextB64);
  expect(needles).toHaveLength(1);

  const { page } = await openHost({ locale: 'de', dataDir });
  expect(await text('secrets.bak.json')).toContain(needles[0]);
  await profileList(page, 'Absender')
    .getByRole('button', { name: /Bestellungen/ })
    .click();
  await toolbarButton(page, 'Löschen').click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Löschen' }).click();
  await expect(page.getByRole('heading', { name: 'Legen Sie Ihren ersten Absender an' })).toBeVisible();
  for (const file of await readdir(dataDir)) {
    const content = await text(file);
    expect(content, file).not.toContain('clientSecret:');
    expect(content, file).not.toContain(needles[0]);
    expect(content, file).not.toContain(CLIENT_ID);
  }

  // Both store files damaged: the restore from the backups has neither the profile nor its secret.
  await writeFile(join(dataDir, 'profiles.json'), '{"profiles": {');
  await writeFile(join(dataDir, 'secrets.json'), '');
  const restored = await openHost({ locale: 'de', dataDir });
  await expect(restored.page.locator('[data-storage="restored-from-backup"]')).toHaveCount(2);
  await expect(restored.page.getByRole('heading', { name: 'Legen Sie Ihren ersten Absender an' })).toBeVisible();
  expect(await text('secrets.json')).not.toContain('clientSecret:');
});

test('unsaved changes: leaving asks save / discard / cancel (en)', async ({ openHost }) => {
  const { page } = await openHost({ locale: 'en' });
  await fillClientSecretProfile(page, 'en', 'Orders');
  await toolbarButton(page, 'Save').click();
  await expect(page.getByRole('status')).toBeVisible();
  await field(page, 'Profile name').fill('Orders (edited)');
  await expect(page.getByText('Unsaved')).toBeVisible();
  const dialog = page.getByRole('alertdialog', { name: 'Save changes?' });

  await toolbarButton(page, 'New').click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(field(page, 'Profile name')).toHaveValue('Orders (edited)');

  await toolbarButton(page, 'New').click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'New sender profile' })).toBeVisible();
  await expect(profileList(page, 'Sender profiles').getByRole('button', { name: /Orders \(edited\)/ })).toBeVisible();

  await field(page, 'Profile name').fill('Throwaway');
  await profileList(page, 'Sender profiles')
    .getByRole('button', { name: /Orders \(edited\)/ })
    .click();
  await dialog.getByRole('button', { name: 'Discard' }).click();
  await expect(field(page, 'Profile name')).toHaveValue('Orders (edited)');
  await expect(profileList(page, 'Sender profiles').getByRole('button')).toHaveCount(1);
});

// SS-3: the warning, and storage only after the opt-in.
test('basic_text: a secret is stored only after the admin explicitly accepts the risk (de)', async ({ openHost }, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  const { page } = await openHost({ locale: 'de', dataDir, cipher: new AesGcmCipher(undefined, 'basic_text') });
  await fillClientSecretProfile(page, 'de');
  await toolbarButton(page, 'Speichern').click();
  const dialog = page.getByRole('alertdialog', { name: 'Ohne Verschlüsselung des Betriebssystems speichern?' });
  await expect(dialog).toContainText('basic_text');
  await page.screenshot({ path: screenshotPath('mask-basic-text-dialog-de') });
  await dialog.getByRole('button', { name: 'Abbrechen' }).click();
  await expect(page.getByRole('alert')).toContainText('keine echte Verschlüsselung');
  await expect(field(page, 'Bezeichnung')).toHaveValue('Bestellungen'); // the edit stays
  await expect(readFile(join(dataDir, 'secrets.json'), 'utf8')).rejects.toThrow();

  await toolbarButton(page, 'Speichern').click();
  await dialog.getByRole('button', { name: 'Risiko akzeptieren und speichern' }).click();
  await expect(page.getByText('Gespeichert (Kx7…)')).toBeVisible();
  await expect(page.getByText(/ohne Schutz durch das Betriebssystem gespeichert \(Backend basic_text\)/)).toBeVisible();
  expect(await scanForCanary(CANARY, { dataDir })).toEqual([]);
});

// DS-4: the edit stays, the stored profile is intact.
test('a failed save (disk full) keeps the edit in the mask, says why, and leaves the stored profile intact (de)', async ({
  openHost,
}, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  let diskFull = false;
  const { page } = await openHost({
    locale: 'de',
    dataDir,
    failWrite: (store) =>
      diskFull && store === 'profiles'
        ? Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
        : undefined,
  });
  await fillClientSecretProfile(page, 'de');
  await toolbarButton(page, 'Speichern').click();
  await expect(page.getByRole('status')).toBeVisible();
  const stored = await storedProfilesText(dataDir);

  diskFull = true;
  await field(page, 'Bezeichnung').fill('Bestellungen (neu)');
  await toolbarButton(page, 'Speichern').click();
  await expect(page.getByRole('alert')).toContainText(
    'Speichern fehlgeschlagen (Datenträger voll). Der zuletzt gespeicherte Stand ist unverändert.',
  );
  await expect(field(page, 'Bezeichnung')).toHaveValue('Bestellungen (neu)');
  await expect(page.locator('[data-part="mask-header"]').getByText('Nicht gespeichert')).toBeVisible(); // the dirty marker
  expect(await storedProfilesText(dataDir)).toBe(stored);
  expect((await readdir(dataDir)).filter((f) => f.includes('.tmp-'))).toEqual([]);

  diskFull = false;
  await toolbarButton(page, 'Speichern').click();
  await expect(page.getByRole('status')).toHaveText('„Bestellungen (neu)“ wurde gespeichert.');
});

// DS-8: the stale save overwrites nothing.
test('two windows on the same data: the stale save is refused, nothing is overwritten (en)', async ({ openHost }, testInfo) => {
  const dataDir = testInfo.outputPath('data');
  const a = await openHost({ locale: 'en', dataDir });
  await fillClientSecretProfile(a.page, 'en', 'Orders');
  await toolbarButton(a.page, 'Save').click();
  await expect(a.page.getByRole('status')).toBeVisible();
  const b = await openHost({ locale: 'en', dataDir });
  await expect(field(b.page, 'Profile name')).toHaveValue('Orders');

  await field(a.page, 'Profile name').fill('Orders A');
  await toolbarButton(a.page, 'Save').click();
  await expect(a.page.getByRole('status')).toHaveText('“Orders A” was saved.');

  await field(b.page, 'Profile name').fill('Orders B');
  await toolbarButton(b.page, 'Save').click();
  await expect(b.page.getByRole('alert')).toContainText('was changed elsewhere in the meantime');
  await expect(field(b.page, 'Profile name')).toHaveValue('Orders B'); // B's edit is not lost either
  expect(await storedProfilesText(dataDir)).toContain('"Orders A"');
});
