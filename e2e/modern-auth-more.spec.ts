import { DEMO } from './emulator';
import { expect, probesOf, screenshotPath, test } from './fixtures';
import { createModernAuthProfile, fullScreenshot, profileList, signInOnPage, testStep, toolbarButton } from './support/mask';

// The worker's emulator is shared by the tests it runs: every world change below is undone in `finally`.

const app = DEMO.publicApp;
const sender = DEMO.sender;
const profile = { sender: sender.upn, clientId: app.clientId, tenant: DEMO.tenantId };

test('consent page: the admin accepts the permissions and is signed in (de)', async ({ openHost, emulator }, testInfo) => {
  const host = await openHost({ locale: 'de', withEmulator: true });
  const { page } = host;
  await createModernAuthProfile(page, 'de', { ...profile, clientId: DEMO.publicAppNoConsent.clientId });
  try {
    await toolbarButton(page, 'Authentifizieren').click();
    const signInPage = await probesOf(host).signIn.nextPage();
    await signInOnPage(signInPage, sender.upn, sender.password);
    await expect(signInPage.locator('#consentHeader')).toBeVisible();
    await expect(signInPage.locator('#scopes li').first()).toBeVisible();
    await signInPage.getByRole('button', { name: 'Akzeptieren' }).click();
    await expect(page.locator('[data-signin="signed-in"]')).toHaveText(`Angemeldet als ${sender.upn}.`);
    await expect(page.locator('[data-part="account"]')).toContainText(sender.upn);
    await fullScreenshot(page, screenshotPath(`modern-auth-consent-accept-de-${testInfo.project.name}`));
  } finally {
    emulator.world.revokeUserConsents(DEMO.publicAppNoConsent.clientId);
  }
});

// OA-3: a wrong state sends no token request.
test('a reply with a tampered state is refused before any token request (en)', async ({ openHost, emulator }, testInfo) => {
  const host = await openHost({ locale: 'en', withEmulator: true });
  const { page } = host;
  await createModernAuthProfile(page, 'en', profile);
  await toolbarButton(page, 'Authenticate').click();
  const signInPage = await probesOf(host).signIn.nextPage();
  await expect(signInPage.locator('input[name="loginfmt"]')).toBeVisible();
  emulator.clearRequests();
  // What a forged or stale reply looks like: the right redirect URI, a code, but not this attempt's state.
  const forged = `${emulator.authorityHost}/common/oauth2/nativeclient?code=forged-code&state=not-the-state`;
  await signInPage.goto(forged).catch(() => undefined); // the window captures it; the navigation itself fails
  const failed = page.locator('[data-signin="failed"] [data-step="signIn"]');
  await expect(failed).toHaveAttribute('data-status', 'failed');
  await expect(failed).toContainText('does not match');
  await expect(failed.locator('[data-part="advice"]')).toContainText('Authenticate');
  expect(emulator.requests().filter((r) => r.path.endsWith('/token'))).toEqual([]);
  expect(emulator.requests().filter((r) => r.path.includes('nativeclient'))).toEqual([]);
  await expect(page.getByText('Not signed in – click “Authenticate”.')).toBeVisible();
  await fullScreenshot(page, screenshotPath(`modern-auth-state-tampered-en-${testInfo.project.name}`));
});

test('redirect URI not registered: Entra shows AADSTS50011, closing the window names the URI to add (de)', async ({
  openHost,
  emulator,
}, testInfo) => {
  const registration = emulator.world.appOrThrow(app.clientId);
  const registered = [...registration.redirectUris];
  // The app registration without the "Mobile and desktop applications" nativeclient URI.
  registration.redirectUris = registered.filter((uri) => !uri.endsWith('/common/oauth2/nativeclient'));
  try {
    const host = await openHost({ locale: 'de', withEmulator: true });
    const { page } = host;
    await createModernAuthProfile(page, 'de', profile);
    await toolbarButton(page, 'Authentifizieren').click();
    const signInPage = await probesOf(host).signIn.nextPage();
    await expect(signInPage.locator('#errorCode')).toContainText('AADSTS50011');
    await signInPage.close();
    const hint = page.locator('[data-signin="cancelled"]');
    await expect(hint).toContainText('AADSTS50011');
    await expect(hint).toContainText(`${emulator.authorityHost}/common/oauth2/nativeclient`);
    await fullScreenshot(page, screenshotPath(`modern-auth-redirect-uri-missing-de-${testInfo.project.name}`));
  } finally {
    registration.redirectUris = registered;
  }
});

test('grant revoked by the tenant (AADSTS50173): the test advises to sign in again (de)', async ({
  openHost,
  emulator,
}, testInfo) => {
  const host = await openHost({ locale: 'de', withEmulator: true });
  const { page } = host;
  await createModernAuthProfile(page, 'de', profile);
  await toolbarButton(page, 'Authentifizieren').click();
  await signInOnPage(await probesOf(host).signIn.nextPage(), sender.upn, sender.password);
  await expect(page.locator('[data-signin="signed-in"]')).toBeVisible();
  // As Revoke-MgUserSignInSession or a password reset: every refresh token issued before now stops working.
  emulator.world.revokeRefreshTokens(sender.upn);
  emulator.clearRequests();
  await toolbarButton(page, 'Verbindung testen').click();
  const token = testStep(page, 'token');
  await expect(token).toHaveAttribute('data-status', 'failed');
  await expect(token.locator('[data-part="facts"]')).toContainText('AADSTS50173');
  await expect(token).toContainText('Die Anmeldung wurde widerrufen');
  await expect(token.locator('[data-part="advice"]')).toContainText('„Authentifizieren“');
  // One redemption, no retry loop (OA-4).
  expect(emulator.requests().filter((r) => r.path.endsWith('/token'))).toHaveLength(1);
  await expect(profileList(page, 'Absender').locator('[data-badge="test"]')).toContainText('Test fehlgeschlagen');
  await fullScreenshot(page, screenshotPath(`modern-auth-revoked-de-${testInfo.project.name}`));
});

test('keep-alive: a background refresh that finds the session expired shows "Authentifizierung erforderlich" (de)', async ({
  openHost,
  emulator,
}, testInfo) => {
  const host = await openHost({ locale: 'de', withEmulator: true });
  const { page } = host;
  const probes = probesOf(host);
  await createModernAuthProfile(page, 'de', profile);
  await toolbarButton(page, 'Authentifizieren').click();
  await signInOnPage(await probes.signIn.nextPage(), sender.upn, sender.password);
  await expect(page.locator('[data-signin="signed-in"]')).toBeVisible();
  const list = profileList(page, 'Absender');

  // A week on, the keep-alive refreshes; the badge keeps counting from then.
  probes.keepAlive.advanceClock(7 * 86_400_000);
  emulator.clearRequests();
  await probes.keepAlive.runNextCheck();
  expect(emulator.requests().filter((r) => r.path.endsWith('/token'))).toHaveLength(1);
  await expect(list.locator('[data-badge="signin"]')).toHaveAttribute('data-state', 'ok');

  // The app was closed for 91 days: the first check after start finds Entra has dropped the session.
  emulator.advanceClock(91 * 86_400_000);
  probes.keepAlive.advanceClock(91 * 86_400_000);
  await probes.keepAlive.runNextCheck();
  await expect(list.locator('[data-badge="signin"]')).toHaveText('Authentifizierung erforderlich');
  const notice = page.locator('[data-signin="refresh-failed"]');
  await expect(notice).toContainText('AADSTS700082');
  await expect(notice).toContainText(`melden Sie sich mit ${sender.upn} neu an`);
  await fullScreenshot(page, screenshotPath(`modern-auth-keep-alive-failed-de-${testInfo.project.name}`));

  // Signing in again clears it.
  await toolbarButton(page, 'Authentifizieren').click();
  await signInOnPage(await probes.signIn.nextPage(), sender.upn, sender.password);
  await expect(page.locator('[data-signin="signed-in"]')).toBeVisible();
  await expect(list.locator('[data-badge="signin"]')).toHaveAttribute('data-state', 'ok');
  await expect(notice).toHaveCount(0);
});

test('80 days after the sign-in the test says so in words: "80 days ago", "in 10 days" (en)', async ({ openHost, emulator }) => {
  const host = await openHost({ locale: 'en', withEmulator: true });
  const { page } = host;
  const probes = probesOf(host);
  await createModernAuthProfile(page, 'en', profile);
  await toolbarButton(page, 'Authenticate').click();
  await signInOnPage(await probes.signIn.nextPage(), sender.upn, sender.password);
  await expect(page.locator('[data-signin="signed-in"]')).toBeVisible();

  // The core's clock decides the day count; Entra still holds the session (used within 90 days).
  emulator.advanceClock(80 * 86_400_000);
  probes.keepAlive.advanceClock(80 * 86_400_000);
  await toolbarButton(page, 'Test connection').click();
  const age = testStep(page, 'signInAge');
  await expect(age).toHaveAttribute('data-status', 'warning');
  await expect(age.locator('[data-part="message"]')).toHaveText(
    'Last sign-in 80 days ago – Microsoft may require a new sign-in in 10 days. Authenticate now so the nightly batch job keeps running.',
  );
});

// OA-1, OA-L3: the mask shows the URI to register; the browser signs in through the listener.
test('system browser: the mask shows http://localhost to register; sign-in in the browser, the app is signed in (en)', async ({
  openHost,
  emulator,
}, testInfo) => {
  const registration = emulator.world.appOrThrow(app.clientId);
  const registered = [...registration.redirectUris];
  registration.redirectUris = [...registered, 'http://localhost']; // "Mobile and desktop applications", as the hint says
  try {
    const host = await openHost({ locale: 'en', withEmulator: true });
    const { page } = host;
    const probes = probesOf(host);
    await createModernAuthProfile(page, 'en', { ...profile, signInMethod: 'system-browser' });
    await expect(page.getByRole('radio', { name: 'System browser' })).toBeChecked();
    await expect(page.locator('[data-part="redirect-uri"]')).toHaveText('http://localhost');
    await expect(page.getByText('as a custom redirect URI – without a port')).toBeVisible();

    await toolbarButton(page, 'Authenticate').click();
    const browserPage = await probes.systemBrowser.nextPage();
    await expect(page.locator('[data-signin="busy"]')).toContainText(`Sign in with ${sender.upn} in your browser`);
    expect(probes.signIn.pages()).toEqual([]); // no popup in this mode
    await signInOnPage(browserPage, sender.upn, sender.password);
    await expect(browserPage.getByText('You can close this browser window and return to Absender.')).toBeVisible();
    await expect(page.locator('[data-signin="signed-in"]')).toHaveText(`Signed in as ${sender.upn}.`);
    await expect(profileList(page, 'Sender profiles').locator('[data-badge="signin"]')).toHaveAttribute('data-state', 'ok');
    await expect(toolbarButton(page, 'Authenticate')).toBeEnabled();
    await fullScreenshot(page, screenshotPath(`modern-auth-system-browser-en-${testInfo.project.name}`));
    await browserPage.screenshot({ path: screenshotPath(`modern-auth-system-browser-done-en-${testInfo.project.name}`) });

    // The choice survives a reload of the list and switching back shows the popup's URI again.
    await page.getByRole('radio', { name: 'Sign-in window in Absender (default)' }).check();
    await toolbarButton(page, 'Save').click();
    await expect(page.locator('[data-part="redirect-uri"]')).toHaveText(
      'https://login.microsoftonline.com/common/oauth2/nativeclient',
    );
    await expect(page.locator('[data-part="account"]')).toContainText(sender.upn); // same account: still signed in
  } finally {
    registration.redirectUris = registered;
  }
});

// OA-9, OA-L1: a cancel ends the attempt and closes the listener.
test('cancel: the admin ends a system-browser sign-in without waiting for the timeout; the loopback listener closes (de)', async ({
  openHost,
  emulator,
}) => {
  const registration = emulator.world.appOrThrow(app.clientId);
  const registered = [...registration.redirectUris];
  registration.redirectUris = [...registered, 'http://localhost'];
  try {
    const host = await openHost({ locale: 'de', withEmulator: true });
    const { page } = host;
    const probes = probesOf(host);
    await createModernAuthProfile(page, 'de', { ...profile, signInMethod: 'system-browser' });
    await toolbarButton(page, 'Authentifizieren').click();
    const browserPage = await probes.systemBrowser.nextPage();
    const busy = page.locator('[data-signin="busy"]');
    await expect(busy).toBeVisible();
    await busy.getByRole('button', { name: 'Abbrechen' }).click();
    await expect(page.locator('[data-signin="cancelled"]')).toContainText('Anmeldung abgebrochen');
    await expect(toolbarButton(page, 'Authentifizieren')).toBeEnabled();
    // The browser page's redirect target (MSAL's listener on 127.0.0.1) no longer answers.
    const redirect = new URL(new URL(browserPage.url()).searchParams.get('redirect_uri') ?? '');
    const reachable = await fetch(`http://127.0.0.1:${redirect.port}/`).then(
      () => true,
      () => false,
    );
    expect(reachable).toBe(false);
  } finally {
    registration.redirectUris = registered;
  }
});
