import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO, type Emulator } from '../../../e2e/emulator';
import { t } from '../../../shared/i18n/translate';
import type { Clock } from '../ports';
import { InMemoryCipher } from '../testing/in-memory';
import { runCommand } from './run-command';
import { sendHarness } from './testing/send-harness';
import { sendTestBed } from './testing/send-test-bed';

// `Absender send` as the binary runs it: runCommand(argv) over conf stores in a data directory, real
// MSAL and Graph client against the emulator; only the cipher, clock and transport are fakes.

const bed = sendTestBed('absender-send-', 'Ihre Bestellung 4711 ist unterwegs. Grüße');
let emulator: Emulator;
let dataDir: string;
let bodyFile: string;
beforeEach(() => {
  ({ emulator, dataDir, bodyFile } = bed);
});

// One harness per cipher: the tests pass the cipher whose vault holds the profile's secret.
const harness = (cipher: InMemoryCipher) => sendHarness(emulator, dataDir, { cipher });
const clock: Clock = { now: () => new Date() };
const openCore = (cipher: InMemoryCipher) => harness(cipher).openCore;
const saveProfile = (cipher: InMemoryCipher, app: { clientId: string; secretValue: string }, secret?: string) =>
  harness(cipher).saveProfile(app, secret);
const send = (extra: string[], cipher: InMemoryCipher, lang = 'en') =>
  harness(cipher).send(bodyFile, extra, lang === 'de' ? 'de' : 'en');

describe('Absender send (runCommand against the emulator)', () => {
  it('sends through sendMail: exit 0, the sink has the message with its recipients, reply-to and body', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, DEMO.rbacApp);
    const run = await send(
      ['--cc', 'lager@example.com', '--bcc', 'archiv@example.com', '--reply-to', 'service@example.com'],
      cipher,
    );
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    const sent = emulator.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      sender: DEMO.sender.upn,
      subject: 'Lieferung',
      toRecipients: [{ address: 'kunde@example.com' }],
      ccRecipients: [{ address: 'lager@example.com' }],
      bccRecipients: [{ address: 'archiv@example.com' }],
      replyTo: [{ address: 'service@example.com' }],
      body: { contentType: 'Text', content: 'Ihre Bestellung 4711 ist unterwegs. Grüße' },
      saveToSentItems: false,
    });
  });

  it('reads the body in the given charset and sends HTML', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, DEMO.rbacApp);
    writeFileSync(bodyFile, Buffer.from('<p>Gr\xfc\xdfe</p>', 'latin1'));
    const run = await send(['--html', '--charset', 'latin1', '--save-to-sent'], cipher);
    expect(run.exitCode).toBe(0);
    expect(emulator.sentMessages()[0]).toMatchObject({
      body: { contentType: 'HTML', content: '<p>Grüße</p>' },
      saveToSentItems: true,
    });
  });

  it('an unknown profile is a configuration error: exit 78, said in the chosen language', async () => {
    const run = await send(['--lang', 'de'], new InMemoryCipher());
    expect(run.exitCode).toBe(78);
    expect(run.stderr).toContain(t('de', 'host:cli.unknownProfile', { profile: 'versand' }));
    expect(emulator.sentMessages()).toEqual([]);
  });

  it('a bad address or an unreadable body file is bad input (65); a missing option is usage (64)', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, DEMO.rbacApp);
    const badAddress = await send(['--to', 'not-an-address'], cipher);
    expect(badAddress.exitCode).toBe(65);
    expect(badAddress.stderr).toContain(t('en', 'host:cli.invalidMail', { value: 'not-an-address' }));
    rmSync(bodyFile);
    const unreadable = await send([], cipher);
    expect(unreadable.exitCode).toBe(65);
    expect(unreadable.stderr).toContain(bodyFile);
    writeFileSync(bodyFile, Buffer.from([0xff, 0xfe, 0xfd]));
    expect((await send([], cipher)).exitCode).toBe(65); // not UTF-8
    const usage = await runCommand(['send', '--profile', 'versand'], {
      stdout: { write: () => undefined },
      stderr: { write: () => undefined },
      osLanguage: 'en',
      clock,
      openCore: openCore(cipher),
    });
    expect(usage.exitCode).toBe(64);
    expect(emulator.sentMessages()).toEqual([]);
  });

  it('throttled (429 with a long Retry-After) is temporary: exit 75 with the diagnosis', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, DEMO.rbacApp);
    emulator.setFault({
      match: { path: '/sendMail', host: 'graph' },
      action: { type: 'status', status: 429, retryAfterSeconds: 3600 },
    });
    const run = await send(['--json', '--lang', 'de'], cipher);
    expect(run.exitCode).toBe(75);
    const out = JSON.parse(run.stdout) as { diagnosis: string; code: string };
    expect(out.diagnosis).toMatch(/^graph-throttled/);
    expect(run.stderr).toContain(`(${out.code})`);
    expect(run.stderr).toContain(t('de', `diagnostics:${out.diagnosis}.title`, {}).slice(0, 10));
    expect(emulator.sentMessages()).toEqual([]);
  });

  it("the mailbox's own throttling is temporary too: exit 75, and the same key later sends once", async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, DEMO.draftApp);
    emulator.setMailboxThrottling({ messagesPerMinute: 1 });
    expect((await send(['--idempotency-key', 'first'], cipher)).exitCode).toBe(0);
    const throttled = await send(['--idempotency-key', 'order-4711'], cipher);
    expect(throttled.exitCode).toBe(75);
    emulator.setMailboxThrottling('off');
    expect((await send(['--idempotency-key', 'order-4711'], cipher)).exitCode).toBe(0);
    expect(emulator.sentMessages()).toHaveLength(2);
  });

  it('a wrong secret is a configuration error (78) with the diagnosis, the secret never printed', async () => {
    const cipher = new InMemoryCipher();
    const wrong = 'Wr0ng~SecretValue.abcdefghijklmnopqrstuv';
    await saveProfile(cipher, DEMO.rbacApp, wrong);
    const run = await send(['--json'], cipher);
    expect(run.exitCode).toBe(78);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'failed', diagnosis: 'aad-secret-invalid', code: 'AADSTS7000215' });
    expect(run.stdout + run.stderr).not.toContain(wrong.slice(3));
  });

  it('an app without Mail.Send for the mailbox is a permission error (77)', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, DEMO.noConsentApp);
    const run = await send(['--json'], cipher);
    expect(run.exitCode).toBe(77);
  });

  it('with --idempotency-key: a draft (immutable id) is sent; a rerun with the same key sends nothing more', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, DEMO.draftApp);
    const first = await send(['--idempotency-key', 'order-4711', '--json'], cipher);
    expect(first.exitCode).toBe(0);
    const out = JSON.parse(first.stdout) as { status: string; messageId: string };
    expect(out.status).toBe('sent');
    const again = await send(['--idempotency-key', 'order-4711', '--json'], cipher);
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'already-sent', messageId: out.messageId });
    expect(emulator.sentMessages()).toHaveLength(1);
    expect(emulator.sentMessages()[0]).toMatchObject({
      messageId: out.messageId,
      toRecipients: [{ address: 'kunde@example.com' }],
    });
    // The journal is private and names the draft, not the message text.
    const files = readdirSync(join(dataDir, 'send-journal'));
    expect(files).toHaveLength(1);
    if (process.platform !== 'win32') expect(statSync(join(dataDir, 'send-journal', files[0] ?? '')).mode & 0o777).toBe(0o600);
  });

  it('a crash after the draft was created but before the journal was written: the marker finds the draft, sent once', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, DEMO.draftApp);
    // The send itself fails once (after the draft and the journal exist); then the journal is lost as well.
    emulator.setFault({ match: { path: /\/send$/, host: 'graph' }, action: { type: 'status', status: 503 }, times: 10 });
    expect((await send(['--idempotency-key', 'order-4712'], cipher)).exitCode).toBe(75);
    expect(emulator.sentMessages()).toEqual([]);
    rmSync(join(dataDir, 'send-journal'), { recursive: true });
    emulator.clearFaults();
    expect((await send(['--idempotency-key', 'order-4712'], cipher)).exitCode).toBe(0);
    expect((await send(['--idempotency-key', 'order-4712'], cipher)).exitCode).toBe(0);
    expect(emulator.sentMessages()).toHaveLength(1);
    expect(emulator.mailboxItems(DEMO.sender.upn).filter((m) => m.isDraft)).toEqual([]);
  });

  it('a journal that cannot be written stops the send before any draft: exit 74, nothing sent', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, DEMO.draftApp);
    writeFileSync(join(dataDir, 'send-journal'), 'not a directory');
    const drafts = () => emulator.mailboxItems(DEMO.sender.upn).filter((m) => m.isDraft).length;
    const before = drafts();
    const run = await send(['--idempotency-key', 'order-4713'], cipher);
    expect(run.exitCode).toBe(74);
    expect(drafts()).toBe(before);
    expect(emulator.sentMessages()).toEqual([]);
  });
});
