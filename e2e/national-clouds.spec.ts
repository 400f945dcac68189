import type { Page } from '@playwright/test';
import { DEMO } from './emulator';
import { expect, screenshotPath, test } from './fixtures';
import { axeViolations, createClientSecretProfile, LABELS, testStep, toolbarButton } from './support/mask';

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
    mismatchAdvice: `Der Mandant „${gov.tenantId}“ gehört zur Cloud US Government (GCC High), das Profil ist auf Global (Microsoft Entra ID) eingestellt`,
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
    mismatchAdvice: `The tenant "${gov.tenantId}" belongs to the cloud US Government (GCC High), the profile is set to Global (Microsoft Entra ID)`,
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
