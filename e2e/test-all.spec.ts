import { readFile } from 'node:fs/promises';
import { DEMO } from './emulator';
import { expect, probesOf, screenshotPath, test } from './fixtures';
import { axeViolations, toolbarButton } from './support/mask';
import { parseCsv } from '../renderer/features/test-all/summary';
import type { Page } from '@playwright/test';

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

interface Seed {
  name: string;
  /** Modern Authentication, never signed in: no secret. */
  modern?: boolean;
  clientId: string;
  secret: string;
  tenant?: string;
  mailbox?: string;
  expires?: string;
}

// 20 profiles of every kind a night's batch meets: healthy, tenant-wide, expired or soon-expiring secret,
// wrong tenant, unknown app, a mailbox that does not exist, an app without Mail.Send.
const SEEDS: Seed[] = [
  ...[1, 2, 3, 4, 5, 6].map((i) => ({
    name: `OK ${i}`,
    clientId: DEMO.rbacApp.clientId,
    secret: DEMO.rbacApp.secretValue,
    expires: inDays(300),
  })),
  ...[1, 2].map((i) => ({
    name: `Mandantenweit ${i}`,
    clientId: DEMO.confidentialApp.clientId,
    secret: DEMO.confidentialApp.secretValue,
  })),
  ...[1, 2, 3].map((i) => ({
    name: `Abgelaufen ${i}`,
    clientId: DEMO.confidentialApp.clientId,
    secret: DEMO.confidentialApp.expiredSecretValue,
    expires: inDays(-3),
  })),
  ...[1, 2, 3].map((i) => ({
    name: `Falscher Mandant ${i}`,
    clientId: DEMO.confidentialApp.clientId,
    secret: DEMO.confidentialApp.secretValue,
    tenant: DEMO.otherTenant.tenantId,
  })),
  ...[1, 2].map((i) => ({
    name: `Kein Postfach ${i}`,
    clientId: DEMO.broadApp.clientId,
    secret: DEMO.broadApp.secretValue,
    mailbox: `gibtsnicht${i}@${DEMO.tenantDomain}`,
  })),
  ...[1, 2].map((i) => ({
    name: `Läuft bald ab ${i}`,
    clientId: DEMO.rbacApp.clientId,
    secret: DEMO.rbacApp.secretValue,
    expires: inDays(10),
  })),
  { name: 'Unbekannte App', clientId: DEMO.unknownClientId, secret: DEMO.confidentialApp.secretValue },
  { name: 'Nie angemeldet', clientId: DEMO.publicApp.clientId, secret: '', modern: true },
];

/** What each profile's row must say: outcome, failing step id, the code's start. */
const EXPECTED: Record<string, { state: 'ok' | 'warning' | 'failed'; step: string | null; code: RegExp | null }> = {};
for (const s of SEEDS) {
  const [kind] = s.name.split(/ \d/);
  EXPECTED[s.name] =
    kind === 'OK'
      ? { state: 'ok', step: null, code: null }
      : kind === 'Mandantenweit'
        ? { state: 'warning', step: null, code: null }
        : kind === 'Abgelaufen'
          ? { state: 'failed', step: 'token', code: /^AADSTS7000222/ }
          : kind === 'Falscher Mandant'
            ? { state: 'failed', step: 'token', code: /^AADSTS700016/ }
            : kind === 'Kein Postfach'
              ? { state: 'failed', step: 'mailbox', code: /ResourceNotFound|ErrorInvalidUser|Request_ResourceNotFound/ }
              : kind === 'Läuft bald ab'
                ? { state: 'warning', step: null, code: null }
                : kind === 'Unbekannte App'
                  ? { state: 'failed', step: 'token', code: /^AADSTS700016/ }
                  : { state: 'failed', step: 'signedIn', code: null };
}

/** Saves the profiles through the page's own API bridge (the mask's path without typing 20 forms). */
async function seed(page: Page): Promise<void> {
  await page.evaluate(
    async ({ seeds, tenant, sender }) => {
      const bridge = (globalThis as unknown as { absender: { profiles: { save(r: unknown): Promise<{ ok: boolean }> } } })
        .absender;
      for (const s of seeds) {
        const reply = await bridge.profiles.save({
          draft: {
            name: s.name,
            accountType: s.modern ? 'modern-auth' : 'client-secret',
            senderAddress: s.mailbox ?? sender,
            mailboxAddress: s.modern ? '' : (s.mailbox ?? sender),
            clientId: s.clientId,
            tenant: s.tenant ?? tenant,
            secretExpiresOn: s.expires ?? '',
          },
          ...(s.modern ? {} : { clientSecret: s.secret }),
        });
        if (!reply.ok) throw new Error(`seed ${s.name}: ${JSON.stringify(reply)}`);
      }
    },
    { seeds: SEEDS, tenant: DEMO.tenantId, sender: DEMO.sender.upn },
  );
  await page.reload();
}

const LABELS = {
  de: {
    action: 'Alle testen',
    title: 'Alle Absender testen',
    csv: 'Als CSV speichern',
    copy: 'Kopieren',
    close: 'Schließen',
    sep: ';',
  },
  en: { action: 'Test all', title: 'Test all sender profiles', csv: 'Save as CSV', copy: 'Copy', close: 'Close', sep: ',' },
} as const;
const STEP = {
  de: { token: 'Token erhalten', mailbox: 'Postfach erreichbar', signedIn: 'Angemeldet' },
  en: { token: 'Token acquired', mailbox: 'Mailbox reachable', signedIn: 'Signed in' },
} as const;
const STATE = {
  de: { ok: 'OK', warning: 'Warnung', failed: 'Fehler' },
  en: { ok: 'OK', warning: 'Warning', failed: 'Failed' },
} as const;

for (const locale of ['de', 'en'] as const) {
  test(`test all: 20 profiles of mixed results, the summary and its CSV (${locale})`, async ({ openHost, emulator }) => {
    test.setTimeout(120_000);
    const host = await openHost({ locale, withEmulator: true });
    const { page } = host;
    const L = LABELS[locale];
    await seed(page);
    // The list is virtualised (only the rows in view exist): its rows say how many there are.
    await expect(page.getByRole('navigation').locator('li[aria-setsize]').first()).toHaveAttribute('aria-setsize', '20');
    emulator.clearSentMessages();

    await toolbarButton(page, L.action).click();
    const dialog = page.getByRole('dialog', { name: L.title });
    await expect(dialog.getByText(locale === 'de' ? '20 von 20 getestet' : '20 of 20 tested')).toBeVisible({ timeout: 60_000 });
    await expect(dialog.getByRole('button', { name: L.csv })).toBeEnabled();
    // Nothing was mailed: test all never sends a test message.
    expect(emulator.sentMessages()).toEqual([]);

    const rows = dialog.locator('tbody tr');
    await expect(rows).toHaveCount(20);
    const table: string[][] = [];
    for (let i = 0; i < 20; i++) table.push((await rows.nth(i).locator('td').allInnerTexts()).map((c) => c.trim()));
    const stepLabel = (id: string | null) => (id === null ? '' : STEP[locale][id as keyof (typeof STEP)['de']]);
    for (const cells of table) {
      const name = cells[0] ?? '';
      const want = EXPECTED[name];
      expect(want, name).toBeDefined();
      if (!want) continue;
      expect([name, cells[1], cells[2]]).toEqual([name, STATE[locale][want.state], stepLabel(want.step)]);
      if (want.code) expect(cells[3], name).toMatch(want.code);
    }
    // In the list's order (alphabetical), every profile once.
    expect(table.map((c) => c[0]).sort()).toEqual(SEEDS.map((s) => s.name).sort());
    await expect(dialog.getByTestId('test-all-counts')).toContainText(locale === 'de' ? '6 OK' : '6 OK');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath(`test-all-${locale}`), animations: 'disabled' });

    // The CSV says the same as the table: BOM, the language's separator, ISO dates, no secret.
    const downloading = page.waitForEvent('download');
    await dialog.getByRole('button', { name: L.csv }).click();
    const file = await downloading;
    expect(file.suggestedFilename()).toMatch(/^absender-test-.+\.csv$/);
    const csv = await readFile(await file.path(), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const parsed = parseCsv(csv, L.sep);
    expect(parsed).toHaveLength(21);
    expect(parsed[0]?.[0]).toBe(locale === 'de' ? 'Absender' : 'Sender profile');
    const byName = new Map(parsed.slice(1).map((c) => [c[0], c]));
    for (const cells of table) {
      const row = byName.get(cells[0]);
      expect(row?.slice(0, 4), cells[0]).toEqual(cells.slice(0, 4));
      const seeded = SEEDS.find((s) => s.name === cells[0]);
      expect(row?.[4], cells[0]).toBe(seeded?.expires ?? '');
    }
    for (const secret of [DEMO.rbacApp.secretValue, DEMO.confidentialApp.secretValue, DEMO.confidentialApp.expiredSecretValue]) {
      expect(csv).not.toContain(secret.slice(0, 8));
    }

    // The clipboard gets the same table, tab-separated.
    await dialog.getByRole('button', { name: L.copy }).click();
    await expect.poll(() => probesOf(host).clipboard.length).toBe(1);
    const tsv = (probesOf(host).clipboard[0] ?? '').split('\n').map((l) => l.split('\t'));
    expect(
      tsv
        .slice(1)
        .map((c) => c.slice(0, 4))
        .sort(),
    ).toEqual(
      parsed
        .slice(1)
        .map((c) => c.slice(0, 4))
        .sort(),
    );

    // The list's badges show the batch's results: every row in view (the list is virtualised) against its expectation.
    await dialog.getByRole('button', { name: L.close }).click();
    const failedText = locale === 'de' ? 'Test fehlgeschlagen' : 'Test failed';
    const listRows = page.getByRole('navigation').locator('li[aria-setsize]');
    await expect(listRows.first()).toBeVisible();
    const shown = await listRows.count();
    expect(shown).toBeGreaterThan(3);
    for (let i = 0; i < shown; i++) {
      const row = listRows.nth(i);
      const text = (await row.innerText()).split('\n')[0]?.trim() ?? '';
      const expected = EXPECTED[text];
      expect(expected, text).toBeDefined();
      await expect(row.locator('[data-badge="test"]', { hasText: failedText })).toHaveCount(
        expected?.state === 'failed' && expected.step !== null ? 1 : 0,
      );
    }
  });
}

test('the daily check notifies once about a profile that went bad since the last check', async ({ openHost, emulator }) => {
  const host = await openHost({ locale: 'de', withEmulator: true });
  const { page } = host;
  await page.evaluate(
    async ({ clientId, secret, tenant, sender }) => {
      const bridge = (globalThis as unknown as { absender: { profiles: { save(r: unknown): Promise<{ ok: boolean }> } } })
        .absender;
      const draft = {
        name: 'Nachtlauf',
        accountType: 'client-secret',
        senderAddress: sender,
        mailboxAddress: sender,
        clientId,
        tenant,
        secretExpiresOn: '',
      };
      await bridge.profiles.save({ draft, clientSecret: secret });
    },
    { clientId: DEMO.rbacApp.clientId, secret: DEMO.rbacApp.secretValue, tenant: DEMO.tenantId, sender: DEMO.sender.upn },
  );
  const probes = probesOf(host);
  await probes.healthCheck.runNextCheck();
  expect(probes.healthCheck.notifications).toEqual([]);
  // The mailbox goes away (Graph answers 404): the next day's check finds the profile failing.
  emulator.setFault({ match: { host: 'graph', path: '/users/' }, action: { type: 'status', status: 404 } });
  for (let hour = 0; hour < 24; hour++) await probes.healthCheck.runNextCheck();
  // The injected clock has not moved a day: the hourly wake-ups did not test again.
  expect(probes.healthCheck.notifications).toEqual([]);
  probes.keepAlive.advanceClock(25 * 3_600_000);
  await probes.healthCheck.runNextCheck();
  expect(probes.healthCheck.notifications.map((n) => n.title)).toEqual(['Absender „Nachtlauf“ funktioniert nicht mehr']);
  probes.keepAlive.advanceClock(25 * 3_600_000);
  await probes.healthCheck.runNextCheck();
  expect(probes.healthCheck.notifications).toHaveLength(1);
});
