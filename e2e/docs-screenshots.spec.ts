import { mkdirSync } from 'node:fs';
import { DEMO } from './emulator';
import { expect, test } from './fixtures';
import { createClientSecretProfile, createModernAuthProfile, fullScreenshot, testStep, toolbarButton } from './support/mask';

// The guide's pictures, taken from the real current UI against the emulator. Only `npm run docs:screenshots`
// (UPDATE_DOCS_SCREENSHOTS=1) writes into docs/; every other run writes into test-results, so CI never dirties the tree.
const update = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1';
const dir = update ? 'docs/images' : 'test-results/docs-images';
const image = (name: string): string => `${dir}/${name}.png`;
mkdirSync(dir, { recursive: true });

const rbac = {
  sender: DEMO.sender.upn,
  clientId: DEMO.rbacApp.clientId,
  tenant: DEMO.tenantId,
  secret: DEMO.rbacApp.secretValue,
  expires: new Date(Date.now() + 360 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10),
};
const TEXT = {
  de: {
    name: 'Bestellungen',
    test: 'Verbindung testen',
    probe: 'Beschränkung prüfen mit Postfach',
    probeBox: 'Postfach, das die App nicht erreichen darf',
  },
  en: {
    name: 'Orders',
    test: 'Test connection',
    probe: 'Check the restriction with mailbox',
    probeBox: 'Mailbox the app must not reach',
  },
} as const;

for (const locale of ['de', 'en'] as const) {
  test(`guide (${locale}): the filled mask and a passed connection test with the restriction checked`, async ({ openHost }) => {
    const { page } = await openHost({ locale, withEmulator: true });
    const t = TEXT[locale];
    await createClientSecretProfile(page, locale, { ...rbac, name: t.name });
    await fullScreenshot(page, image(`mask-client-secret.${locale}`));

    await page.getByRole('checkbox', { name: t.probe }).check();
    await page.getByRole('textbox', { name: t.probeBox }).fill(DEMO.otherMailbox.upn);
    await toolbarButton(page, t.test).click();
    await expect(testStep(page, 'probe')).toHaveAttribute('data-status', 'ok');
    await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'ok');
    await fullScreenshot(page, image(`test-ok.${locale}`));
    // The README's picture: the German mask as the manual shows it, at the window size an admin has.
    if (locale === 'de') {
      await page.locator('[data-step]').last().scrollIntoViewIfNeeded();
      await page.screenshot({ path: update ? 'docs/screenshot.png' : image('screenshot') });
    }
  });

  test(`guide (${locale}): a Modern Authentication profile before its sign-in`, async ({ openHost }) => {
    const { page } = await openHost({ locale, withEmulator: true });
    await createModernAuthProfile(page, locale, {
      name: locale === 'de' ? 'Lager' : 'Warehouse',
      sender: DEMO.sender.upn,
      clientId: DEMO.publicApp.clientId,
      tenant: DEMO.tenantId,
    });
    await fullScreenshot(page, image(`mask-modern-auth.${locale}`));
  });
}
