import type { Locator, Page } from '@playwright/test';
import { DEMO } from './emulator';
import { expect, probesOf, screenshotPath, test } from './fixtures';
import { scanForCanary } from './support/canary';
import {
  axeViolations,
  createClientSecretProfile,
  createModernAuthProfile,
  field,
  testStep,
  toolbarButton,
} from './support/mask';

const app = DEMO.confidentialApp;
const base = { sender: DEMO.sender.upn, clientId: app.clientId, tenant: DEMO.tenantId, secret: app.secretValue };
const VIEWPORT = { width: 1280, height: 800 };

const T = {
  de: {
    test: 'Verbindung testen',
    authenticate: 'Authentifizieren',
    // The demo app is unrestricted: the token step's finding may make the outcome a warning.
    passed: /^Test (erfolgreich|mit Warnung: \S.*)$/,
    failed: 'Test fehlgeschlagen: Token erhalten',
    running: /^(Test läuft …|Test läuft: \S.*)$/,
    typed: '24.05.2028',
    month: 'Mai 2028',
    weekday: 'Mo',
    hints: 'Hinweise aus dem Handbuch',
    personal: /Melden Sie sich nie mit einem persönlichen Postfach an/,
    modernAuth: 'Exchange Online (Modern Authentication)',
    clientSecret: 'Exchange Online (mit geheimem Clientschlüssel)',
    askTitle: 'Kontotyp ändern?',
    cancel: 'Abbrechen',
    secretGoes: /gespeicherte geheime Clientschlüssel \(Kx7/,
    accountGoes: /die Anmeldung von/,
    saved: '„Bestellungen“ wurde gespeichert.',
    dismiss: 'Schließen',
    recipient: 'Empfänger der Testnachricht',
    probeMailbox: 'Postfach, das die App nicht erreichen darf',
    copyCorrelation: 'Correlation ID kopieren',
    stored: /Gespeichert \(/,
  },
  en: {
    test: 'Test connection',
    authenticate: 'Authenticate',
    passed: /^Test (passed|with warning: \S.*)$/,
    failed: 'Test failed: Token acquired',
    running: /^(Testing …|Test running: \S.*)$/,
    typed: '05/24/2028',
    month: 'May 2028',
    weekday: 'Mo',
    hints: 'Notes from the manual',
    personal: /Never sign in with a personal mailbox/,
    modernAuth: 'Exchange Online (Modern Authentication)',
    clientSecret: 'Exchange Online (with client secret)',
    askTitle: 'Change account type?',
    cancel: 'Cancel',
    secretGoes: /the stored client secret \(Kx7/,
    accountGoes: /the sign-in of/,
    saved: '“Bestellungen” was saved.',
    dismiss: 'Dismiss',
    recipient: 'Test message recipient',
    probeMailbox: 'Mailbox the app must not reach',
    copyCorrelation: 'Copy Correlation ID',
    stored: /Stored \(/,
  },
} as const;

/** Fully inside the 1280×800 window, not below the fold (and not hidden under the sticky header). */
async function expectInWindow(locator: Locator): Promise<void> {
  await expect(locator).toBeInViewport({ ratio: 1 });
}

/** Fluent's open animation has ended, so the screenshot shows the dialog, not its fade-in. */
async function settled(locator: Locator): Promise<void> {
  // A string, because the node-side typings have no DOM; it runs in the page.
  await locator.evaluate('(el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished))');
}

const header = (page: Page) => page.locator('[data-part="mask-header"]');

for (const locale of ['de', 'en'] as const) {
  const l = T[locale];

  test(`the answer in view: started from the toolbar, the running step and the outcome stand beside the title (${locale})`, async ({
    openHost,
    emulator,
  }, testInfo) => {
    const { page } = await openHost({ locale, withEmulator: true });
    await page.setViewportSize(VIEWPORT);
    await createClientSecretProfile(page, locale, base);
    // One place for each action: the card has no second "test" button.
    await expect(page.getByRole('main').getByRole('button', { name: l.test })).toHaveCount(0);
    // Graph answers slowly once, so the running state can be seen.
    emulator.setFault({ match: { host: 'graph', path: '/users/' }, action: { type: 'latency', ms: 2500 }, times: 1 });
    await toolbarButton(page, l.test).click();
    const summary = header(page).locator('[data-test-summary]');
    await expect(summary).toHaveAttribute('data-test-summary', 'running');
    await expect(summary).toContainText(l.running);
    await expectInWindow(header(page).getByRole('heading', { name: 'Bestellungen' }));
    await expectInWindow(summary);
    // The steps done so far come up below the title while the mailbox step waits for Graph.
    await expectInWindow(testStep(page, 'token'));
    await page.screenshot({ path: screenshotPath(`finish-running-${locale}-${testInfo.project.name}`) });

    await expect(summary).toHaveAttribute('data-test-summary', /^(ok|warning)$/);
    await expect(summary).toHaveText(l.passed);
    await expectInWindow(summary);
    await expectInWindow(header(page).getByRole('heading', { name: 'Bestellungen' }));
    for (const step of ['login', 'token', 'claims', 'mailbox']) await expectInWindow(testStep(page, step));
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath(`finish-done-${locale}-${testInfo.project.name}`) });
  });

  test(`the sticky mask header sits flush and opaque at the top of the scrolled mask (${locale})`, async ({
    openHost,
  }, testInfo) => {
    const { page } = await openHost({ locale });
    await page.setViewportSize(VIEWPORT);
    await createClientSecretProfile(page, locale, base);
    const main = page.getByRole('main');
    // Strings, because the node-side typings have no DOM; they run in the page.
    const scrolled = await page.evaluate(
      "(() => { const m = document.querySelector('main'); m.scrollTop = 400; return m.scrollTop; })()",
    );
    expect(scrolled).toBe(400);
    // Scrolled: the title stays in view, and the bar is the first thing under the toolbar, edge to edge.
    await expectInWindow(header(page).getByRole('heading', { name: 'Bestellungen' }));
    const [bar, area] = await Promise.all([header(page).boundingBox(), main.boundingBox()]);
    const innerWidth = await page.evaluate("document.querySelector('main').clientWidth");
    expect(bar).not.toBeNull();
    expect(area).not.toBeNull();
    if (!bar || !area) return;
    expect(bar.y).toBe(area.y);
    expect(bar.x).toBe(area.x);
    expect(bar.width).toBe(innerWidth);
    // The title starts at most a small gap below the bar's top (no empty band above it).
    const title = await header(page).getByRole('heading', { name: 'Bestellungen' }).boundingBox();
    expect((title?.y ?? 999) - bar.y).toBeLessThanOrEqual(16);
    // Nothing scrolled under the bar paints on top of it: every point of its top and bottom rows hits the bar.
    const hits = await page.evaluate<boolean[]>(
      `(() => { const bar = document.querySelector('[data-part="mask-header"]'); const r = bar.getBoundingClientRect();
        const out = []; for (const y of [r.top + 1, r.top + r.height / 2, r.bottom - 1]) for (let x = r.left + 1; x < r.right; x += 40)
          out.push(bar.contains(document.elementFromPoint(x, y))); return out; })()`,
    );
    expect(hits.length).toBeGreaterThan(20);
    expect(hits.every(Boolean)).toBe(true);
    // Opaque: the bar has its own background, not a transparent one the scrolled cards show through.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('[data-part="mask-header"]')).backgroundColor`)).toMatch(
      /^rgb\(/,
    );
    await page.screenshot({ path: screenshotPath(`finish-sticky-header-${locale}-${testInfo.project.name}`) });
  });

  test(`one place for "Authenticate": the toolbar, not the account card (${locale})`, async ({ openHost }) => {
    const { page } = await openHost({ locale, withEmulator: true });
    await createModernAuthProfile(page, locale, {
      sender: DEMO.sender.upn,
      clientId: DEMO.publicApp.clientId,
      tenant: DEMO.tenantId,
    });
    await expect(toolbarButton(page, l.authenticate)).toBeVisible();
    await expect(page.getByRole('main').getByRole('button', { name: l.authenticate })).toHaveCount(0);
  });

  test(`Gültig bis in the admin's language: typed as ${l.typed}, German/English calendar names (${locale})`, async ({
    openHost,
  }, testInfo) => {
    const dataDir = testInfo.outputPath('data');
    const host = await openHost({ locale, dataDir });
    const { page } = host;
    await page.setViewportSize(VIEWPORT);
    await createClientSecretProfile(page, locale, { ...base, name: 'Bestellungen' });
    const expires = field(page, locale === 'de' ? 'Gültig bis' : 'Expires');
    await expect(expires).toHaveAttribute('placeholder', locale === 'de' ? 'TT.MM.JJJJ' : 'MM/DD/YYYY');
    await expires.fill(l.typed);
    await expires.press('Tab');
    await expect(expires).toHaveValue(l.typed);
    // A day that does not exist is refused at the field, not silently stored.
    await expires.fill(locale === 'de' ? '31.02.2028' : '02/31/2028');
    await expires.press('Tab');
    await expect(expires).toHaveValue(l.typed);
    await expect(expires).toHaveAccessibleDescription(locale === 'de' ? /TT\.MM\.JJJJ/ : /MM\/DD\/YYYY/);
    await toolbarButton(page, locale === 'de' ? 'Speichern' : 'Save').click();
    await expect(page.getByRole('status')).toBeVisible();
    // The calendar speaks the language: month name and weekday abbreviations.
    await expires.press('ArrowDown');
    const calendar = page.getByRole('dialog');
    await expect(calendar.getByText(l.month)).toBeVisible();
    await expect(calendar.getByText(l.weekday, { exact: true }).first()).toBeVisible();
    await page.screenshot({ path: screenshotPath(`finish-date-${locale}-${testInfo.project.name}`) });
    await page.keyboard.press('Escape');
    await host.close();

    const again = await openHost({ locale, dataDir });
    await expect(field(again.page, locale === 'de' ? 'Gültig bis' : 'Expires')).toHaveValue(l.typed);
  });

  test(`the manual's notes are neutral, collapsible and stay collapsed after a restart (${locale})`, async ({
    openHost,
  }, testInfo) => {
    const dataDir = testInfo.outputPath('data');
    const host = await openHost({ locale, dataDir });
    const { page } = host;
    await page.setViewportSize(VIEWPORT);
    await createClientSecretProfile(page, locale, base);
    const notes = page.getByRole('region', { name: l.hints });
    await expect(notes).toContainText(l.personal);
    // Neutral information: no warning (nor any other) message bar in the mask while nothing was found.
    await expect(page.getByRole('form').locator('.fui-MessageBar')).toHaveCount(0);
    const toggle = notes.getByRole('button', { name: l.hints });
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await page.screenshot({ path: screenshotPath(`finish-notes-open-${locale}-${testInfo.project.name}`) });
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(notes).not.toContainText(l.personal);
    await host.close();

    const again = await openHost({ locale, dataDir });
    const notesAgain = again.page.getByRole('region', { name: l.hints });
    await expect(notesAgain.getByRole('button', { name: l.hints })).toHaveAttribute('aria-expanded', 'false');
    await expect(notesAgain).not.toContainText(l.personal);
    await notesAgain.getByRole('button', { name: l.hints }).click();
    await expect(notesAgain).toContainText(l.personal);
  });

  test(`changing a saved profile's account type asks first and says what goes; cancel keeps all (${locale})`, async ({
    openHost,
  }, testInfo) => {
    const { page } = await openHost({ locale });
    await page.setViewportSize(VIEWPORT);
    await createClientSecretProfile(page, locale, { ...base, secret: 'Kx7~TestSecretValue.abcdefghijklmnopqrst' });
    await page.getByRole('radio', { name: l.modernAuth }).click();
    const dialog = page.getByRole('alertdialog', { name: l.askTitle });
    await expect(dialog).toContainText(l.secretGoes);
    await settled(dialog);
    await page.screenshot({ path: screenshotPath(`finish-account-type-${locale}-${testInfo.project.name}`) });
    await dialog.getByRole('button', { name: l.cancel }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('radio', { name: l.clientSecret })).toBeChecked();
    await expect(page.getByText(l.stored)).toBeVisible();
    await expect(header(page).getByText(locale === 'de' ? 'Nicht gespeichert' : 'Unsaved')).toHaveCount(0);
    // Confirmed, the change is only a draft until saved.
    await page.getByRole('radio', { name: l.modernAuth }).click();
    await dialog.getByRole('button', { name: locale === 'de' ? 'Kontotyp ändern' : 'Change account type' }).click();
    await expect(page.getByRole('radio', { name: l.modernAuth })).toBeChecked();
  });

  test(`finish: success is a toast that goes, an error stays until dismissed, labels are visible, IDs are copyable chips (${locale})`, async ({
    openHost,
  }, testInfo) => {
    let diskFull = false;
    const opened = await openHost({
      locale,
      withEmulator: true,
      failWrite: (store) =>
        diskFull && store === 'profiles'
          ? Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
          : undefined,
    });
    const { page } = opened;
    const probes = probesOf(opened);
    await page.setViewportSize(VIEWPORT);
    const wrong = 'Wr0ng~SecretValue.abcdefghijklmnopqrstuv';
    await createClientSecretProfile(page, locale, { ...base, secret: wrong });
    const toast = page.getByRole('status');
    await expect(toast).toHaveText(l.saved);
    await expect(toast).toBeHidden({ timeout: 10_000 });

    diskFull = true;
    await field(page, locale === 'de' ? 'Bezeichnung' : 'Profile name').fill('Bestellungen 2');
    await toolbarButton(page, locale === 'de' ? 'Speichern' : 'Save').click();
    const error = page.getByRole('alert');
    await expect(error).toBeVisible();
    await page.waitForTimeout(6000); // longer than a toast stays
    await expect(error).toBeVisible();
    await error.getByRole('button', { name: l.dismiss }).click();
    await expect(error).toBeHidden();
    diskFull = false;
    await toolbarButton(page, locale === 'de' ? 'Speichern' : 'Save').click();
    await expect(toast).toBeVisible();

    // Visible labels for the test's own inputs (not only screen-reader names).
    await expect(page.locator('label', { hasText: l.recipient })).toBeVisible();
    await expect(page.locator('label', { hasText: l.probeMailbox })).toBeVisible();
    await expect(page.getByRole('textbox', { name: l.recipient })).toBeVisible();

    await toolbarButton(page, l.test).click();
    const token = testStep(page, 'token');
    await expect(token).toHaveAttribute('data-status', 'failed');
    await expect(header(page).locator('[data-test-summary]')).toHaveText(l.failed);
    const chip = token.locator('[data-id-chip="Correlation ID"]');
    await expect(chip).toBeVisible();
    // The labels are never broken inside a word: each is one line high (12 px type, 16 px line).
    for (const label of ['Correlation ID', 'Request ID']) {
      const box = await token.locator(`[data-id-chip="${label}"] span`).first().boundingBox();
      expect(box?.height ?? 0).toBeGreaterThan(0);
      expect(box?.height ?? 99).toBeLessThan(24);
    }
    const value = (await chip.locator('span').nth(1).textContent()) ?? '';
    expect(value).toMatch(/^[0-9a-f-]{36}$/);
    expect(await axeViolations(page)).toEqual([]);
    await chip.getByRole('button', { name: l.copyCorrelation }).click();
    await expect.poll(() => probes.clipboard.at(-1) ?? '').toBe(value);
    // Whatever was copied: never the secret.
    expect(await scanForCanary(wrong, { texts: { clipboard: probes.clipboard } })).toEqual([]);
    await page.screenshot({ path: screenshotPath(`finish-failed-chips-${locale}-${testInfo.project.name}`) });
  });
}
