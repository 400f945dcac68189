import type { Page } from '@playwright/test';

/** Fields are found by their accessible name, exactly as an admin (or a screen reader) sees them. */
export const field = (page: Page, name: string) =>
  // The date field (Fluent's DatePicker) is a combobox: typed or picked from its calendar.
  page.getByRole('textbox', { name, exact: true }).or(page.getByRole('combobox', { name, exact: true }));
export const toolbarButton = (page: Page, name: string) => page.getByRole('toolbar').getByRole('button', { name, exact: true });
export const profileList = (page: Page, name: string) => page.getByRole('navigation', { name });

export interface MaskLabels {
  new: string;
  save: string;
  name: string;
  sender: string;
  mailbox: string;
  clientId: string;
  tenant: string;
  secret: string;
  expires: string;
  modernAuth: string;
}

export const LABELS: Record<'de' | 'en', MaskLabels> = {
  de: {
    new: 'Neu',
    save: 'Speichern',
    name: 'Bezeichnung',
    sender: 'Sender-Adresse',
    mailbox: 'E-Mail-Adresse',
    clientId: 'Anwendungs-ID (Client)',
    tenant: 'Verzeichnis-ID (Mandant)',
    secret: 'Geheimer Clientschlüssel',
    expires: 'Gültig bis',
    modernAuth: 'Exchange Online (Modern Authentication)',
  },
  en: {
    new: 'New',
    save: 'Save',
    name: 'Profile name',
    sender: 'Sender address',
    mailbox: 'Mailbox address',
    clientId: 'Application (client) ID',
    tenant: 'Directory (tenant) ID',
    secret: 'Client secret',
    expires: 'Expires',
    modernAuth: 'Exchange Online (Modern Authentication)',
  },
};

export interface ClientSecretValues {
  name?: string;
  sender: string;
  mailbox?: string;
  clientId: string;
  tenant: string;
  secret: string;
  expires?: string;
}

/** Fills the mask for a new client-secret profile and saves it, as an admin would. */
export async function createClientSecretProfile(page: Page, locale: 'de' | 'en', v: ClientSecretValues): Promise<void> {
  const l = LABELS[locale];
  await toolbarButton(page, l.new).click();
  await field(page, l.name).fill(v.name ?? 'Bestellungen');
  await field(page, l.sender).fill(v.sender);
  await field(page, l.mailbox).fill(v.mailbox ?? v.sender);
  await field(page, l.clientId).fill(v.clientId);
  await field(page, l.tenant).fill(v.tenant);
  await field(page, l.secret).fill(v.secret);
  if (v.expires !== undefined) await field(page, l.expires).fill(v.expires);
  await toolbarButton(page, l.save).click();
  await page.getByRole('status').waitFor();
}

export const testStep = (page: Page, id: string) => page.locator(`[data-step="${id}"]`);

/** The mask scrolls inside <main>; grow the viewport to its content so the screenshot shows everything. */
export async function fullScreenshot(page: Page, path: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  // A string, because the node-side typings have no DOM; it runs in the page.
  const needed = await page.evaluate<number>(
    "(() => { const m = document.querySelector('main'); m.scrollTop = 0; return m.scrollHeight + m.getBoundingClientRect().top + 16; })()",
  );
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(needed)) });
  await page.screenshot({ path });
  await page.setViewportSize(size);
}

/** axe-core on the whole page; Fluent's tabster focus sentinels (<i data-tabster-dummy>) are its own, deliberately focusable and hidden. */
export async function axeViolations(page: Page): Promise<string[]> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const results = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(', ')}`,
  );
}

export interface ModernAuthValues {
  name?: string;
  sender: string;
  clientId: string;
  tenant: string;
  /** The sign-in method radio; the popup (default) when omitted. */
  signInMethod?: 'popup' | 'system-browser';
}

export const SIGN_IN_METHOD_LABELS: Record<'de' | 'en', Record<'popup' | 'system-browser', string>> = {
  de: { popup: 'Anmeldefenster in Absender (Standard)', 'system-browser': 'Systembrowser' },
  en: { popup: 'Sign-in window in Absender (default)', 'system-browser': 'System browser' },
};

export async function createModernAuthProfile(page: Page, locale: 'de' | 'en', v: ModernAuthValues): Promise<void> {
  const l = LABELS[locale];
  await toolbarButton(page, l.new).click();
  await page.getByRole('radio', { name: l.modernAuth }).check();
  if (v.signInMethod !== undefined)
    await page.getByRole('radio', { name: SIGN_IN_METHOD_LABELS[locale][v.signInMethod] }).check();
  await field(page, l.name).fill(v.name ?? 'Lager');
  await field(page, l.sender).fill(v.sender);
  await field(page, l.clientId).fill(v.clientId);
  await field(page, l.tenant).fill(v.tenant);
  await toolbarButton(page, l.save).click();
  await page.getByRole('status').waitFor();
}

/** Signs in on the emulator's real Entra-like pages, as the admin would in the popup. */
export async function signInOnPage(signInPage: Page, user: string, password: string): Promise<void> {
  await signInPage.locator('input[name="loginfmt"]').fill(user);
  await signInPage.locator('input[name="passwd"]').fill(password);
  await signInPage.locator('#idSIButton9').click();
}
