import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { killOwnedChildren } from '../electron/core/testing/owned-children';
import { RELAY_DRAFT as DRAFT } from '../electron/core/relay/testing/relay-fixture';
import { curlSmtp, plainEml, runTool } from '../electron/core/relay/testing/tools';
import { RESOURCES } from '../shared/i18n/resources';
import type { RelayQueueRow } from '../shared/ipc/contract';
import { initialState, newQueueId, type RelayEnvelope, type RelayItemState } from '../electron/core/relay/relay-queue';
import { DEMO } from './emulator';
import { expect, probesOf, screenshotPath, test } from './fixtures';
import { axeViolations, toolbarButton } from './support/mask';

// The relay as an admin runs it from the window: switched on in its panel, a login whose password is shown once,
// a real curl as the ERP, the queue with the translator's diagnosis, retry now and delete.

const L = {
  de: {
    open: 'SMTP-Relay',
    title: 'SMTP-Relay',
    switch: 'Relay aktiv',
    port: 'Port',
    listening: 'Lauscht auf',
    create: 'Kennwort erstellen',
    passwordTitle: 'Relay-Kennwort für Bestellungen',
    copy: 'Kopieren',
    closePassword: 'Schließen',
    status: { sent: 'Gesendet', pending: 'Ausstehend', failed: 'Fehlgeschlagen' },
    retry: 'Jetzt wiederholen',
    delete: 'Löschen',
    confirmTitle: 'Nachricht löschen?',
    close: 'Schließen',
    stuck: '1 Relay-Nachricht hängt',
    damaged: 'Die Relay-Anmeldungen konnten nicht gelesen werden',
    again: 'Erstellen Sie die Relay-Anmeldungen neu',
    unchecked: '1 Nachricht wurde nach einem Absturz erneut gesendet, ohne zuerst im Postfach nachzusehen',
    twice: 'Evtl. doppelt',
  },
  en: {
    open: 'SMTP relay',
    title: 'SMTP relay',
    switch: 'Relay on',
    port: 'Port',
    listening: 'Listening on',
    create: 'Create password',
    passwordTitle: 'Relay password for Bestellungen',
    copy: 'Copy',
    closePassword: 'Close',
    status: { sent: 'Sent', pending: 'Pending', failed: 'Failed' },
    retry: 'Retry now',
    delete: 'Delete',
    confirmTitle: 'Delete message?',
    close: 'Close',
    stuck: '1 relayed message stuck',
    damaged: 'The relay logins could not be read',
    again: 'Create the relay logins again',
    unchecked: '1 message was sent again after a crash without checking the mailbox first',
    twice: 'Maybe twice',
  },
} as const;

type Bridge = {
  profiles: {
    save(r: unknown): Promise<{ ok: boolean; value: { id: string; revision: number } }>;
    list(): Promise<{ ok: boolean; value: Array<{ id: string; revision: number }> }>;
  };
  relay: { list(): Promise<{ ok: boolean; value: RelayQueueRow[] }> };
};

/** Saves (or changes the secret of) the one profile through the page's own bridge, as the mask would. */
async function saveProfile(page: Page, secret: string): Promise<void> {
  await page.evaluate(
    async ({ draft, secret }) => {
      const bridge = (globalThis as unknown as { absender: Bridge }).absender;
      const [existing] = (await bridge.profiles.list()).value;
      const reply = await bridge.profiles.save({
        draft: existing ? { ...draft, id: existing.id, revision: existing.revision } : draft,
        clientSecret: secret,
      });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
    },
    { draft: DRAFT, secret },
  );
}

const queueRows = (page: Page) =>
  page.evaluate(async () => (await (globalThis as unknown as { absender: Bridge }).absender.relay.list()).value);

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesOf(join(dir, n)) : [join(dir, n)]));
}

test.afterEach(() => {
  killOwnedChildren();
});

for (const locale of ['de', 'en'] as const) {
  test(`relay panel: start, login shown once, curl in, sent; expired secret pending with diagnosis, retry now; delete failed (${locale})`, async ({
    openHost,
    emulator,
  }) => {
    test.setTimeout(180_000);
    const t = L[locale];
    const host = await openHost({ locale, withEmulator: true });
    const { page } = host;
    await saveProfile(page, DEMO.confidentialApp.secretValue);
    await page.reload();

    await toolbarButton(page, t.open).click();
    const panel = page.getByRole('dialog', { name: t.title });
    await expect(panel).toBeVisible();
    const port = Number(await panel.getByRole('spinbutton', { name: t.port }).inputValue());
    expect(port).toBeGreaterThan(1024);
    // A click, not check(): the switch follows the relay's state, which turns only once the relay listens.
    const onOff = panel.getByRole('switch', { name: t.switch });
    await expect(onOff).toBeEnabled();
    await onOff.click();
    await expect(onOff).toBeChecked();
    await expect(panel.locator('[data-relay="status"]')).toContainText(`${t.listening} 127.0.0.1:${port}`);
    await expect(panel.locator('[data-relay="fingerprint"]')).toHaveText(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    // The login: the password in a dialog of its own, once, with a copy button.
    await panel.locator('[data-relay-login="Bestellungen"]').getByRole('button', { name: t.create }).click();
    const shown = page.getByRole('alertdialog', { name: t.passwordTitle });
    await expect(shown).toBeVisible();
    const user = (await shown.locator('[data-relay="user"]').innerText()).trim();
    const password = (await shown.locator('[data-relay="password"]').innerText()).trim();
    expect(user).toBe(DEMO.sender.upn.toLowerCase());
    expect(password.length).toBeGreaterThanOrEqual(20);
    await shown.getByRole('button', { name: t.copy }).click();
    await expect.poll(() => probesOf(host).clipboard.at(-1)).toBe(password);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath(`relay-password-${locale}`), animations: 'disabled' });
    await shown.getByRole('button', { name: t.closePassword }).click();
    await expect(shown).toBeHidden();
    expect(await page.content()).not.toContain(password);

    const send = async (subject: string) => {
      const file = join(host.dataDir, '..', `relay-${locale}-${Date.now()}.eml`);
      writeFileSync(file, plainEml({ from: DEMO.sender.upn, to: 'kunde@example.com', subject, body: 'Bestellung' }));
      const run = await curlSmtp({ port, user, password, file, from: DEMO.sender.upn, rcpts: ['kunde@example.com'] });
      rmSync(file, { force: true });
      expect(run.code, run.stderr).toBe(0);
      const rows = await queueRows(page);
      const row = rows.find((r) => r.subject === subject);
      expect(row, subject).toBeDefined();
      return panel.locator(`[data-relay-row="${row?.id ?? ''}"]`);
    };

    // 1. Sent through the profile: in the emulator's sink, "sent" in the queue.
    const first = await send('Bestellung 4711');
    await expect(first).toHaveAttribute('data-status', 'sent', { timeout: 30_000 });
    await expect(first).toContainText(t.status.sent);
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['Bestellung 4711']);

    // 2. The secret expired: pending with the translator's text; fixed, then "retry now" sends it.
    await saveProfile(page, DEMO.confidentialApp.expiredSecretValue);
    const second = await send('Bestellung 4712');
    await expect(second.locator('[data-relay="diagnosis"]')).toContainText('451 4.3.5', { timeout: 30_000 });
    await expect(second).toHaveAttribute('data-status', 'pending');
    const diagnosisId = (await queueRows(page)).find((r) => r.subject === 'Bestellung 4712')?.lastReply?.diagnosis ?? '';
    const catalogue = RESOURCES[locale].diagnostics as Record<string, { title: string }>;
    const title = catalogue[diagnosisId]?.title ?? '';
    expect(title, diagnosisId).not.toBe('');
    await expect(second.locator('[data-relay="diagnosis"]')).toContainText(title);
    await page.screenshot({ path: screenshotPath(`relay-panel-pending-${locale}`), animations: 'disabled' });
    await saveProfile(page, DEMO.confidentialApp.secretValue);
    await second.getByRole('button', { name: t.retry }).click();
    // Once in CI at load ~19 the row stayed "sending" for the whole of a 30 s wait, as long as the core's request
    // timeout (cause not found yet): a request that times out is looked up and retried after the first backoff
    // (60 s ± 20 %), so the wait covers timeout + backoff + the lookup. On an idle machine this takes ~1 s.
    await expect(second).toHaveAttribute('data-status', 'sent', { timeout: 120_000 });
    expect(emulator.sentMessages().map((m) => m.subject)).toContain('Bestellung 4712');

    // 3. Refused for good by Exchange (send-as denied): failed, the list's badge shows it; deleted after a confirmation.
    emulator.setFault({
      match: { path: '/sendMail', host: 'graph' },
      action: {
        type: 'status',
        status: 403,
        body: {
          error: {
            code: 'ErrorSendAsDenied',
            message:
              'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account. Cannot submit message.',
          },
        },
      },
      times: 1,
    });
    const third = await send('Bestellung 4713');
    await expect(third).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
    await expect(third).toContainText(t.status.failed);
    await page.screenshot({ path: screenshotPath(`relay-panel-${locale}`), animations: 'disabled' });
    await panel.getByRole('button', { name: t.close }).click();
    const badge = page.getByRole('navigation').locator('[data-badge="relay-stuck"]');
    await expect(badge).toHaveText(t.stuck);
    await page.screenshot({ path: screenshotPath(`relay-badge-${locale}`), animations: 'disabled' });

    await toolbarButton(page, t.open).click();
    await third.getByRole('button', { name: t.delete }).click();
    const confirm = page.getByRole('alertdialog', { name: t.confirmTitle });
    await confirm.getByRole('button', { name: t.delete }).click();
    await expect(third).toHaveCount(0);
    await expect(panel.locator('[data-relay-row]')).toHaveCount(2);
    await panel.getByRole('button', { name: t.close }).click();
    await expect(badge).toHaveCount(0);

    // 4. credentials.json half-written (a disk fault): the panel says which file was kept and that the logins must be
    // set again; the ERP's login is refused as temporary (454), nothing else is lost; a new password clears it.
    const relayDir = join(host.dataDir, 'relay');
    writeFileSync(join(relayDir, 'credentials.json'), '{"version":1,"credentials":[{"profileId":"');
    await toolbarButton(page, t.open).click();
    await expect(panel).toBeVisible();
    const login = await runTool('curl', [
      '-sS',
      '-v',
      `smtp://127.0.0.1:${port}/erp`,
      '--mail-from',
      DEMO.sender.upn,
      '--mail-rcpt',
      'kunde@example.com',
      '--user',
      `${user}:${password}`,
      '--upload-file',
      '/dev/null',
    ]);
    expect(login.code).not.toBe(0);
    expect(login.stderr).toMatch(/< 454 4\.7\.0/);
    const damaged = panel.locator('[data-relay="logins-damaged"]');
    const kept = readdirSync(relayDir).find((f) => f.startsWith('credentials.json.damaged-')) ?? '';
    expect(kept).not.toBe('');
    await expect(damaged).toContainText(t.damaged);
    await expect(damaged).toContainText(join(relayDir, kept));
    await expect(damaged).toContainText(t.again);
    await expect(panel.locator('[data-relay-row]')).toHaveCount(2);
    await page.screenshot({ path: screenshotPath(`relay-panel-logins-damaged-${locale}`), animations: 'disabled' });
    await panel.locator('[data-relay-login="Bestellungen"]').getByRole('button', { name: t.create }).click();
    await page.getByRole('alertdialog', { name: t.passwordTitle }).getByRole('button', { name: t.closePassword }).click();
    await expect(damaged).toHaveCount(0);
    await panel.getByRole('button', { name: t.close }).click();

    // 5. Stopped, a crash's leftovers planted: a message whose send was under way (its "sending" marker on disk) and a
    // damaged key in tls.json. Started again: the app may only send (Mail.Send), so the mailbox lookup is refused and the
    // message goes again unchecked, which its row says; the certificate is made anew, old and new fingerprint shown.
    await toolbarButton(page, t.open).click();
    await expect(panel).toBeVisible();
    const oldFingerprint = (await panel.locator('[data-relay="fingerprint"]').innerText()).trim();
    await onOff.click();
    await expect(onOff).not.toBeChecked();
    const profileId = (await queueRows(page))[0]?.profileId ?? '';
    expect(profileId).not.toBe('');
    const queueDir = join(relayDir, 'queue');
    const acceptedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const crashedId = newQueueId(Date.now() - 5 * 60_000);
    const messageId = `<crash-${locale}-${Date.now()}@erp.contoso.example>`;
    const message = Buffer.from(
      `Message-ID: ${messageId}\r\n` +
        plainEml({ from: DEMO.sender.upn, to: 'kunde@example.com', subject: 'Bestellung 4714', body: 'Bestellung' }),
    );
    const envelope: RelayEnvelope = {
      id: crashedId,
      profileId,
      mailFrom: DEMO.sender.upn,
      rcptTo: ['kunde@example.com'],
      acceptedAt,
      clientAddress: '127.0.0.1',
      size: message.length,
      messageId,
      addedMessageId: false,
      subject: 'Bestellung 4714',
    };
    writeFileSync(
      join(queueDir, `${crashedId}.msg`),
      Buffer.concat([message, Buffer.from('\r\n#absender-relay-envelope '), Buffer.from(JSON.stringify(envelope))]),
      { mode: 0o600 },
    );
    const crashed: RelayItemState = { ...initialState(acceptedAt), status: 'sending', sendingSince: acceptedAt };
    writeFileSync(join(queueDir, `${crashedId}.state.json`), JSON.stringify(crashed), { mode: 0o600 });
    const tlsPath = join(relayDir, 'tls.json');
    const tls = JSON.parse(readFileSync(tlsPath, 'utf8')) as { key: string };
    writeFileSync(tlsPath, JSON.stringify({ ...tls, key: Buffer.from('not a sealed key').toString('base64') }), { mode: 0o600 });
    await onOff.click();
    await expect(onOff).toBeChecked();
    const regenerated = panel.locator('[data-relay="tls-regenerated"]');
    await expect(regenerated).toBeVisible();
    const newFingerprint = (await panel.locator('[data-relay="fingerprint"]').innerText()).trim();
    expect(newFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(newFingerprint).not.toBe(oldFingerprint);
    await expect(regenerated).toContainText(oldFingerprint);
    await expect(regenerated).toContainText(newFingerprint);
    const tlsKept = readdirSync(relayDir).find((f) => f.startsWith('tls.json.unreadable-')) ?? '';
    expect(tlsKept).not.toBe('');
    await expect(regenerated).toContainText(join(relayDir, tlsKept));
    const resent = panel.locator(`[data-relay-row="${crashedId}"]`);
    await expect(resent).toHaveAttribute('data-status', 'sent', { timeout: 30_000 });
    await expect(resent.locator('[data-relay="unchecked-resend"]')).toHaveText(t.twice);
    const note = panel.locator('[data-relay="unchecked-resends"]');
    await expect(note).toContainText(t.unchecked);
    await expect(note).toContainText('Mail.ReadBasic');
    expect(emulator.sentMessages().filter((m) => m.subject === 'Bestellung 4714')).toHaveLength(1);
    // The rows sent normally say nothing of the kind.
    await expect(first.locator('[data-relay="unchecked-resend"]')).toHaveCount(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath(`relay-panel-restarted-${locale}`), animations: 'disabled' });
    await panel.getByRole('button', { name: t.close }).click();

    // Canary: the password is nowhere but the scrypt hash: not in a log line, a file of the data directory or the page.
    expect(probesOf(host).logLines.join('\n')).not.toContain(password);
    for (const file of filesOf(host.dataDir)) expect(readFileSync(file, 'latin1'), file).not.toContain(password);
    expect(await page.content()).not.toContain(password);
  });
}
