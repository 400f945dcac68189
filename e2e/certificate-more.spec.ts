import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import forge from 'node-forge';
import { DEMO } from './emulator';
import { expect, probesOf, screenshotPath, test, type AppHost } from './fixtures';
import { scanForCanary } from './support/canary';
import { createClientSecretProfile, field, fullScreenshot, LABELS, profileList, testStep, toolbarButton } from './support/mask';

// Issue 14, the rest: import (PFX, PEM) with each refusal, the .cer download, renewal with overlap, the
// switch from a client secret, expiry badges; the imported private key never shows up outside the vault.

const DAY = 86_400_000;
const app = DEMO.confidentialApp;

interface Pair {
  keyPem: string;
  certPem: string;
  /** SHA-256, as Absender's diagnoses quote it. */
  thumbprint: string;
  /** SHA-1, as Entra's Certificates list shows it. */
  sha1: string;
}

/** An RSA key and a self-signed certificate valid from `from` to `to` (ms offsets from now). */
function makePair(bits: number, from: number, to: number, cn = 'Import Absender'): Pair {
  const keyPem = generateKeyPairSync('rsa', { modulusLength: bits })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
  const key = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '0a1b';
  cert.validity.notBefore = new Date(Date.now() + from);
  cert.validity.notAfter = new Date(Date.now() + to);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  cert.setIssuer([{ name: 'commonName', value: cn }]);
  cert.sign(key, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const x509 = new X509Certificate(certPem);
  return { keyPem, certPem, thumbprint: x509.fingerprint256.replaceAll(':', ''), sha1: x509.fingerprint.replaceAll(':', '') };
}

function pfxOf(pair: Pair, password: string): Buffer {
  const key = forge.pki.privateKeyFromPem(pair.keyPem);
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [forge.pki.certificateFromPem(pair.certPem)], password, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

const dir = mkdtempSync(join(tmpdir(), 'absender-certs-'));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, `${Date.now()}-${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(path, content);
  return path;
}

/** The key's spellings: PEM body in one piece, a line of it, and a slice of the DER as base64. */
function keyNeedles(keyPem: string): string[] {
  const lines = keyPem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
  const der = Buffer.from(lines.join(''), 'base64');
  return [lines.join(''), lines[4] ?? '', der.subarray(300, 340).toString('base64')];
}

async function keyLeaks(host: AppHost, keyPem: string): Promise<string[]> {
  const probes = probesOf(host);
  const hits: string[] = [];
  for (const needle of keyNeedles(keyPem)) {
    hits.push(
      ...(await scanForCanary(
        needle,
        { page: host.page, texts: { ipc: probes.ipcLog, log: probes.logLines, clipboard: probes.clipboard } },
        { windows: false },
      )),
    );
  }
  return hits;
}

async function newCertificateProfile(page: Page, locale: 'de' | 'en', name: string, clientId = app.clientId): Promise<void> {
  const l = LABELS[locale];
  await toolbarButton(page, l.new).click();
  await page
    .getByRole('radio', { name: locale === 'de' ? 'Exchange Online (mit Zertifikat)' : 'Exchange Online (with certificate)' })
    .check();
  await field(page, l.name).fill(name);
  await field(page, l.sender).fill(DEMO.sender.upn);
  await field(page, l.mailbox).fill(DEMO.sender.upn);
  await field(page, l.clientId).fill(clientId);
  await field(page, l.tenant).fill(DEMO.tenantId);
  await toolbarButton(page, l.save).click();
  await page.getByRole('status').waitFor();
}

const T = {
  de: {
    import: 'Importieren',
    password: 'Kennwort',
    saveCer: 'Als .cer speichern (DER)',
    test: 'Verbindung testen',
    createNext: 'Nächstes Zertifikat erstellen',
    testNext: 'Nächstes Zertifikat testen',
    switchNext: 'Testen und umstellen',
    errors: {
      'wrong-password': 'Das Kennwort für die Zertifikatsdatei ist falsch',
      'key-mismatch': 'Der private Schlüssel gehört nicht zu diesem Zertifikat',
      expired: 'Das Zertifikat ist am',
      'not-yet-valid': 'Das Zertifikat ist erst ab',
      'key-too-small': 'Der Schlüssel hat nur 1024 Bit',
    },
    advice: 'Zertifikat hochladen',
    switched: 'Entfernen Sie jetzt das alte Zertifikat in Entra',
    secretSwitched: 'Löschen Sie jetzt den geheimen Clientschlüssel',
    critical: /^Zertifikat läuft .* ab!$/,
    overview: 'Ablaufübersicht',
    overviewTitle: 'Geheime Clientschlüssel und Zertifikate nach Ablaufdatum',
    list: 'Absender',
  },
  en: {
    import: 'Import',
    password: 'Password',
    saveCer: 'Save as .cer (DER)',
    test: 'Test connection',
    createNext: 'Create next certificate',
    testNext: 'Test next certificate',
    switchNext: 'Test and switch',
    errors: {
      'wrong-password': 'The password for the certificate file is wrong',
      'key-mismatch': 'The private key does not belong to this certificate',
      expired: 'The certificate expired on',
      'not-yet-valid': 'The certificate is not valid before',
      'key-too-small': 'The key has only 1024 bits',
    },
    advice: 'Upload certificate',
    switched: 'Now remove the old certificate in Entra',
    secretSwitched: 'Now delete the client secret',
    critical: /^Certificate expires .*!$/,
    overview: 'Expiry overview',
    overviewTitle: 'Client secrets and certificates by expiry date',
    list: 'Sender profiles',
  },
} as const;

/** A window with a new certificate profile `name`: where every test here starts. */
async function startWithCertificateProfile(openHost: () => Promise<AppHost>, locale: 'de' | 'en', name: string) {
  const host = await openHost();
  await newCertificateProfile(host.page, locale, name);
  return { host, page: host.page, t: T[locale] };
}

/** Saves the .cer (DER) offered in `scope` and reads it back: no private key in it, the certificate as Entra gets it. */
async function downloadCer(page: Page, locale: 'de' | 'en', scope = page.locator('body')) {
  const download = page.waitForEvent('download');
  await scope.getByRole('button', { name: T[locale].saveCer }).click();
  const saved = await download;
  const der = readFileSync(await saved.path());
  expect(der.toString('latin1')).not.toContain('PRIVATE KEY');
  return { fileName: saved.suggestedFilename(), cert: new X509Certificate(der) };
}

/** The connection test, which must pass its token step (the certificate is in Entra). */
async function tokenPasses(page: Page, locale: 'de' | 'en'): Promise<void> {
  await toolbarButton(page, T[locale].test).click();
  await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'ok');
}

/** Imports `pair` as the current certificate and waits for both thumbprints of it in the panel. */
async function importPair(page: Page, locale: 'de' | 'en', pair: Pair, paths: string[], password = ''): Promise<void> {
  await importFiles(page, locale, 'current', paths, password);
  await expect(page.getByTestId('certificate-thumbprint')).toHaveText(pair.thumbprint);
  await expect(page.getByTestId('certificate-thumbprint-sha1')).toHaveText(pair.sha1);
}

async function importFiles(
  page: Page,
  locale: 'de' | 'en',
  slot: 'current' | 'next',
  paths: string[],
  password = '',
): Promise<void> {
  const box = page.locator(`[data-certificate-import="${slot}"]`);
  await box.locator('input[type="file"]').setInputFiles(paths);
  await box.getByLabel(T[locale].password).fill(password);
  await box.getByRole('button', { name: T[locale].import, exact: true }).click();
}

for (const locale of ['de', 'en'] as const) {
  test(`import: a PFX is stored, its .cer downloads, the test passes; each refusal is explained (${locale})`, async ({
    openHost,
    emulator,
  }, testInfo) => {
    const { host, page, t } = await startWithCertificateProfile(() => openHost({ locale, withEmulator: true }), locale, 'Import');

    // Every refusal: its own text from the core, nothing stored (the import stays offered).
    const good = makePair(2048, -DAY, 90 * DAY);
    const other = makePair(2048, -DAY, 90 * DAY);
    // The expired pair as one PEM holding key and certificate.
    const expired = makePair(2048, -90 * DAY, -DAY);
    const cases: Array<[keyof typeof t.errors, string[], string]> = [
      ['wrong-password', [file('a.pfx', pfxOf(good, 'Richtig-1'))], 'falsch'],
      ['key-mismatch', [file('k.key', other.keyPem), file('c.cer', good.certPem)], ''],
      ['expired', [file('both.pem', `${expired.keyPem}\n${expired.certPem}`)], ''],
      ['not-yet-valid', [file('n.pfx', pfxOf(makePair(2048, 10 * DAY, 90 * DAY), 'x'))], 'x'],
      ['key-too-small', [file('s.pfx', pfxOf(makePair(1024, -DAY, 90 * DAY), 'x'))], 'x'],
    ];
    for (const [code, paths, password] of cases) {
      await importFiles(page, locale, 'current', paths, password);
      const error = page.locator(`[data-import-error="certificate-${code}"]`);
      await expect(error).toContainText(t.errors[code]);
      await expect(page.getByTestId('certificate-thumbprint')).toHaveCount(0);
      // Asked once: the password and the file choice are gone after the request.
      await expect(page.locator('[data-certificate-import="current"]').getByLabel(t.password)).toHaveValue('');
      expect(
        await page
          .locator('[data-certificate-import="current"] input[type="file"]')
          .evaluate((e) => (e as unknown as { value: string }).value),
      ).toBe('');
    }
    await fullScreenshot(page, screenshotPath(`certificate-import-error-${locale}-${testInfo.project.name}`));

    await importPair(page, locale, good, [file('ok.p12', pfxOf(good, 'Richtig-1'))], 'Richtig-1');

    const saved = await downloadCer(page, locale);
    // The file is named by the SHA-1 thumbprint's start, the digits Entra lists it by.
    expect(saved.fileName).toBe(`Absender-Import-${good.sha1.slice(0, 8)}.cer`);
    expect(saved.cert.fingerprint256.replaceAll(':', '')).toBe(good.thumbprint);

    expect(emulator.registerCertificate(app.clientId, good.certPem).customKeyIdentifier).toBe(good.sha1);
    await tokenPasses(page, locale);
    await fullScreenshot(page, screenshotPath(`certificate-import-${locale}-${testInfo.project.name}`));
    emulator.world.removeCertificate(app.clientId, good.thumbprint);

    // Canary: the imported key in no spelling in the DOM, IPC replies, log or clipboard.
    expect(await keyLeaks(host, good.keyPem)).toEqual([]);
  });

  test(`renewal with overlap: next certificate, 700027 with advice until uploaded, test, switch, old one reminded (${locale})`, async ({
    openHost,
    emulator,
  }, testInfo) => {
    const { host, page, t } = await startWithCertificateProfile(
      () => openHost({ locale, withEmulator: true }),
      locale,
      'Erneuern',
    );
    await page.getByRole('button', { name: locale === 'de' ? 'Zertifikat erstellen' : 'Create certificate' }).click();
    const oldThumbprint = await page.getByTestId('certificate-thumbprint').innerText();
    await page.getByRole('button', { name: locale === 'de' ? 'Zertifikat (PEM) kopieren' : 'Copy Certificate (PEM)' }).click();
    const pem = probesOf(host).clipboard.at(-1) ?? '';
    const oldSha1 = new X509Certificate(pem).fingerprint.replaceAll(':', '');
    emulator.registerCertificate(app.clientId, pem);

    await page.getByRole('button', { name: t.createNext }).click();
    const next = page.getByTestId('next-certificate-thumbprint');
    await expect(next).toHaveText(/^[0-9A-F]{64}$/);
    const nextThumbprint = await next.innerText();
    expect(nextThumbprint).not.toBe(oldThumbprint);
    await expect(page.getByTestId('certificate-thumbprint')).toHaveText(oldThumbprint);

    // Not uploaded yet: 700027 with the next certificate's thumbprint and the advice; nothing switches.
    await page.getByRole('button', { name: t.testNext }).click();
    await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'failed');
    await expect(testStep(page, 'token')).toContainText('AADSTS700027');
    await expect(testStep(page, 'token')).toContainText(nextThumbprint);
    await expect(testStep(page, 'token')).toContainText(t.advice);
    await page.getByRole('button', { name: t.switchNext }).click();
    await expect(page.locator('[data-next-outcome="rejected"]')).toBeVisible();
    await expect(page.getByTestId('certificate-thumbprint')).toHaveText(oldThumbprint);

    const { cert: nextCert } = await downloadCer(page, locale, page.locator('[data-next-certificate]'));
    expect(nextCert.fingerprint256.replaceAll(':', '')).toBe(nextThumbprint);
    await expect(page.getByTestId('next-certificate-thumbprint-sha1')).toHaveText(nextCert.fingerprint.replaceAll(':', ''));
    emulator.registerCertificate(app.clientId, nextCert.toString());

    await page.getByRole('button', { name: t.testNext }).click();
    await expect(page.locator('[data-next-outcome="tested-ok"]')).toBeVisible();
    await expect(testStep(page, 'token')).toHaveAttribute('data-status', 'ok');
    await page.getByRole('button', { name: t.switchNext }).click();
    const reminder = page.locator('[data-next-outcome="switched"]');
    await expect(reminder).toContainText(t.switched);
    await expect(reminder).toContainText(oldSha1);
    await expect(reminder).toContainText(oldThumbprint);
    await expect(page.getByTestId('certificate-thumbprint')).toHaveText(nextThumbprint);
    await expect(page.getByTestId('next-certificate-thumbprint')).toHaveCount(0);
    await fullScreenshot(page, screenshotPath(`certificate-renewal-${locale}-${testInfo.project.name}`));

    // The old one removed in Entra: the profile signs in with the new key.
    emulator.world.removeCertificate(app.clientId, oldThumbprint);
    await tokenPasses(page, locale);
    emulator.world.removeCertificate(app.clientId, nextThumbprint);
  });

  test(`expiry: an imported certificate near its end gets the 7-day badge and is in the overview (${locale})`, async ({
    openHost,
  }, testInfo) => {
    const { host, page, t } = await startWithCertificateProfile(
      () => openHost({ locale, withEmulator: true }),
      locale,
      'Kurzlebig',
    );
    const short = makePair(2048, -DAY, 5 * DAY);
    await importPair(page, locale, short, [file('short.key', short.keyPem), file('short.cer', short.certPem)]);
    const badge = profileList(page, t.list)
      .getByRole('button', { name: /Kurzlebig/ })
      .locator('[data-badge="certificate"]');
    await expect(badge).toHaveAttribute('data-state', 'critical');
    await expect(badge).toHaveText(t.critical);
    await toolbarButton(page, t.overview).click();
    const dialog = page.getByRole('dialog', { name: t.overviewTitle });
    await expect(dialog.getByRole('row').filter({ hasText: 'Kurzlebig' }).locator('[data-badge="certificate"]')).toHaveAttribute(
      'data-state',
      'critical',
    );
    await expect(dialog.getByRole('row').filter({ hasText: 'Kurzlebig' })).toContainText(short.sha1.slice(0, 8));
    await page.screenshot({
      path: screenshotPath(`certificate-overview-${locale}-${testInfo.project.name}`),
      animations: 'disabled',
    });
    expect(await keyLeaks(host, short.keyPem)).toEqual([]);
  });

  test(`a client-secret profile moves to a certificate: IDs and mailbox stay, the secret until the test passed (${locale})`, async ({
    openHost,
    emulator,
  }, testInfo) => {
    const host = await openHost({ locale, withEmulator: true });
    const { page } = host;
    const t = T[locale];
    await createClientSecretProfile(page, locale, {
      name: 'Umstieg',
      sender: DEMO.sender.upn,
      clientId: app.clientId,
      tenant: DEMO.tenantId,
      secret: app.secretValue,
    });
    const section = page.locator('[data-next-certificate]');
    await expect(section).toContainText(locale === 'de' ? 'Hochladedatum und Fingerabdruck' : 'upload date and thumbprint');
    await section.getByRole('button', { name: t.createNext }).click();
    const thumbprint = await page.getByTestId('next-certificate-thumbprint').innerText();
    await section.getByRole('button', { name: t.switchNext }).click();
    await expect(page.locator('[data-next-outcome="rejected"]')).toBeVisible();
    // Still the secret profile: the secret field is there and the type has not changed.
    await expect(page.getByRole('radio', { name: /mit Zertifikat|with certificate/ })).not.toBeChecked();

    emulator.registerCertificate(app.clientId, (await downloadCer(page, locale, section)).cert.toString());
    await section.getByRole('button', { name: t.switchNext }).click();
    await expect(page.locator('[data-next-outcome="switched"]')).toContainText(t.secretSwitched);
    await expect(page.locator('[data-next-outcome="switched"]')).toContainText(`${app.secretValue.slice(0, 3)}…`);
    await expect(page.getByRole('radio', { name: /mit Zertifikat|with certificate/ })).toBeChecked();
    await expect(page.getByTestId('certificate-thumbprint')).toHaveText(thumbprint);
    await expect(field(page, LABELS[locale].clientId)).toHaveValue(app.clientId);
    await expect(field(page, LABELS[locale].tenant)).toHaveValue(DEMO.tenantId);
    await fullScreenshot(page, screenshotPath(`certificate-switch-${locale}-${testInfo.project.name}`));
    await tokenPasses(page, locale);
    emulator.world.removeCertificate(app.clientId, thumbprint);
  });
}
