import type { Locator, Page } from '@playwright/test';
import { DEMO } from './emulator';
import { expect, probesOf, screenshotPath, test } from './fixtures';
import {
  axeViolations,
  createClientSecretProfile,
  createModernAuthProfile,
  field,
  LABELS,
  profileList,
  SIGN_IN_METHOD_LABELS,
  testStep,
  toolbarButton,
} from './support/mask';

// Issue 15: the setup assistant per profile and account type, and the restriction with RBAC for Applications.

const SAMPLE = {
  name: "Kasse O'Brien",
  sender: "o'brien@contoso.com",
  clientId: '3f2a9c4e-7b1d-4e8a-9c6f-2d5e8a1b7c30',
  tenant: 'contoso.onmicrosoft.com',
  objectId: '9d4c1b2a-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  control: 'ceo@contoso.com',
};
/** The script for SAMPLE, written out by hand: every apostrophe doubled, the filter quoted twice over. */
const SAMPLE_SCRIPT = [
  'Connect-ExchangeOnline',
  `New-ServicePrincipal -AppId '${SAMPLE.clientId}' -ObjectId '${SAMPLE.objectId}' -DisplayName 'Kasse O''Brien'`,
  `New-ManagementScope -Name 'Absender o''brien@contoso.com' -RecipientRestrictionFilter "PrimarySmtpAddress -eq 'o''brien@contoso.com'"`,
  `New-ManagementRoleAssignment -App '${SAMPLE.clientId}' -Role 'Application Mail.Send' -CustomResourceScope 'Absender o''brien@contoso.com'`,
  `Test-ServicePrincipalAuthorization -Identity '${SAMPLE.clientId}' -Resource 'o''brien@contoso.com'`,
  `Test-ServicePrincipalAuthorization -Identity '${SAMPLE.clientId}' -Resource 'ceo@contoso.com'`,
];
const NATIVE_CLIENT = 'https://login.microsoftonline.com/common/oauth2/nativeclient';

const T = {
  de: {
    title: 'Einrichtungsassistent',
    open: (n: number) => `${n} Schritte offen`,
    done: 'Eingerichtet',
    expand: 'Anzeigen',
    consentRequired: 'Administratorzustimmung erforderlich',
    consentOptional: 'Administratorzustimmung nur bei Bedarf',
    openConsent: 'Zustimmungsseite im Browser öffnen',
    objectId: 'Objekt-ID (Unternehmensanwendung)',
    control: 'Kontrollpostfach',
    markDone: 'Befehle ausgeführt',
    pending: /Beschränkung ausstehend seit \d/,
    probe: 'Beschränkung jetzt prüfen',
    verified: 'Beschränkung bestätigt',
    legacy: 'Ältere Einrichtungen (vor RBAC für Anwendungen): Anwendungszugriffsrichtlinie (veraltet)',
    platform: 'Plattform „Mobile Anwendungen und Desktopanwendungen“',
    tenantWide: 'gilt weiter für jedes Postfach',
    test: 'Verbindung testen',
    list: 'Absender',
    placeholders: 'Ersetzen Sie die Platzhalter in <…>',
  },
  en: {
    title: 'Setup assistant',
    open: (n: number) => `${n} steps open`,
    done: 'Set up',
    expand: 'Show',
    consentRequired: 'Admin consent required',
    consentOptional: 'Admin consent only if needed',
    openConsent: 'Open consent page in browser',
    objectId: 'Object ID (enterprise application)',
    control: 'Control mailbox',
    markDone: 'Commands run',
    pending: /Restriction pending since \d/,
    probe: 'Check restriction now',
    verified: 'Restriction confirmed',
    legacy: 'Older setups (before RBAC for Applications): Application Access Policy (legacy)',
    platform: 'Platform "Mobile and desktop applications"',
    tenantWide: 'still grants every mailbox',
    test: 'Test connection',
    list: 'Sender profiles',
    placeholders: 'Replace the placeholders in <…>',
  },
} as const;

const assistant = (page: Page) => page.locator('[aria-labelledby="setup-title"]');
const stepOf = (page: Page, id: string) => assistant(page).locator(`[data-setup-step="${id}"]`);
const listBadge = (page: Page, locale: 'de' | 'en', name: RegExp) =>
  profileList(page, T[locale].list).getByRole('button', { name }).locator('[data-badge="setup"]');

const attributes = async (locator: Locator, name: string): Promise<(string | null)[]> =>
  Promise.all((await locator.all()).map((l) => l.getAttribute(name)));

/** The assistant at 1280×800 as the admin sees it, scrolled to `target`. */
async function shot(page: Page, target: string, name: string): Promise<void> {
  await page.locator(target).first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath(name), animations: 'disabled' });
}

for (const locale of ['de', 'en'] as const) {
  const t = T[locale];

  test(`client secret: the profile's steps, consent URL and RBAC script; ticks survive a restart (${locale})`, async ({
    openHost,
  }, testInfo) => {
    const dataDir = testInfo.outputPath('data');
    const host = await openHost({ locale, dataDir });
    const { page } = host;
    await createClientSecretProfile(page, locale, {
      name: SAMPLE.name,
      sender: SAMPLE.sender,
      clientId: SAMPLE.clientId,
      tenant: SAMPLE.tenant,
      secret: 'Qw8~sample.Setup-Assistant_value123',
    });
    await expect(assistant(page)).toHaveAttribute('data-setup', 'open');
    await expect(assistant(page).getByRole('heading', { name: t.title })).toBeVisible();
    const ids = await attributes(assistant(page).locator('[data-setup-step]'), 'data-setup-step');
    expect(ids).toEqual(['mailbox', 'app-registration', 'api-permissions', 'admin-consent', 'client-secret', 'restriction']);
    await expect(stepOf(page, 'mailbox').locator('[data-copy="senderAddress"] code')).toHaveText(SAMPLE.sender);
    // No redirect URI for app-only sign-in; application permissions; consent required, URL for this tenant and app.
    await expect(assistant(page).locator('[data-copy="redirectUri"]')).toHaveCount(0);
    const perms = await attributes(stepOf(page, 'api-permissions').locator('[data-permission]'), 'data-permission');
    expect(perms).toEqual(['application:Mail.Send', 'application:Mail.ReadWrite']);
    const consentUrl = `https://login.microsoftonline.com/${SAMPLE.tenant}/adminconsent?client_id=${SAMPLE.clientId}`;
    await expect(stepOf(page, 'admin-consent').locator('[data-copy="consentUrl"] code')).toHaveText(consentUrl);
    await expect(stepOf(page, 'admin-consent').getByText(t.consentRequired)).toBeVisible();
    await stepOf(page, 'admin-consent').getByRole('button', { name: t.openConsent }).click();
    await expect.poll(() => probesOf(host).openedUrls.at(-1)).toBe(consentUrl);
    await expect(listBadge(page, locale, /Kasse/)).toHaveText(t.open(6));

    // The restriction: placeholders until both values are in, then the exact script.
    const restriction = stepOf(page, 'restriction');
    await expect(restriction.getByText(t.tenantWide)).toBeVisible();
    await expect(restriction.getByText(t.placeholders)).toBeVisible();
    await restriction.getByRole('textbox', { name: t.objectId }).fill(SAMPLE.objectId);
    await restriction.getByRole('textbox', { name: t.control }).fill(SAMPLE.control);
    await restriction.getByRole('textbox', { name: t.control }).blur();
    await expect(restriction.getByText(t.placeholders)).toBeHidden();
    const script = restriction.locator('pre[data-script="rbac"]');
    // One block per command: compared line by line, as PowerShell will read them.
    await expect(script.locator('span')).toHaveText(SAMPLE_SCRIPT);
    expect((await script.innerText()).split('\n')).toEqual(SAMPLE_SCRIPT);
    // Copied exactly as shown (through main, which only redacts secrets).
    await restriction.locator('pre[data-script="rbac"] + button').click();
    await expect.poll(() => probesOf(host).clipboard.at(-1)).toBe(SAMPLE_SCRIPT.join('\n'));
    // The legacy commands only behind "older setups".
    await expect(restriction.locator('pre[data-script="legacy"]')).toHaveCount(0);
    await restriction.getByRole('button', { name: t.legacy }).click();
    await expect(restriction.locator('pre[data-script="legacy"]')).toContainText(
      `New-ApplicationAccessPolicy -AppId '${SAMPLE.clientId}' -PolicyScopeGroupId 'o''brien@contoso.com' -AccessRight RestrictAccess`,
    );
    await expect(restriction.locator('pre[data-script="legacy"]')).toContainText(
      `Test-ApplicationAccessPolicy -Identity 'o''brien@contoso.com' -AppId '${SAMPLE.clientId}'`,
    );

    await stepOf(page, 'mailbox').getByRole('checkbox').check();
    await stepOf(page, 'app-registration').getByRole('checkbox').check();
    await expect(listBadge(page, locale, /Kasse/)).toHaveText(t.open(4));
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, '[data-setup-step="api-permissions"]', `setup-secret-steps-${locale}-${testInfo.project.name}`);
    await shot(page, 'pre[data-script="rbac"]', `setup-secret-rbac-${locale}-${testInfo.project.name}`);
    await host.close();

    const again = await openHost({ locale, dataDir });
    await expect(profileList(again.page, t.list).getByRole('button', { name: /Kasse/ })).toBeVisible();
    await expect(stepOf(again.page, 'mailbox').getByRole('checkbox')).toBeChecked();
    await expect(stepOf(again.page, 'app-registration').getByRole('checkbox')).toBeChecked();
    await expect(stepOf(again.page, 'api-permissions').getByRole('checkbox')).not.toBeChecked();
    await expect(listBadge(again.page, locale, /Kasse/)).toHaveText(t.open(4));
    await expect(stepOf(again.page, 'restriction').getByRole('textbox', { name: t.objectId })).toHaveValue(SAMPLE.objectId);
    await expect(stepOf(again.page, 'restriction').locator('pre[data-script="rbac"] span')).toHaveText(SAMPLE_SCRIPT);
  });

  test(`Modern Authentication: the redirect URI of the sign-in method, delegated permissions, consent optional (${locale})`, async ({
    openHost,
  }, testInfo) => {
    const { page } = await openHost({ locale });
    await createModernAuthProfile(page, locale, {
      sender: 'lager@contoso.com',
      clientId: SAMPLE.clientId,
      tenant: SAMPLE.tenant,
    });
    const ids = await attributes(assistant(page).locator('[data-setup-step]'), 'data-setup-step');
    expect(ids).toEqual(['mailbox', 'app-registration', 'platform', 'api-permissions', 'admin-consent']);
    await expect(stepOf(page, 'platform')).toContainText(t.platform);
    await expect(stepOf(page, 'platform').locator('[data-copy="redirectUri"] code')).toHaveText([NATIVE_CLIENT]);
    const perms = await attributes(stepOf(page, 'api-permissions').locator('[data-permission]'), 'data-permission');
    expect(perms).toEqual(['delegated:Mail.Send', 'delegated:offline_access', 'delegated:User.Read']);
    await expect(stepOf(page, 'admin-consent').getByText(t.consentOptional)).toBeVisible();
    await expect(stepOf(page, 'admin-consent').locator('[data-copy="consentUrl"] code')).toHaveText(
      `https://login.microsoftonline.com/${SAMPLE.tenant}/adminconsent?client_id=${SAMPLE.clientId}`,
    );
    await expect(assistant(page).locator('[data-setup-step="client-secret"], [data-setup-step="restriction"]')).toHaveCount(0);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, '[data-setup-step="platform"]', `setup-modern-auth-${locale}-${testInfo.project.name}`);

    // The system browser signs in through the loopback URI: the assistant names that one instead.
    await page.getByRole('radio', { name: SIGN_IN_METHOD_LABELS[locale]['system-browser'] }).check();
    await toolbarButton(page, LABELS[locale].save).click();
    await expect(stepOf(page, 'platform').locator('[data-copy="redirectUri"] code')).toHaveText(['http://localhost']);
  });

  test(`certificate profile in US Government (GCC High): the upload step, the cloud's consent URL and Exchange environment (${locale})`, async ({
    openHost,
  }, testInfo) => {
    const { page } = await openHost({ locale });
    const l = LABELS[locale];
    await toolbarButton(page, l.new).click();
    await page
      .getByRole('radio', { name: locale === 'de' ? 'Exchange Online (mit Zertifikat)' : 'Exchange Online (with certificate)' })
      .check();
    await field(page, l.name).fill(SAMPLE.name);
    await field(page, l.sender).fill(SAMPLE.sender);
    await field(page, l.mailbox).fill(SAMPLE.sender);
    await field(page, l.clientId).fill(SAMPLE.clientId);
    await field(page, l.tenant).fill(SAMPLE.tenant);
    const cloud = page.getByRole('combobox', { name: locale === 'de' ? 'Cloudumgebung' : 'Cloud' });
    await cloud.click();
    await page.getByRole('option', { name: 'US Government (GCC High)' }).click();
    await toolbarButton(page, l.save).click();
    await expect(assistant(page)).toHaveAttribute('data-setup', 'open');
    // The certificate's upload replaces the secret's step; app-only, so no redirect URI and the restriction follows.
    const ids = await attributes(assistant(page).locator('[data-setup-step]'), 'data-setup-step');
    expect(ids).toEqual(['mailbox', 'app-registration', 'api-permissions', 'admin-consent', 'certificate', 'restriction']);
    await expect(assistant(page).locator('[data-copy="redirectUri"]')).toHaveCount(0);
    const perms = await attributes(stepOf(page, 'api-permissions').locator('[data-permission]'), 'data-permission');
    expect(perms).toEqual(['application:Mail.Send', 'application:Mail.ReadWrite']);
    // The consent URL and the PowerShell connect to the profile's cloud, never the worldwide one.
    await expect(stepOf(page, 'admin-consent').locator('[data-copy="consentUrl"] code')).toHaveText(
      `https://login.microsoftonline.us/${SAMPLE.tenant}/adminconsent?client_id=${SAMPLE.clientId}`,
    );
    await stepOf(page, 'restriction').getByRole('textbox', { name: t.objectId }).fill(SAMPLE.objectId);
    await stepOf(page, 'restriction').getByRole('textbox', { name: t.control }).fill(SAMPLE.control);
    await expect(stepOf(page, 'restriction').locator('pre[data-script="rbac"] span').first()).toHaveText(
      'Connect-ExchangeOnline -ExchangeEnvironmentName O365USGovGCCHigh',
    );
    await shot(page, '[data-setup-step="certificate"]', `setup-certificate-usgov-${locale}-${testInfo.project.name}`);
  });

  test(`done after the first successful test; restriction pending, the probe offered after 30 minutes (${locale})`, async ({
    openHost,
  }, testInfo) => {
    const host = await openHost({ locale, withEmulator: true });
    const { page } = host;
    const app = DEMO.confidentialApp;
    await createClientSecretProfile(page, locale, {
      sender: DEMO.sender.upn,
      clientId: app.clientId,
      tenant: DEMO.tenantId,
      secret: app.secretValue,
    });
    await expect(assistant(page)).toHaveAttribute('data-setup', 'open');
    await toolbarButton(page, t.test).click();
    await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'ok');
    await expect(testStep(page, 'probe')).not.toHaveAttribute('data-status', /pending|running/);
    await expect(toolbarButton(page, t.test)).toBeEnabled();
    await expect(assistant(page)).toHaveAttribute('data-setup', 'done');
    await expect(assistant(page).locator('[data-setup-state="done"]')).toHaveText(t.done);
    await expect(assistant(page).locator('[data-setup-step]')).toHaveCount(0);
    await expect(listBadge(page, locale, /Bestellungen/)).toHaveCount(0);
    await shot(page, '[aria-labelledby="setup-title"]', `setup-done-${locale}-${testInfo.project.name}`);

    // "Commands run" 31 minutes ago on the core's clock: pending since then, the probe offered now.
    await assistant(page).getByRole('button', { name: t.expand }).click();
    const restriction = stepOf(page, 'restriction');
    await restriction.getByRole('textbox', { name: t.control }).fill(DEMO.otherMailbox.upn);
    await restriction.getByRole('textbox', { name: t.control }).blur();
    const keepAlive = probesOf(host).keepAlive;
    keepAlive.advanceClock(-31 * 60_000);
    await restriction.getByRole('button', { name: t.markDone }).click();
    await expect(listBadge(page, locale, /Bestellungen/)).toHaveText(t.pending);
    keepAlive.advanceClock(31 * 60_000);
    await expect(restriction.locator('[data-restriction-due]')).toHaveAttribute('data-restriction-due', '30m');
    await shot(page, '[data-restriction-due]', `setup-restriction-pending-${locale}-${testInfo.project.name}`);
    await restriction.getByRole('button', { name: t.probe }).click();
    await expect(testStep(page, 'probe')).toHaveAttribute('data-status', 'ok');
    await expect(restriction.getByText(t.verified)).toBeVisible();
    await expect(listBadge(page, locale, /Bestellungen/)).toHaveCount(0);
    await expect(field(page, LABELS[locale].sender)).toHaveValue(DEMO.sender.upn);
  });
}
