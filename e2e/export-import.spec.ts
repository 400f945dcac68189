import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screenshotPath, test } from './fixtures';
import { axeViolations, profileList } from './support/mask';

// Issue 15: export → delete → import restores the profiles without secrets (marked as such), conflicts are
// shown before anything is written, and every malformed file is refused with a clear text and changes no byte.
const SECRET = 'Zq8Q~export-import-geheim-1234567890';
const T = {
  de: {
    menu: 'Exportieren / Importieren',
    export: 'Profile exportieren…',
    includeHistory: 'Änderungsverlauf einschließen',
    exportAction: 'Exportieren',
    importAction: 'Importieren',
    close: 'Schließen',
    list: 'Absender',
    noSecret: 'Kein Geheimnis',
    noCertificate: 'Kein Zertifikat',
    signIn: 'Nicht angemeldet',
    done: 'Import abgeschlossen: 3 hinzugefügt, 0 ersetzt, 0 übersprungen.',
    doneConflicts: 'Import abgeschlossen: 1 hinzugefügt, 1 ersetzt, 1 übersprungen.',
    conflictFor: (name: string) => `Vorhandenes Profil „${name}“`,
    nothingChanged: 'Es wurde nichts geändert.',
    refusal: {
      'not-json': 'Die Datei ist kein gültiges JSON.',
      'wrong-format': 'Die Datei ist kein Profilexport von Absender.',
      'wrong-version': 'Die Datei hat die Formatversion 2; diese Version von Absender liest Version 1.',
      invalid: 'Die Datei enthält an der Stelle „profiles.0.clientSecret“ einen ungültigen oder unbekannten Eintrag.',
      'prototype-key': 'Die Datei enthält einen unzulässigen Schlüssel',
      'too-large': 'Die Datei ist größer als 5 MB und wurde nicht gelesen.',
    },
  },
  en: {
    menu: 'Export / import',
    export: 'Export profiles…',
    includeHistory: 'Include the change history',
    exportAction: 'Export',
    importAction: 'Import',
    close: 'Close',
    list: 'Sender profiles',
    noSecret: 'No secret',
    noCertificate: 'No certificate',
    signIn: 'Not signed in',
    done: 'Import finished: 3 added, 0 replaced, 0 skipped.',
    doneConflicts: 'Import finished: 1 added, 1 replaced, 1 skipped.',
    conflictFor: (name: string) => `Existing profile “${name}”`,
    nothingChanged: 'Nothing was changed.',
    refusal: {
      'not-json': 'The file is not valid JSON.',
      'wrong-format': 'The file is not an Absender profile export.',
      'wrong-version': 'The file has format version 2; this version of Absender reads version 1.',
      invalid: 'The file contains an invalid or unknown entry at “profiles.0.clientSecret”.',
      'prototype-key': 'The file contains a forbidden key',
      'too-large': 'The file is larger than 5 MB and was not read.',
    },
  },
} as const;

const PROFILES = [
  {
    name: 'Bestellungen',
    accountType: 'client-secret',
    senderAddress: 'bestellung@contoso.com',
    mailboxAddress: 'bestellung@contoso.com',
    secret: SECRET,
    secretExpiresOn: '2027-06-30',
  },
  {
    name: 'Rechnungen',
    accountType: 'client-certificate',
    senderAddress: 'rechnung@contoso.com',
    mailboxAddress: 'rechnung@contoso.com',
  },
  { name: 'Lager', accountType: 'modern-auth', senderAddress: 'lager@contoso.com', mailboxAddress: '' },
] as const;

type Bridge = { profiles: Record<string, (r?: unknown) => Promise<{ ok: boolean; value?: unknown }>> };

async function seed(page: Page): Promise<void> {
  await page.evaluate(async (profiles) => {
    const bridge = (globalThis as unknown as { absender: Bridge }).absender;
    for (const p of profiles) {
      const reply = await bridge.profiles['save']?.({
        draft: {
          name: p.name,
          accountType: p.accountType,
          senderAddress: p.senderAddress,
          mailboxAddress: p.mailboxAddress,
          clientId: '11111111-2222-3333-4444-555555555555',
          tenant: 'contoso.onmicrosoft.com',
          secretExpiresOn: 'secretExpiresOn' in p ? p.secretExpiresOn : '',
        },
        ...('secret' in p ? { clientSecret: p.secret } : {}),
      });
      if (!reply?.ok) throw new Error(`seed ${p.name}: ${JSON.stringify(reply)}`);
    }
  }, PROFILES);
  await page.reload();
}

async function deleteAll(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const bridge = (globalThis as unknown as { absender: Bridge }).absender;
    const list = (await bridge.profiles['list']?.())?.value as { id: string; revision: number }[];
    for (const p of list) await bridge.profiles['delete']?.({ id: p.id, revision: p.revision });
  });
  await page.reload();
}

/** Every byte the app keeps: profiles, journal, secrets, settings, history. */
function digest(dir: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort())
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(dir, name)));
  return hash.digest('hex');
}

async function chooseFile(page: Page, path: string): Promise<void> {
  await page.getByTestId('import-file').setInputFiles(path);
}

for (const locale of ['de', 'en'] as const) {
  const L = T[locale];
  test(`export → delete → import restores the profiles without secrets; conflicts first; malformed files change nothing (${locale})`, async ({
    openHost,
  }) => {
    test.setTimeout(120_000);
    const host = await openHost({ locale });
    const { page } = host;
    await page.setViewportSize({ width: 1280, height: 800 });
    await seed(page);
    const work = mkdtempSync(join(tmpdir(), 'absender-export-'));

    // Export, with the history.
    await page.getByRole('banner').getByRole('button', { name: L.menu }).click();
    await page.getByRole('menuitem', { name: L.export }).click();
    const exportDialog = page.getByRole('dialog');
    await exportDialog.getByRole('checkbox', { name: L.includeHistory }).check();
    await page.screenshot({ path: screenshotPath(`export-dialog-${locale}`), animations: 'disabled' });
    const downloading = page.waitForEvent('download');
    await exportDialog.getByRole('button', { name: L.exportAction }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^absender-profiles-\d{4}-\d{2}-\d{2}\.json$/);
    const exportPath = join(work, 'export.json');
    await download.saveAs(exportPath);
    const text = readFileSync(exportPath, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('"secretHint"');
    const parsed = JSON.parse(text) as {
      format: string;
      version: number;
      profiles: { name: string; history?: { kind: string }[] }[];
    };
    expect([parsed.format, parsed.version]).toEqual(['absender-profiles', 1]);
    expect(parsed.profiles.map((p) => p.name).sort()).toEqual(['Bestellungen', 'Lager', 'Rechnungen']);
    expect(parsed.profiles.find((p) => p.name === 'Bestellungen')?.history?.map((h) => h.kind)).toEqual([
      'created',
      'secret-replaced',
    ]);

    // Delete everything, then import: the preview lists the profiles before anything is written.
    await deleteAll(page);
    const list = profileList(page, L.list);
    await expect(list.getByText('Bestellungen')).toHaveCount(0);
    const empty = digest(host.dataDir);
    await chooseFile(page, exportPath);
    const dialog = page.getByRole('dialog');
    await expect(dialog.locator('[data-import-row]')).toHaveCount(3);
    expect(digest(host.dataDir)).toBe(empty);
    await page.screenshot({ path: screenshotPath(`import-preview-${locale}`), animations: 'disabled' });
    await dialog.getByRole('button', { name: L.importAction, exact: true }).click();
    await expect(dialog.locator('[data-import="done"]')).toHaveText(L.done);
    await dialog.getByRole('button', { name: L.close }).click();

    // Restored without secrets, and marked: no secret, no certificate, sign-in required.
    const row = (name: string) => list.getByRole('listitem').filter({ hasText: name });
    await expect(row('Bestellungen')).toContainText(L.noSecret);
    await expect(row('Rechnungen')).toContainText(L.noCertificate);
    await expect(row('Lager')).toContainText(L.signIn);
    await page.screenshot({ path: screenshotPath(`import-restored-${locale}`), animations: 'disabled' });

    // The same file again: three conflicts, shown with a choice each before anything is written.
    const beforeConflicts = digest(host.dataDir);
    await chooseFile(page, exportPath);
    await expect(dialog.getByRole('combobox')).toHaveCount(3);
    expect(digest(host.dataDir)).toBe(beforeConflicts);
    await dialog.getByRole('combobox', { name: L.conflictFor('Bestellungen') }).selectOption('keep-both');
    await dialog.getByRole('combobox', { name: L.conflictFor('Lager') }).selectOption('replace');
    await page.screenshot({ path: screenshotPath(`import-conflicts-${locale}`), animations: 'disabled' });
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: L.importAction, exact: true }).click();
    await expect(dialog.locator('[data-import="done"]')).toHaveText(L.doneConflicts);
    await dialog.getByRole('button', { name: L.close }).click();
    const names = await page.evaluate(async () => {
      const bridge = (globalThis as unknown as { absender: Bridge }).absender;
      return ((await bridge.profiles['list']?.())?.value as { name: string }[]).map((p) => p.name);
    });
    expect(names).toEqual(['Bestellungen', 'Bestellungen (2)', 'Lager', 'Rechnungen']);

    // Every malformed file: a clear text in the admin's language, and not one byte changes.
    const good = JSON.parse(text) as Record<string, unknown> & { profiles: Record<string, unknown>[] };
    const bad: Record<keyof typeof L.refusal, string | Buffer> = {
      'not-json': '{"format": "absender-profiles", "version": 1,',
      'wrong-format': JSON.stringify({ ...good, format: 'outlook-profiles' }),
      'wrong-version': JSON.stringify({ ...good, version: 2 }),
      invalid: JSON.stringify({ ...good, profiles: [{ ...good.profiles[0], clientSecret: SECRET }] }),
      'prototype-key': text.replace('"format"', '"__proto__": {"isAdmin": true}, "format"'),
      'too-large': Buffer.alloc(50 * 1024 * 1024, 0x20),
    };
    for (const [reason, content] of Object.entries(bad) as [keyof typeof L.refusal, string | Buffer][]) {
      const path = join(work, `${reason}.json`);
      writeFileSync(path, content);
      const before = digest(host.dataDir);
      await chooseFile(page, path);
      const refused = dialog.locator('[data-import="refused"]');
      await expect(refused, reason).toContainText(L.refusal[reason]);
      await expect(refused, reason).toContainText(L.nothingChanged);
      if (reason === 'prototype-key')
        await page.screenshot({ path: screenshotPath(`import-refused-${locale}`), animations: 'disabled' });
      await dialog.getByRole('button', { name: L.close }).click();
      expect(digest(host.dataDir), reason).toBe(before);
    }
    await host.close();
  });
}
