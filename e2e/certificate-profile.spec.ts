import { X509Certificate } from 'node:crypto';
import { DEMO } from './emulator';
import { expect, probesOf, screenshotPath, test } from './fixtures';
import { field, fullScreenshot, LABELS, testStep, toolbarButton } from './support/mask';

const app = DEMO.confidentialApp;

// Issue 14: a certificate profile as an admin sets it up: create the certificate in Absender, copy it for
// Entra's "Upload certificate", test (700027 before the upload, ok after it).
for (const locale of ['de', 'en'] as const) {
  test(`certificate profile: create, copy for Entra, 700027 before the upload, ok after it (${locale})`, async ({
    openHost,
    emulator,
  }, testInfo) => {
    const host = await openHost({ locale, withEmulator: true });
    const { page } = host;
    const l = LABELS[locale];
    const de = locale === 'de';
    await toolbarButton(page, l.new).click();
    await page
      .getByRole('radio', { name: de ? 'Exchange Online (mit Zertifikat)' : 'Exchange Online (with certificate)' })
      .check();
    await expect(field(page, l.secret)).toHaveCount(0);
    await field(page, l.name).fill('Zertifikat');
    await field(page, l.sender).fill(DEMO.sender.upn);
    await field(page, l.mailbox).fill(DEMO.sender.upn);
    await field(page, l.clientId).fill(app.clientId);
    await field(page, l.tenant).fill(DEMO.tenantId);
    await toolbarButton(page, l.save).click();
    await page.getByRole('status').waitFor();

    await page.getByRole('button', { name: de ? 'Zertifikat erstellen' : 'Create certificate' }).click();
    const thumbprint = page.getByTestId('certificate-thumbprint');
    await expect(thumbprint).toHaveText(/^[0-9A-F]{64}$/);
    const shown = await thumbprint.innerText();

    await toolbarButton(page, de ? 'Verbindung testen' : 'Test connection').click();
    await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'failed');
    await expect(testStep(page, 'token')).toContainText(shown);
    await expect(testStep(page, 'token')).toContainText('AADSTS700027');

    await page.getByRole('button', { name: de ? 'Zertifikat (PEM) kopieren' : 'Copy Certificate (PEM)' }).click();
    const pem = probesOf(host).clipboard.at(-1) ?? '';
    expect(pem).not.toContain('PRIVATE KEY');
    const cert = new X509Certificate(pem);
    expect(cert.fingerprint256.replaceAll(':', '')).toBe(shown);
    expect(cert.subject).toBe('CN=Absender Zertifikat');
    // The thumbprint as Entra's Certificates list shows it (SHA-1, upper-case hex), under Entra's own label;
    // the SHA-256 stays beside it under its own name.
    const sha1 = cert.fingerprint.replaceAll(':', '');
    const entraThumbprint = page.getByTestId('certificate-thumbprint-sha1');
    await expect(entraThumbprint).toHaveText(sha1);
    await expect(entraThumbprint.locator('xpath=..')).toContainText(`${de ? 'Fingerabdruck' : 'Thumbprint'}:${sha1}`);
    await expect(thumbprint.locator('xpath=..')).toContainText(`${de ? 'SHA-256-Fingerabdruck' : 'SHA-256 thumbprint'}:${shown}`);
    // Entra's start date and expiry beside it, as the portal lists them.
    const day = (d: string) => new Date(d).toLocaleDateString(locale);
    await expect(page.getByText(`${de ? 'Startdatum' : 'start date'} ${day(cert.validFrom)}`)).toContainText(day(cert.validTo));
    // What Entra stores on upload: the keyCredential's customKeyIdentifier is that same SHA-1.
    const credential = emulator.registerCertificate(app.clientId, pem);
    expect(credential.customKeyIdentifier).toBe(sha1);

    await toolbarButton(page, de ? 'Verbindung testen' : 'Test connection').click();
    await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'ok');
    await fullScreenshot(page, screenshotPath(`certificate-profile-${locale}-${testInfo.project.name}`));
    emulator.world.removeCertificate(app.clientId, shown);
  });
}
