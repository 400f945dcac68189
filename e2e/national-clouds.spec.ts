import type { Page } from '@playwright/test';
import { DEMO } from './emulator';
import { expect, probesOf, screenshotPath, test } from './fixtures';
import {
  axeViolations,
  createClientSecretProfile,
  createModernAuthProfile,
  LABELS,
  signInOnPage,
  testStep,
  toolbarButton,
} from './support/mask';

// The emulator's second cloud stands for US Government (GCC High): its own login and Graph hosts and the
// tenant Contoso Government, which the global hosts do not serve (and which knows no global tenant).
const gov = DEMO.usGov;
const values = {
  sender: gov.sender.upn,
  clientId: gov.confidentialApp.clientId,
  tenant: gov.tenantId,
  secret: gov.confidentialApp.secretValue,
};

/** Scrolls a test step into view for the 1280×800 screenshot (a string: the node-side typings have no DOM). */
const centerStep = (page: Page, id: string, block: 'center' | 'end') =>
  page.evaluate<undefined>(`document.querySelector('[data-step="${id}"]').scrollIntoView({ block: '${block}' })`);

const TEXT = {
  de: {
    cloud: 'Cloudumgebung',
    usgov: 'US Government (GCC High)',
    test: 'Verbindung testen',
    mismatchTitle: 'Der Mandant liegt in einer anderen Cloud als das Profil',
    mismatchAdvice: `Der Mandant „${gov.tenantId}“ gehört zur Cloud US Government (GCC High), das Profil ist auf Global eingestellt`,
    tokenOk: 'Zugriffstoken für Microsoft Graph erhalten.',
    messageTo: 'Testnachricht senden an',
    recipient: 'Empfänger der Testnachricht',
    panel: 'Verbindungstest',
  },
  en: {
    cloud: 'Cloud',
    usgov: 'US Government (GCC High)',
    test: 'Test connection',
    mismatchTitle: 'The tenant is in another cloud than the profile',
    mismatchAdvice: `The tenant "${gov.tenantId}" belongs to the cloud US Government (GCC High), the profile is set to Global`,
    tokenOk: 'Access token for Microsoft Graph acquired.',
    messageTo: 'Send a test message to',
    recipient: 'Test message recipient',
    panel: 'Connection test',
  },
} as const;

for (const locale of ['de', 'en'] as const) {
  test(`national cloud (${locale}): a GCC High tenant on the global cloud is explained; switched to US Government the test passes`, async ({
    openHost,
    emulator,
  }, testInfo) => {
    const x = TEXT[locale];
    const { page } = await openHost({ locale, withEmulator: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await createClientSecretProfile(page, locale, values);
    const cloud = page.getByRole('combobox', { name: x.cloud });
    await expect(cloud).toHaveText('Global');

    // (1) The profile still says "Global": Entra's global instance refuses the GCC High tenant (AADSTS900382).
    await toolbarButton(page, x.test).click();
    await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'failed');
    await expect(testStep(page, 'token')).toContainText(x.mismatchTitle);
    await expect(testStep(page, 'token')).toContainText(x.mismatchAdvice);
    await expect(testStep(page, 'token')).toContainText('AADSTS900382');
    await centerStep(page, 'token', 'center');
    await page.screenshot({ path: screenshotPath(`national-clouds-mismatch-${locale}-${testInfo.project.name}`) });
    expect(emulator.sentMessages()).toEqual([]);

    // (2) Switch the cloud: the same profile (secret kept) signs in at the US Government host and sends.
    await cloud.click();
    await page.getByRole('option', { name: x.usgov }).click();
    await expect(cloud).toHaveText(x.usgov);
    await toolbarButton(page, LABELS[locale].save).click();
    await expect(page.getByRole('status')).toBeVisible();
    emulator.clearRequests();
    const panel = page.getByRole('region', { name: x.panel }).or(page.locator('[aria-labelledby="test-title"]'));
    await panel.getByRole('checkbox', { name: x.messageTo }).check();
    await panel.getByRole('textbox', { name: x.recipient }).fill('einkauf@lieferant.example');
    await toolbarButton(page, x.test).click();
    await expect(testStep(page, 'send')).toHaveAttribute('data-status', 'ok');
    await expect(testStep(page, 'token')).toContainText(x.tokenOk);
    await expect(testStep(page, 'login')).toContainText(new URL(emulator.secondCloud.authorityHost).host);
    expect(emulator.sentMessages().map((m) => [m.sender, m.toRecipients[0]?.address])).toEqual([
      [gov.sender.upn, 'einkauf@lieferant.example'],
    ]);
    const origins = new Set(emulator.requests().map((r) => r.origin));
    expect([...origins].sort()).toEqual([emulator.secondCloud.authorityHost, emulator.secondCloud.graphRoot].sort());
    expect(await axeViolations(page)).toEqual([]);
    await centerStep(page, 'token', 'end');
    await page.screenshot({ path: screenshotPath(`national-clouds-ok-${locale}-${testInfo.project.name}`) });
  });
}

test('national cloud (de): Modern Authentication signs in on the US Government page; a cloud change asks and ends the sign-in', async ({
  openHost,
  emulator,
}, testInfo) => {
  const host = await openHost({ locale: 'de', withEmulator: true });
  const { page } = host;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await createModernAuthProfile(page, 'de', { sender: gov.sender.upn, clientId: gov.publicApp.clientId, tenant: gov.tenantId });
  const cloud = page.getByRole('combobox', { name: 'Cloudumgebung' });
  await cloud.click();
  await page.getByRole('option', { name: 'US Government (GCC High)' }).click();
  await toolbarButton(page, 'Speichern').click();
  // No sign-in yet: nothing to lose, no question.
  await expect(page.getByRole('status')).toHaveText(/gespeichert/);
  // The redirect URI to register is the US Government one.
  // The sign-in section's URI (the setup assistant lists the same one).
  await expect(page.locator('[data-part="redirect-uri"]')).toHaveText(
    'https://login.microsoftonline.us/common/oauth2/nativeclient',
  );

  await toolbarButton(page, 'Authentifizieren').click();
  const signInPage = await probesOf(host).signIn.nextPage();
  await signInPage.locator('input[name="loginfmt"]').waitFor();
  expect(new URL(signInPage.url()).origin).toBe(emulator.secondCloud.authorityHost);
  await signInOnPage(signInPage, gov.sender.upn, gov.sender.password);
  await expect(page.locator('[data-signin="signed-in"]')).toHaveText(`Angemeldet als ${gov.sender.upn}.`);
  await page.getByRole('checkbox', { name: 'Testnachricht senden an' }).check();
  await toolbarButton(page, 'Verbindung testen').click();
  await expect(testStep(page, 'send')).toHaveAttribute('data-status', 'ok');
  expect(emulator.sentMessages().map((m) => m.sender)).toEqual([gov.sender.upn]);

  // Back to Global: the refresh token belongs to the US Government cloud, so the mask asks first.
  await cloud.click();
  await page.getByRole('option', { name: 'Global', exact: true }).click();
  await toolbarButton(page, 'Speichern').click();
  const dialog = page.getByRole('alertdialog', { name: 'Cloud wechseln und Anmeldung beenden?' });
  await expect(dialog).toContainText(`ist als ${gov.sender.upn} angemeldet`);
  await expect(dialog).toHaveCSS('opacity', '1'); // the screenshot shows the settled dialog, not its fade-in
  await page.screenshot({ path: screenshotPath(`national-clouds-change-de-${testInfo.project.name}`) });
  await dialog.getByRole('button', { name: 'Abbrechen' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('[data-signin="signed-in"]')).toBeVisible(); // cancelled: nothing saved
  await toolbarButton(page, 'Speichern').click();
  await dialog.getByRole('button', { name: 'Cloud wechseln' }).click();
  await expect(page.getByRole('status')).toHaveText(/gespeichert/);
  await expect(page.getByText('Nicht angemeldet – klicken Sie auf „Authentifizieren“.')).toBeVisible();
  await expect(cloud).toHaveText('Global');
});
