import { DEMO } from './emulator';
import { expect, probesOf, screenshotPath, test } from './fixtures';
import {
  LABELS,
  createClientSecretProfile,
  createModernAuthProfile,
  field,
  fullScreenshot,
  signInOnPage,
  testStep,
  toolbarButton,
} from './support/mask';

// Issue 15: the mask's "Verlauf"/"History" shows edits, a secret renewal, tests and a sign-in; a secret change is
// recorded as a fact, never its value.
const app = DEMO.confidentialApp;
const T = {
  de: {
    history: 'Verlauf',
    created: 'Profil angelegt',
    edited: 'Geändert: Bezeichnung',
    replaced: 'Geheimer Clientschlüssel ersetzt',
    renewed: 'Geheimer Clientschlüssel erneuert (vor dem Speichern getestet)',
    testFailed: 'Test fehlgeschlagen bei Schritt „Token erhalten“',
    testOk: /^Test (OK|mit Warnung)$/,
    signedIn: `Angemeldet als ${DEMO.sender.upn}`,
    replace: 'Ersetzen',
    renew: 'Neuen Wert testen und übernehmen',
    test: 'Verbindung testen',
    authenticate: 'Authentifizieren',
  },
  en: {
    history: 'History',
    created: 'Profile created',
    edited: 'Changed: Profile name',
    replaced: 'Client secret replaced',
    renewed: 'Client secret renewed (tested before it was stored)',
    testFailed: 'Test failed at step “Token acquired”',
    testOk: /^Test (OK|with warning)$/,
    signedIn: `Signed in as ${DEMO.sender.upn}`,
    replace: 'Replace',
    renew: 'Test the new value and switch',
    test: 'Test connection',
    authenticate: 'Authenticate',
  },
} as const;

for (const locale of ['de', 'en'] as const) {
  const L = T[locale];
  test(`history: edits, a failed test, a renewal and a sign-in, newest first (${locale})`, async ({ openHost }) => {
    test.setTimeout(120_000);
    const host = await openHost({ locale, withEmulator: true });
    const { page } = host;
    await page.setViewportSize({ width: 1280, height: 800 });
    const entries = page.locator('[data-history]');
    const texts = async (): Promise<string[]> =>
      (await entries.allInnerTexts()).map((t) => t.split('\n').filter(Boolean).at(-1) ?? '');

    // Created with a secret Entra no longer accepts, renamed, tested (fails at the token), then renewed.
    await createClientSecretProfile(page, locale, {
      name: 'Bestellungen',
      sender: DEMO.sender.upn,
      clientId: app.clientId,
      tenant: DEMO.tenantId,
      secret: app.expiredSecretValue,
    });
    await field(page, LABELS[locale].name).fill('Bestellungen Nord');
    await toolbarButton(page, LABELS[locale].save).click();
    await expect(page.getByRole('heading', { name: 'Bestellungen Nord' })).toBeVisible();
    await toolbarButton(page, L.test).click();
    await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'failed');
    await page.getByRole('button', { name: L.replace, exact: true }).click();
    await field(page, LABELS[locale].secret).fill(app.secretValue);
    await page.getByRole('button', { name: L.renew }).click();
    await expect(page.locator('[data-renew="done"]')).toBeVisible();
    await toolbarButton(page, L.test).click();
    await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'ok');
    await expect(testStep(page, 'mailbox')).not.toHaveAttribute('data-status', /pending|running/);

    await page.getByRole('button', { name: new RegExp(`^${L.history}`) }).click();
    await expect(entries.first()).toBeVisible();
    await expect.poll(async () => (await texts()).length).toBe(6);
    const [latest, ...earlier] = await texts();
    // Newest first: the test after the renewal, the renewal, the failed test, the rename, the first secret, the creation.
    expect(latest).toMatch(L.testOk);
    expect(earlier).toEqual([L.renewed, L.testFailed, L.edited, L.replaced, L.created]);
    const section = await page.locator('main').innerText();
    for (const value of [app.secretValue, app.expiredSecretValue]) expect(section).not.toContain(value);
    await fullScreenshot(page, screenshotPath(`history-secret-${locale}`));

    // A Modern Authentication profile: the sign-in with the emulator's demo user is recorded with the account.
    await createModernAuthProfile(page, locale, {
      name: 'Lager',
      sender: DEMO.sender.upn,
      clientId: DEMO.publicApp.clientId,
      tenant: DEMO.tenantId,
    });
    await toolbarButton(page, L.authenticate).click();
    const signInPage = await probesOf(host).signIn.nextPage();
    await signInOnPage(signInPage, DEMO.sender.upn, DEMO.sender.password);
    await expect(page.locator('[data-signin="signed-in"]')).toBeVisible();
    const header = page.getByRole('button', { name: new RegExp(`^${L.history}`) });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await expect.poll(texts).toEqual([L.signedIn, L.created]);
    await page.locator('[data-history]').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath(`history-sign-in-${locale}`), animations: 'disabled' });
    await host.close();
  });
}
