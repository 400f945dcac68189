import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { killOwnedChildren } from '../electron/core/testing/owned-children';
import { AesGcmCipher } from './hosts/aes-gcm-cipher';
import { expect, screenshotPath, test } from './fixtures';
import { axeViolations, toolbarButton } from './support/mask';

// The window started while another keyring backend is active (a different session type, a keyring daemon not yet
// the selected one): the relay's stored certificate must survive untouched, the panel must say that this run uses a
// temporary one, and the next start with the usual keyring must serve the stored fingerprint again. (The browser
// host does not autostart the relay as the app does: each window switches it on.)

const L = {
  de: {
    open: 'SMTP-Relay',
    title: 'SMTP-Relay',
    switch: 'Relay aktiv',
    temporary: 'vorübergehendes Zertifikat',
    close: 'Schließen',
  },
  en: { open: 'SMTP relay', title: 'SMTP relay', switch: 'Relay on', temporary: 'temporary certificate', close: 'Close' },
} as const;

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

test.afterEach(() => {
  killOwnedChildren();
});

for (const locale of ['de', 'en'] as const) {
  test(`relay panel: another keyring at this start serves a temporary certificate and says so; tls.json untouched (${locale})`, async ({
    openHost,
  }, testInfo) => {
    test.setTimeout(120_000);
    const t = L[locale];
    const dataDir = testInfo.outputPath('data');
    const usual = () => new AesGcmCipher(undefined, 'gnome_libsecret');

    const switchOn = async (panel: Locator) => {
      const onOff = panel.getByRole('switch', { name: t.switch });
      await expect(onOff).toBeEnabled();
      await onOff.click();
      await expect(onOff).toBeChecked();
    };

    // 1. The usual keyring: the relay switched on, its fingerprint noted.
    const first = await openHost({ locale, dataDir, cipher: usual() });
    await toolbarButton(first.page, t.open).click();
    const firstPanel = first.page.getByRole('dialog', { name: t.title });
    await switchOn(firstPanel);
    const fingerprint = firstPanel.locator('[data-relay="fingerprint"]');
    await expect(fingerprint).toHaveText(FINGERPRINT);
    const stored = (await fingerprint.innerText()).trim();
    await expect(firstPanel.locator('[data-relay="tls-temporary"]')).toHaveCount(0);
    await first.close();
    const tlsFile = join(dataDir, 'relay', 'tls.json');
    const bytes = readFileSync(tlsFile);

    // 2. Another backend at this start: the relay runs on a temporary certificate, the panel says so.
    const other = await openHost({ locale, dataDir, cipher: new AesGcmCipher(undefined, 'kwallet6') });
    await toolbarButton(other.page, t.open).click();
    const panel = other.page.getByRole('dialog', { name: t.title });
    await switchOn(panel);
    const notice = panel.locator('[data-relay="tls-temporary"]');
    await expect(notice).toBeVisible();
    const temporary = (await panel.locator('[data-relay="fingerprint"]').innerText()).trim();
    expect(temporary).toMatch(FINGERPRINT);
    expect(temporary).not.toBe(stored);
    await expect(notice).toContainText(t.temporary);
    await expect(notice).toContainText(temporary);
    await expect(notice).toContainText(stored);
    await expect(panel.locator('[data-relay="tls-regenerated"]')).toHaveCount(0);
    expect(await axeViolations(other.page)).toEqual([]);
    await other.page.screenshot({ path: screenshotPath(`relay-tls-temporary-${locale}`), animations: 'disabled' });
    await other.close();
    expect(readFileSync(tlsFile)).toEqual(bytes);
    expect(readdirSync(join(dataDir, 'relay')).filter((f) => f.startsWith('tls.json.'))).toEqual([]);

    // 3. The usual keyring back: the stored certificate again, no notice.
    const back = await openHost({ locale, dataDir, cipher: usual() });
    await toolbarButton(back.page, t.open).click();
    const backPanel = back.page.getByRole('dialog', { name: t.title });
    await switchOn(backPanel);
    await expect(backPanel.locator('[data-relay="fingerprint"]')).toHaveText(stored);
    await expect(backPanel.locator('[data-relay="tls-temporary"]')).toHaveCount(0);
  });
}
