import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import type { HeadlessCore } from '../cli/headless-core';
import { runCommand } from '../cli/run-command';
import { MAILBOX_LIMITS, MailPacer, systemPacingClock } from '../mail/pacing';
import { InMemoryCipher } from '../testing/in-memory';
import { killOwnedChildren } from '../testing/owned-children';
import { relayHealth } from './relay-health';
import { newQueueId, RelayQueue } from './relay-queue';
import { RelayConfigError } from './relay-server';
import { startRelay, type RelayHandle } from './relay-service';
import { RelayWorker } from './relay-worker';
import { authPlain, RawSmtp } from './testing/raw-smtp';
import { newDataDir, openRelayCore, relayProfile } from './testing/relay-fixture';
import { curlSmtp, runTool } from './testing/tools';

// The relay as an ERP meets it: real SMTP clients nobody here wrote (curl, swaks, Python's smtplib) against
// the listener, the queue on disk and the worker sending through the real Graph client to the emulator.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());

let dataDir: string;
let core: HeadlessCore;
let relay: RelayHandle | undefined;
let password: string;
let user: string;
const logs: string[] = [];

async function start(
  options: Parameters<typeof startRelay>[1]['listen'] = {},
  worker: Parameters<typeof startRelay>[1]['worker'] = {},
  cipher = core.cipher,
) {
  relay = await startRelay(
    { ...core, cipher },
    {
      listen: { port: 0, idleTimeoutMs: 3_000, ...options },
      worker: { firstRetryMs: 200, maxRetryMs: 500, ...worker },
      language: 'en',
      log: (event, data) => logs.push(`${event} ${JSON.stringify(data)}`),
    },
  );
  return relay;
}

beforeEach(async () => {
  emulator.clearFaults();
  emulator.clearSentMessages();
  emulator.setMailboxThrottling('off');
  logs.length = 0;
  dataDir = newDataDir();
  core = await openRelayCore(dataDir, emulator);
  const profile = await relayProfile(core);
  user = profile.user;
  const { RelayCredentials } = await import('./relay-credentials');
  password = await new RelayCredentials(dataDir).issue(profile.id, user, new Date());
});
afterEach(async () => {
  killOwnedChildren();
  await relay?.close();
  relay = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

const port = () => relay?.listening.port ?? 0;

async function check(at: Date) {
  let stdout = '';
  const { exitCode } = await runCommand(['check', '--profile', 'Versand', '--json'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => undefined },
    osLanguage: 'en',
    clock: { now: () => at },
    openCore: () => openRelayCore(dataDir, emulator),
  });
  const report = JSON.parse(stdout) as { profiles: Array<{ state: string; messages: Array<{ key: string; text: string }> }> };
  return { exitCode, profile: report.profiles[0] };
}
const drained = async () => relay?.worker.idle();

/** curl as an ERP's mail setting calls it: the relay login, the envelope, the file as the message. */
const curlSend = (file: string, opts: { from?: string; rcpt?: string[]; domain?: string; tls?: string[] } = {}) =>
  runTool('curl', [
    '-sS',
    ...(opts.tls ?? []),
    `smtp://127.0.0.1:${port()}/${opts.domain ?? 'erp.example.com'}`,
    '--mail-from',
    opts.from ?? DEMO.sender.upn,
    ...(opts.rcpt ?? ['kunde@example.com']).flatMap((r) => ['--mail-rcpt', r]),
    '--user',
    `${user}:${password}`,
    '--upload-file',
    file,
  ]);
const mail = (headers: string, body = 'Bestellung 4711\r\n') => `${headers.trim().replace(/\r?\n/g, '\r\n')}\r\n\r\n${body}`;

async function sendOne(subject: string) {
  const file = join(dataDir, `${subject}.eml`);
  writeFileSync(file, mail(`From: ${DEMO.sender.upn}\nTo: kunde@example.com\nSubject: ${subject}`));
  const run = await curlSmtp({
    port: port(),
    user,
    password,
    file,
    from: DEMO.sender.upn,
    rcpts: ['kunde@example.com'],
    client: 'erp.example.com',
  });
  expect(run.code).toBe(0);
}

describe('SMTP relay against real clients', () => {
  it('curl smtp:// with three --mail-rcpt (one only in the envelope): To, Cc and Bcc as the envelope says', async () => {
    await start();
    const file = join(dataDir, 'mail.eml');
    writeFileSync(file, mail(`From: ${DEMO.sender.upn}\nTo: kunde@example.com\nCc: lager@example.com\nSubject: Bestellung 4711`));
    const run = await curlSend(file, { rcpt: ['kunde@example.com', 'lager@example.com', 'archiv@example.com'] });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    await drained();
    const sent = emulator.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      sender: DEMO.sender.upn,
      subject: 'Bestellung 4711',
      toRecipients: [{ address: 'kunde@example.com' }],
      ccRecipients: [{ address: 'lager@example.com' }],
      bccRecipients: [{ address: 'archiv@example.com' }],
    });
    expect(relay?.worker.counts()).toMatchObject({ pending: 0, sent: 1, failed: 0 });
    // The message bytes are gone once sent; the queue directory and its files are private.
    const queueDir = join(dataDir, 'relay', 'queue');
    expect(readdirSync(queueDir).filter((n) => n.endsWith('.msg'))).toEqual([]);
    expect(statSync(queueDir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(queueDir)) expect(statSync(join(queueDir, name)).mode & 0o777).toBe(0o600);
  });

  it('curl --ssl-reqd upgrades with STARTTLS to the generated certificate, whose fingerprint the relay reports', async () => {
    await start();
    const file = join(dataDir, 'mail.eml');
    writeFileSync(file, mail(`From: ${DEMO.sender.upn}\nTo: kunde@example.com\nSubject: TLS`));
    const run = await curlSend(file, { tls: ['-v', '--ssl-reqd', '-k'] });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/STARTTLS/);
    expect(relay?.listening.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    await drained();
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['TLS']);
  });

  it('another keyring backend this start: tls.json untouched, a temporary certificate the pinned ERP refuses, told in the log and by check; the stored one again after', async () => {
    const stored = (await start()).listening.fingerprint;
    await relay?.close();
    const tlsFile = join(dataDir, 'relay', 'tls.json');
    const bytes = readFileSync(tlsFile);
    const { cert } = JSON.parse(bytes.toString('utf8')) as { cert: string };
    // The ERP pinned the stored certificate's public key (curl --pinnedpubkey, as an ERP's TLS pinning does).
    const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
    const pin = `sha256//${createHash('sha256').update(spki).digest('base64')}`;
    const file = join(dataDir, 'mail.eml');
    writeFileSync(file, mail(`From: ${DEMO.sender.upn}\nTo: kunde@example.com\nSubject: Gepinnt`));
    const pinnedSend = () => curlSend(file, { tls: ['--ssl-reqd', '-k', '--pinnedpubkey', pin] });

    const other = await start({}, {}, new InMemoryCipher('kwallet6'));
    expect(other.listening.fingerprint).not.toBe(stored);
    expect(other.tlsTemporary).toEqual({
      reason: 'other-backend',
      sealedWith: 'test',
      backend: 'kwallet6',
      storedFingerprint: stored,
    });
    expect(logs.filter((l) => l.startsWith('relay.tls-'))).toEqual([
      `relay.tls-temporary ${JSON.stringify({ reason: 'other-backend', sealedWith: 'test', backend: 'kwallet6', stored, temporary: other.listening.fingerprint })}`,
    ]);
    expect((await pinnedSend()).code).not.toBe(0);
    const during = await check(new Date());
    const notice = during.profile?.messages.find((m) => m.key === 'host:relay.checkTlsTemporary');
    expect(notice?.text).toContain(`temporary STARTTLS certificate (SHA-256 ${other.listening.fingerprint})`);
    expect(notice?.text).toContain(`stored one (SHA-256 ${stored})`);
    expect(during.exitCode).toBeGreaterThanOrEqual(1);
    let status = '';
    const statusRun = await runCommand(['relay', '--status', '--json'], {
      stdout: { write: (s: string) => (status += s) },
      stderr: { write: () => undefined },
      osLanguage: 'en',
      clock: { now: () => new Date() },
      openCore: () => openRelayCore(dataDir, emulator),
    });
    expect(statusRun.exitCode).toBe(0);
    expect(JSON.parse(status)).toMatchObject({
      tlsTemporary: { fingerprint: other.listening.fingerprint, storedFingerprint: stored, reason: 'other-backend' },
    });
    await relay?.close();
    relay = undefined;
    expect(readFileSync(tlsFile)).toEqual(bytes);
    expect(readdirSync(join(dataDir, 'relay')).filter((f) => f.startsWith('tls.json.'))).toEqual([]);
    // The relay stopped: its temporary certificate and the notice end with it.
    expect((await check(new Date())).profile?.messages.map((m) => m.key)).not.toContain('host:relay.checkTlsTemporary');

    const back = await start();
    expect(back.listening.fingerprint).toBe(stored);
    expect(back.tlsTemporary).toBeNull();
    expect((await pinnedSend()).code).toBe(0);
    await drained();
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['Gepinnt']);
  });

  it('swaks: AUTH PLAIN and LOGIN after STARTTLS, pipelining, an 8-bit body', async () => {
    await start();
    for (const method of ['PLAIN', 'LOGIN']) {
      const run = await runTool('swaks', [
        '--server',
        '127.0.0.1',
        '--port',
        String(port()),
        '--from',
        DEMO.sender.upn,
        '--to',
        'kunde@example.com',
        '--auth',
        method,
        '--auth-user',
        user,
        '--auth-password',
        password,
        '-tls',
        '--pipeline',
        '--header',
        `Subject: swaks ${method}`,
        '--header',
        'Content-Type: text/plain; charset=utf-8',
        '--header',
        'Content-Transfer-Encoding: 8bit',
        '--body',
        'Grüße aus der Buchhaltung',
      ]);
      expect(run.stdout).toMatch(/250-PIPELINING/);
      expect(run.stdout).toMatch(/250-8BITMIME/);
      expect(run.stdout).toMatch(/Queued as/);
      expect(run.code).toBe(0);
    }
    await drained();
    const sent = emulator.sentMessages();
    expect(sent.map((m) => m.subject).sort()).toEqual(['swaks LOGIN', 'swaks PLAIN']);
    expect(sent[0]?.body.content).toContain('Grüße aus der Buchhaltung');
  });

  it('Python smtplib send_message with SMTPUTF8 to a non-ASCII recipient', async () => {
    await start();
    const script = `
import smtplib, sys
from email.message import EmailMessage
m = EmailMessage()
m['From'] = '${DEMO.sender.upn}'
m['To'] = 'jürgen@example.com'
m['Subject'] = 'Lieferschein Größe XL'
m.set_content('Straße 1')
with smtplib.SMTP('127.0.0.1', ${port()}) as s:
    s.login('${user}', sys.stdin.read().strip())
    s.ehlo()
    # send_message adds SMTPUTF8 to MAIL FROM itself for a non-ASCII address, when the server offers it.
    print('smtputf8' if s.has_extn('smtputf8') else 'no smtputf8')
    s.send_message(m)
print('ok')
`;
    const run = await runTool('python3', ['-c', script], { input: password });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toEqual(['smtputf8', 'ok']);
    await drained();
    expect(emulator.sentMessages()[0]).toMatchObject({ toRecipients: [{ address: 'jürgen@example.com' }] });
  });
});

describe('SMTP relay: safe defaults and bad input', () => {
  it('refuses another bind address without an allowlist, and a client not on the allowlist at connect', async () => {
    await expect(start({ host: '0.0.0.0' })).rejects.toBeInstanceOf(RelayConfigError);
    await start({ allowClients: ['10.0.0.0/8'] });
    const smtp = await RawSmtp.open(port());
    expect(await smtp.reply()).toMatch(/^554 .*5\.7\.1/);
    smtp.close();
  });

  it('answers unknown and out-of-order commands with errors, and refuses MAIL FROM another sender', async () => {
    await start();
    const smtp = await RawSmtp.open(port());
    expect(await smtp.reply()).toMatch(/^220 /);
    expect(await smtp.command('EHLO erp.example.com')).toMatch(/250[- ]AUTH PLAIN LOGIN/);
    expect(await smtp.command('FOO bar')).toMatch(/^500 /);
    expect(await smtp.command('MAIL FROM:<x@example.com>')).toMatch(/^530 /);
    expect(await smtp.command('DATA')).toMatch(/^5\d\d /);
    expect(await smtp.command(`AUTH PLAIN ${authPlain(user, password)}`)).toMatch(/^235 /);
    expect(await smtp.command('RCPT TO:<kunde@example.com>')).toMatch(/^503 /);
    expect(await smtp.command('MAIL FROM:<chef@contoso.onmicrosoft.com>')).toMatch(/^550 .*5\.7\.1/);
    expect(await smtp.command(`MAIL FROM:<${DEMO.sender.upn}>`)).toMatch(/^250 /);
    // An address that would add a second one to the Bcc header the relay writes.
    expect(await smtp.command('RCPT TO:<a@example.com,evil@example.net>')).toMatch(/^5\d\d /);
    smtp.close();
    expect(emulator.sentMessages()).toEqual([]);
  });

  it('a bare LF dot does not end DATA (no smuggled second message), a 10 MB command line is refused', async () => {
    await start();
    const smtp = await RawSmtp.open(port());
    await smtp.reply();
    await smtp.command('EHLO erp');
    await smtp.command(`AUTH PLAIN ${authPlain(user, password)}`);
    await smtp.command(`MAIL FROM:<${DEMO.sender.upn}>`);
    await smtp.command('RCPT TO:<kunde@example.com>');
    expect(await smtp.command('DATA')).toMatch(/^354 /);
    smtp.write(
      `From: ${DEMO.sender.upn}\r\nTo: kunde@example.com\r\nSubject: eins\r\n\r\ntext\n.\nMAIL FROM:<${DEMO.sender.upn}>\nRCPT TO:<evil@example.net>\nDATA\nSubject: zwei\n\nx\n.\n`,
    );
    smtp.write('\r\n.\r\n');
    expect(await smtp.reply()).toMatch(/^250 /);
    const big = await smtp.command(`NOOP ${'x'.repeat(10 * 1024 * 1024)}`, 20_000);
    expect(big ?? 'closed').toMatch(/^(5\d\d |421 |closed)/);
    smtp.close();
    await drained();
    const sent = emulator.sentMessages();
    expect(sent.map((m) => m.subject)).toEqual(['eins']);
    expect(sent[0]?.bccRecipients).toEqual([]);
  });

  it('a client that stops in the middle of DATA is cut off at the idle time: no 250, nothing queued or sent', async () => {
    await start({ idleTimeoutMs: 1_000 });
    const smtp = await RawSmtp.open(port());
    await smtp.reply();
    await smtp.command('EHLO erp');
    await smtp.command(`AUTH PLAIN ${authPlain(user, password)}`);
    await smtp.command(`MAIL FROM:<${DEMO.sender.upn}>`);
    await smtp.command('RCPT TO:<kunde@example.com>');
    await smtp.command('DATA');
    smtp.write('Subject: halb\r\n\r\nangefangen');
    const answer = await smtp.reply(5_000);
    expect(answer ?? 'closed').toMatch(/^(421 |closed)/);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.closed).toBe(true);
    await drained();
    expect(emulator.sentMessages()).toEqual([]);
    expect(readdirSync(join(dataDir, 'relay', 'queue')).filter((n) => n.endsWith('.msg'))).toEqual([]);
  });

  it('20 wrong passwords lock the client out (even the right one then waits); the password is in no log, file or reply', async () => {
    await start({ lockout: { threshold: 5, baseMs: 60_000, maxMs: 600_000 } });
    const replies: string[] = [];
    const connect = async () => {
      const c = await RawSmtp.open(port());
      await c.reply();
      await c.command('EHLO erp');
      return c;
    };
    let smtp = await connect();
    for (let i = 0; i < 20; i += 1) {
      if (smtp.closed) smtp = await connect();
      const r = await smtp.command(`AUTH PLAIN ${authPlain(user, `${password}-falsch-${i}`)}`);
      if (r !== null) replies.push(r);
    }
    expect(replies.filter((r) => r.startsWith('535 ')).length).toBeGreaterThanOrEqual(5);
    expect(replies.some((r) => r.startsWith('454 '))).toBe(true);
    smtp.close();
    smtp = await connect();
    const right = await smtp.command(`AUTH PLAIN ${authPlain(user, password)}`);
    expect(right).toMatch(/^454 .*4\.7\.0/);
    replies.push(right ?? '');
    smtp.close();
    // Canary: the real password appears nowhere the relay writes.
    const files = readdirSync(join(dataDir, 'relay'), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => readFileSync(join(d.parentPath, d.name), 'latin1'));
    for (const text of [...logs, ...replies, ...files]) expect(text).not.toContain(password);
    expect(logs.some((l) => l.startsWith('relay.login-failed'))).toBe(true);
  });
});

describe('SMTP relay: delivery faults', () => {
  it('a 503 from Graph defers with 451 4.4.x and the retry delivers it once', async () => {
    await start();
    emulator.setFault({ match: { path: '/sendMail', host: 'graph' }, action: { type: 'status', status: 503 }, times: 1 });
    await sendOne('Nach Fehler');
    await relay?.worker.settled();
    const [entry] = relay?.worker.list() ?? [];
    expect(entry).toMatchObject({ status: 'sent', attempts: 2 });
    expect(entry?.lastReply).toBeNull();
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['Nach Fehler']);
  });

  it('a dropped sendMail connection keeps the marker: the retry looks in the mailbox first, the mail arrives once', async () => {
    await start();
    emulator.setFault({ match: { path: '/sendMail', host: 'graph' }, action: { type: 'drop' }, times: 1 });
    await sendOne('Verbindung weg');
    await relay?.worker.settled();
    expect(relay?.worker.list()[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['Verbindung weg']);
    expect(emulator.requests().some((r) => r.method === 'GET' && /\/messages/.test(r.path))).toBe(true);
  });

  it('an alias Exchange does not let the mailbox send as: 550 5.7.1 at once and a bounce, no retries', async () => {
    const { RelayCredentials } = await import('./relay-credentials');
    const profileId = (await core.profiles.list())[0]?.id ?? '';
    password = await new RelayCredentials(dataDir).issue(profileId, user, new Date(), [DEMO.otherMailbox.upn]);
    await start();
    const file = join(dataDir, 'alias.eml');
    writeFileSync(file, mail(`From: ${DEMO.otherMailbox.upn}\nTo: kunde@example.com\nSubject: Als andere`));
    const run = await curlSend(file, { from: DEMO.otherMailbox.upn, domain: 'erp' });
    expect(run.code).toBe(0);
    await relay?.worker.settled();
    const [entry] = relay?.worker.list() ?? [];
    expect(entry).toMatchObject({ status: 'failed', attempts: 1, bounced: true });
    expect(entry?.lastReply).toMatchObject({ code: 550, enhanced: '5.7.1' });
    expect(emulator.sentMessages().map((m) => m.toRecipients[0]?.address)).toEqual([DEMO.otherMailbox.upn]);
  });

  it("Graph's 413 (request over 4 MB) bounces at once with 552 5.3.4, message too big, in the report too", async () => {
    await start();
    // Graph's own shape for its request limit, where a real message under the draft threshold cannot reach it.
    emulator.setFault({ match: { path: '/sendMail', host: 'graph' }, action: { type: 'status', status: 413 }, times: 1 });
    await sendOne('Zu groß');
    await relay?.worker.settled();
    const [entry] = relay?.worker.list() ?? [];
    expect(entry).toMatchObject({ status: 'failed', attempts: 1, bounced: true });
    expect(entry?.lastReply).toMatchObject({ code: 552, enhanced: '5.3.4', diagnosis: 'graph-request-too-large' });
    const dsn = emulator.sentMessages().find((m) => m.subject.startsWith('Unzustellbar'));
    expect(dsn?.body.content).toMatch(/Status: 5\.3\.4/);
    expect(dsn?.body.content).toMatch(/Diagnostic-Code: smtp; 552 5\.3\.4 /);
  });

  it('a 429 with Retry-After waits as told, then sends', async () => {
    await start();
    emulator.setFault({
      match: { path: '/sendMail', host: 'graph' },
      action: { type: 'status', status: 429, retryAfterSeconds: 1 },
      times: 1,
    });
    const t0 = Date.now();
    await sendOne('Gedrosselt');
    await relay?.worker.settled();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(emulator.sentMessages()).toHaveLength(1);
  });

  it('temporary failures past the maximum age end in an RFC 3464 bounce to the envelope sender', async () => {
    await start({}, { maxAgeMs: 1 });
    emulator.setFault({ match: { path: '/sendMail', host: 'graph' }, action: { type: 'status', status: 503 }, times: 1 });
    await sendOne('Zu spät');
    await relay?.worker.settled();
    const [entry] = relay?.worker.list() ?? [];
    expect(entry).toMatchObject({ status: 'failed', bounced: true });
    expect(entry?.lastReply).toMatchObject({ code: 554, enhanced: '5.4.7' });
    const dsn = emulator.sentMessages().find((m) => m.subject.startsWith('Unzustellbar'));
    expect(dsn).toMatchObject({ toRecipients: [{ address: DEMO.sender.upn }] });
    expect(dsn?.body.content).toMatch(/Final-Recipient: rfc822; kunde@example.com/);
    expect(dsn?.body.content).toMatch(/Status: 5\.4\.7/);
    // `check` fails the profile for a day after a bounce.
    const result = await check(new Date());
    expect(result.exitCode).toBe(2);
    expect(result.profile?.messages.map((m) => m.key)).toContain('host:relay.checkBounced');
  });

  it('a token that cannot be had (expired secret) defers with 451 naming why, never a hang', async () => {
    await start();
    emulator.setFault({ match: { path: '/oauth2/v2.0/token', host: 'login' }, action: { type: 'status', status: 503 } });
    await sendOne('Kein Token');
    for (let i = 0; i < 200 && (relay?.worker.list()[0]?.attempts ?? 0) < 1; i += 1) await new Promise((r) => setTimeout(r, 25));
    const [entry] = relay?.worker.list() ?? [];
    expect(entry?.status).toBe('pending');
    expect(entry?.lastReply?.code).toBe(451);
    expect(entry?.lastReply?.enhanced).toMatch(/^4\.(4|3)\./);
    // Still waiting 20 minutes later (as `check` sees it): a warning naming the stuck mail.
    emulator.clearFaults();
    await relay?.close();
    relay = undefined;
    const later = await check(new Date(Date.now() + 20 * 60_000));
    expect(later.profile?.messages.find((m) => m.key === 'host:relay.checkStuck')?.text).toMatch(
      /1 relayed message has waited more than 15 minutes/,
    );
    expect(later.exitCode).toBeGreaterThanOrEqual(1);
    expect((await check(new Date())).profile?.messages.map((m) => m.key)).not.toContain('host:relay.checkStuck');
  });
});

describe('SMTP relay: large messages, stalls and bounces', () => {
  const swaksLarge = async (file: string, name: string, subject: string) =>
    runTool(
      'swaks',
      [
        '--server',
        '127.0.0.1',
        '--port',
        String(port()),
        '--from',
        DEMO.sender.upn,
        '--to',
        'kunde@example.com',
        '--auth',
        'PLAIN',
        '--auth-user',
        user,
        '--auth-password',
        password,
        '--header',
        `Subject: ${subject}`,
        '--body',
        'Anbei die Zeichnung.',
        '--attach-type',
        'application/pdf',
        '--attach-name',
        name,
        '--attach',
        `@${file}`,
        '--suppress-data',
      ],
      { timeoutMs: 60_000 },
    );

  it('swaks with a 20 MB attachment: sent as a draft with upload sessions, the attachment arrives byte for byte', async () => {
    await start();
    emulator.clearRequests();
    const bytes = randomBytes(20 * 1024 * 1024);
    const file = join(dataDir, 'zeichnung.pdf');
    writeFileSync(file, bytes);
    const run = await swaksLarge(file, 'zeichnung.pdf', 'Zeichnung 20 MB');
    expect(run.stdout).toMatch(/Queued as/);
    expect(run.code).toBe(0);
    await relay?.worker.settled(60_000);
    expect(relay?.worker.list()[0]).toMatchObject({ status: 'sent', attempts: 1 });
    const sent = emulator.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ subject: 'Zeichnung 20 MB', toRecipients: [{ address: 'kunde@example.com' }] });
    expect(sent[0]?.body.content).toContain('Anbei die Zeichnung.');
    expect(sent[0]?.attachments).toEqual([{ name: 'zeichnung.pdf', contentType: 'application/pdf', size: bytes.length }]);
    // The bytes in the mailbox's sent item are the file swaks attached.
    const item = emulator.mailboxItems(DEMO.sender.upn).find((m) => m.internetMessageId === sent[0]?.internetMessageId);
    expect(item?.folder).toBe('sentitems');
    const stored = item?.attachments[0]?.bytes ?? Buffer.alloc(0);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    // The marker went with the draft, and the MIME sendMail (4 MB limit) was never tried.
    expect(sent[0]?.internetMessageId).toMatch(/^<.+@.+>$/);
    const graph = emulator.requests().filter((r) => r.host === 'graph');
    expect(graph.some((r) => r.path.endsWith('/sendMail'))).toBe(false);
    expect(graph.filter((r) => r.method === 'PUT').length).toBe(5);
  }, 90_000);

  it('a large message from a profile without Mail.ReadWrite: 451 4.3.5 naming the profile and the permission, kept', async () => {
    const { RelayCredentials } = await import('./relay-credentials');
    const other = await relayProfile(core, 'Nur Senden', DEMO.confidentialApp);
    const credentials = new RelayCredentials(dataDir);
    // The login of the same sender address now belongs to the profile whose app has only Mail.Send.
    for (const c of credentials.list()) credentials.revoke(c.profileId);
    password = await credentials.issue(other.id, user, new Date());
    await start();
    const file = join(dataDir, 'gross.pdf');
    writeFileSync(file, randomBytes(4 * 1024 * 1024));
    const run = await swaksLarge(file, 'gross.pdf', 'Zu gross ohne Recht');
    expect(run.code).toBe(0);
    for (let i = 0; i < 400 && (relay?.worker.list()[0]?.lastReply ?? null) === null; i += 1)
      await new Promise((r) => setTimeout(r, 25));
    const [entry] = relay?.worker.list() ?? [];
    expect(entry?.lastReply).toMatchObject({ code: 451, enhanced: '4.3.5' });
    expect(entry?.bounced).toBe(false);
    expect(entry?.lastReply?.text).toContain('"Nur Senden"');
    expect(entry?.lastReply?.text).toContain('Mail.ReadWrite missing');
    // A client-secret profile: the application permission (a Modern Authentication one is told the delegated one).
    expect(entry?.lastReply?.text).toContain('application permission Mail.ReadWrite');
    expect(emulator.sentMessages()).toEqual([]);
    // What `check` reads from the queue 20 minutes later: stuck, and why.
    const health = (await relayHealth(dataDir, new Date(Date.now() + 20 * 60_000))).get(other.id);
    expect(health).toMatchObject({ stuck: 1 });
    expect(health?.stuckReason).toContain('Mail.ReadWrite missing');
  }, 60_000);

  it('a 90-second stall of sendMail ends at the request deadline and the retry delivers once: no hang', async () => {
    await relay?.close();
    core = await openRelayCore(dataDir, emulator, 4_000);
    await start();
    emulator.clearRequests();
    emulator.setFault({ match: { path: '/sendMail', host: 'graph' }, action: { type: 'stall', ms: 90_000 }, times: 1 });
    const t0 = Date.now();
    await sendOne('Stau');
    await relay?.worker.settled(30_000);
    expect(Date.now() - t0).toBeLessThan(30_000);
    const [entry] = relay?.worker.list() ?? [];
    expect(entry).toMatchObject({ status: 'sent', attempts: 2 });
    const sends = emulator.requests().filter((r) => r.path.endsWith('/sendMail'));
    expect(sends.map((r) => r.faults)).toEqual([['stall'], []]);
    expect(sends[0]?.outcome).not.toBe('response');
    // The stalled attempt's answer was lost: the retry looked in the mailbox before sending again.
    expect(emulator.requests().some((r) => r.method === 'GET' && /\/messages$/.test(r.path))).toBe(true);
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['Stau']);
  }, 60_000);

  it("over the mailbox's messages a minute the worker defers (no attempt, no 429 from Graph) instead of blocking", async () => {
    relay = await startRelay(core, {
      listen: { port: 0, idleTimeoutMs: 3_000 },
      worker: { firstRetryMs: 200, maxRetryMs: 500 },
      pacer: new MailPacer(systemPacingClock, { ...MAILBOX_LIMITS, messagesPerMinute: 2 }),
      language: 'en',
    });
    for (const subject of ['Eins', 'Zwei', 'Drei']) await sendOne(subject);
    await drained();
    const entries = relay.worker.list();
    expect(entries.filter((e) => e.status === 'sent')).toHaveLength(2);
    const waiting = entries.find((e) => e.status === 'pending');
    expect(waiting).toMatchObject({ attempts: 0, lastReply: null });
    // The sliding minute of the first send: not before about a minute from now.
    expect(Date.parse(waiting?.nextAttemptAt ?? '') - Date.now()).toBeGreaterThan(30_000);
    expect(emulator.sentMessages()).toHaveLength(2);
  });

  it('--bounce-to: when the bounce to the envelope sender fails, the report goes to the admin address', async () => {
    await start({}, { maxAgeMs: 1, bounceTo: DEMO.otherMailbox.upn });
    // The message (expired at once) and the bounce to the sender fail; the bounce to --bounce-to goes.
    emulator.setFault({ match: { path: '/sendMail', host: 'graph' }, action: { type: 'status', status: 503 }, times: 2 });
    await sendOne('An Admin');
    await relay?.worker.settled();
    expect(relay?.worker.list()[0]).toMatchObject({ status: 'failed', bounced: true });
    const sent = emulator.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toMatch(/^Unzustellbar/);
    expect(sent[0]?.toRecipients).toEqual([{ address: DEMO.otherMailbox.upn }]);
  });
});

describe('SMTP relay worker: finishing fails after Graph accepted the mail', () => {
  it('the mail stays sent (never re-queued or bounced); only the file work is retried', async () => {
    const profileId = (await core.profiles.list())[0]?.id ?? '';
    let failures = 0;
    // The disk refuses the "sent" state and the unlink of the .msg once, after sendMail returned 202.
    class FailingQueue extends RelayQueue {
      override async finishQuick(id: string, state: Parameters<RelayQueue['finishQuick']>[1]): Promise<void> {
        if (state.status === 'sent' && failures === 0) {
          failures += 1;
          throw Object.assign(new Error('EIO: i/o error, unlink'), { code: 'EIO' });
        }
        await super.finishQuick(id, state);
      }
    }
    const queue = new FailingQueue(dataDir);
    const worker = new RelayWorker(
      {
        queue,
        profile: async (id) => (await core.profiles.list()).find((p) => p.id === id) ?? null,
        graphFor: (p) => core.batch.graphFor(p),
        pacer: new MailPacer(systemPacingClock),
        now: Date.now,
        log: (event, data) => logs.push(`${event} ${JSON.stringify(data)}`),
      },
      { firstRetryMs: 100, maxRetryMs: 200, language: 'en' },
    );
    const writer = queue.open({
      id: newQueueId(Date.now()),
      profileId,
      mailFrom: DEMO.sender.upn,
      rcptTo: ['kunde@example.com'],
      acceptedAt: new Date().toISOString(),
      clientAddress: '127.0.0.1',
      messageId: '',
      addedMessageId: false,
    });
    writer.write(
      Buffer.from(
        mail(`From: ${DEMO.sender.upn}\nTo: kunde@example.com\nSubject: Einmal\nMessage-ID: <einmal-1@contoso.example>`),
      ),
    );
    const envelope = await writer.commit({ messageId: '<einmal-1@contoso.example>', addedMessageId: false });
    worker.start();
    await worker.settled();
    expect(failures).toBe(1);
    expect(worker.list()[0]).toMatchObject({ status: 'sent', bounced: false, attempts: 1 });
    expect(logs.some((l) => l.startsWith('relay.finish-failed') && l.includes('"EIO"'))).toBe(true);
    // The file work is retried in the background: the .msg goes and the state on disk says sent. The unlink ends
    // before the retry's promise does (and its log line): wait for both, not a timing.
    const recovered = () => logs.some((l) => l.startsWith('relay.finish-recovered'));
    for (let i = 0; i < 400 && (queue.hasMessage(envelope.id) || !recovered()); i += 1)
      await new Promise((r) => setTimeout(r, 25));
    await worker.stop();
    expect(queue.hasMessage(envelope.id)).toBe(false);
    expect(queue.readState(envelope.id)).toMatchObject({ status: 'sent' });
    expect(logs.some((l) => l.startsWith('relay.finish-recovered'))).toBe(true);
    expect(emulator.sentMessages().filter((m) => m.subject === 'Einmal')).toHaveLength(1);
    expect(emulator.sentMessages()).toHaveLength(1);
    expect(logs.filter((l) => l.startsWith('relay.deferred') || l.startsWith('relay.failed'))).toEqual([]);
    for (const line of logs) expect(line).not.toContain('Einmal');
  });
});

describe('SMTP relay worker: a state write that throws inside the retry', () => {
  it('is logged as relay.attempt-crashed (no unhandled rejection) and the message is tried again and sent once', async () => {
    const profileId = (await core.profiles.list())[0]?.id ?? '';
    let failures = 0;
    // The marker write fails, and so does the "pending" write of the retry the failure leads to.
    class FailingQueue extends RelayQueue {
      override async writeStateFor(id: string, state: Parameters<RelayQueue['writeStateFor']>[1], durable: boolean) {
        if (failures < 2 && (state.status === 'sending' || state.status === 'pending')) {
          failures += 1;
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        }
        await super.writeStateFor(id, state, durable);
      }
    }
    const queue = new FailingQueue(dataDir);
    const worker = new RelayWorker(
      {
        queue,
        profile: async (id) => (await core.profiles.list()).find((p) => p.id === id) ?? null,
        graphFor: (p) => core.batch.graphFor(p),
        pacer: new MailPacer(systemPacingClock),
        now: Date.now,
        log: (event, data) => logs.push(`${event} ${JSON.stringify(data)}`),
      },
      { firstRetryMs: 100, maxRetryMs: 200, language: 'en' },
    );
    const writer = queue.open({
      id: newQueueId(Date.now()),
      profileId,
      mailFrom: DEMO.sender.upn,
      rcptTo: ['kunde@example.com'],
      acceptedAt: new Date().toISOString(),
      clientAddress: '127.0.0.1',
      messageId: '',
      addedMessageId: false,
    });
    writer.write(
      Buffer.from(mail(`From: ${DEMO.sender.upn}\nTo: kunde@example.com\nSubject: Voll\nMessage-ID: <voll-1@contoso.example>`)),
    );
    const envelope = await writer.commit({ messageId: '<voll-1@contoso.example>', addedMessageId: false });
    worker.start();
    await worker.settled();
    await worker.stop();
    expect(failures).toBe(2);
    expect(logs.some((l) => l.startsWith('relay.attempt-crashed') && l.includes('"ENOSPC"'))).toBe(true);
    expect(worker.list()[0]).toMatchObject({ status: 'sent', bounced: false });
    expect(queue.hasMessage(envelope.id)).toBe(false);
    expect(emulator.sentMessages()).toHaveLength(1);
    for (const line of logs) expect(line).not.toContain('Voll');
  });
});

describe('SMTP relay worker: a crash in the middle of a bounce', () => {
  it('the bounce is journaled: after the restart it is found by its Message-ID, not sent twice', async () => {
    const profileId = (await core.profiles.list())[0]?.id ?? '';
    let crash = true;
    // A power cut right after the bounce left: the state saying "failed, bounced" is never written.
    class CutQueue extends RelayQueue {
      override async finishQuick(id: string, state: Parameters<RelayQueue['finishQuick']>[1]): Promise<void> {
        if (crash && state.bounced) return;
        await super.finishQuick(id, state);
      }
    }
    const worker = (queue: RelayQueue) =>
      new RelayWorker(
        {
          queue,
          profile: async (id) => (await core.profiles.list()).find((p) => p.id === id) ?? null,
          graphFor: (p) => core.batch.graphFor(p),
          pacer: new MailPacer(systemPacingClock),
          now: Date.now,
          log: (event, data) => logs.push(`${event} ${JSON.stringify(data)}`),
        },
        { maxAgeMs: 1, firstRetryMs: 100, maxRetryMs: 200, language: 'en' },
      );
    const queue = new CutQueue(dataDir);
    const writer = queue.open({
      id: newQueueId(Date.now()),
      profileId,
      mailFrom: DEMO.sender.upn,
      rcptTo: ['kunde@example.com'],
      acceptedAt: new Date().toISOString(),
      clientAddress: '127.0.0.1',
      messageId: '',
      addedMessageId: false,
    });
    writer.write(
      Buffer.from(
        mail(`From: ${DEMO.sender.upn}\nTo: kunde@example.com\nSubject: Absturz\nMessage-ID: <absturz-1@contoso.example>`),
      ),
    );
    const envelope = await writer.commit({ messageId: '<absturz-1@contoso.example>', addedMessageId: false });
    emulator.setFault({ match: { path: '/sendMail', host: 'graph' }, action: { type: 'status', status: 503 }, times: 1 });
    const first = worker(queue);
    first.start();
    for (let i = 0; i < 400 && !emulator.sentMessages().some((m) => m.subject.startsWith('Unzustellbar')); i += 1)
      await new Promise((r) => setTimeout(r, 25));
    await first.stop();
    expect(queue.readState(envelope.id, envelope)).toMatchObject({ bouncing: { code: 554, enhanced: '5.4.7' } });
    crash = false;
    const second = worker(queue);
    second.start();
    await second.settled();
    await second.stop();
    expect(second.list()[0]).toMatchObject({ status: 'failed', bounced: true });
    const dsns = emulator.sentMessages().filter((m) => m.subject.startsWith('Unzustellbar'));
    expect(dsns).toHaveLength(1);
    expect(emulator.sentMessages()).toHaveLength(1);
    expect(logs.some((l) => l.startsWith('relay.recovered-bounce'))).toBe(true);
  });
});
