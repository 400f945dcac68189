import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { runCommand } from '../cli/run-command';
import { killOwnedChildren } from '../testing/owned-children';
import { authPlain, RawSmtp } from './testing/raw-smtp';
import { newDataDir, openRelayCore, relayProfile } from './testing/relay-fixture';
import { runTool } from './testing/tools';

// `Absender relay` through runCommand as the binary runs it: help, usage errors, the one-time password,
// then a relay that an ERP-like client (curl) sends through until the stop signal.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());

let dataDir: string;
beforeEach(() => {
  emulator.clearSentMessages();
  dataDir = newDataDir();
});
afterEach(() => {
  killOwnedChildren();
  rmSync(dataDir, { recursive: true, force: true });
});

function relay(args: string[], stop = new AbortController().signal, live?: (text: string) => void) {
  let stdout = '';
  let stderr = '';
  const run = runCommand(['relay', ...args], {
    stdout: {
      write: (s: string) => {
        stdout += s;
        live?.(s);
      },
    },
    stderr: { write: (s: string) => (stderr += s) },
    osLanguage: 'en',
    clock: { now: () => new Date() },
    openCore: () => openRelayCore(dataDir, emulator),
    stop,
  });
  return { run, out: () => ({ stdout, stderr }) };
}

describe('Absender relay', () => {
  it('--help prints the options (exit 0); a wrong command line is a usage error (exit 64) naming the problem', async () => {
    const help = relay(['--help']);
    expect((await help.run).exitCode).toBe(0);
    expect(help.out().stdout).toMatch(/--allow-client IP\/CIDR/);
    const bad = relay(['--listen', 'irgendwo']);
    expect((await bad.run).exitCode).toBe(64);
    expect(bad.out().stderr).toMatch(/--listen takes HOST:PORT/);
    const open = relay(['--listen', '0.0.0.0:2626']);
    expect((await open.run).exitCode).toBe(64);
    expect(open.out().stderr).toMatch(/only with --allow-client/);
    const unknown = relay(['--frobnicate']);
    expect((await unknown.run).exitCode).toBe(64);
  });

  it('--new-password shows user and password once (only the scrypt hash is stored); the relay then takes mail until stopped', async () => {
    const core = await openRelayCore(dataDir, emulator);
    await relayProfile(core);
    const issued = relay(['--new-password', '--profile', 'Versand']);
    expect((await issued.run).exitCode).toBe(0);
    const password = /Password:\s+(\S+)/.exec(issued.out().stdout)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const stored = readFileSync(join(dataDir, 'relay', 'credentials.json'), 'utf8');
    expect(stored).not.toContain(password);
    expect(stored).toMatch(/"hash"/);

    const stop = new AbortController();
    let listening: (port: number) => void = () => undefined;
    const port = new Promise<number>((resolve) => (listening = resolve));
    const running = relay(['--listen', '127.0.0.1:0'], stop.signal, (text) => {
      const m = /listening on [^:]+:(\d+)/.exec(text);
      if (m) listening(Number(m[1]));
    });
    const p = await port;
    const file = join(dataDir, 'm.eml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, `From: ${DEMO.sender.upn}\r\nTo: kunde@example.com\r\nSubject: ERP\r\n\r\nBestellung\r\n`);
    const curl = await runTool('curl', [
      '-sS',
      `smtp://127.0.0.1:${p}/erp`,
      '--mail-from',
      DEMO.sender.upn,
      '--mail-rcpt',
      'kunde@example.com',
      '--user',
      `${DEMO.sender.upn}:${password}`,
      '--upload-file',
      file,
    ]);
    expect(curl.code).toBe(0);
    for (let i = 0; i < 200 && emulator.sentMessages().length === 0; i += 1) await new Promise((r) => setTimeout(r, 25));
    stop.abort();
    expect((await running.run).exitCode).toBe(0);
    expect(running.out().stdout).toMatch(/SMTP relay stopped\. Queue: 0 pending, 1 sent, 0 failed/);
    expect(running.out().stdout).not.toContain(password);
    expect(emulator.sentMessages().map((m) => m.subject)).toEqual(['ERP']);
    const status = relay(['--status', '--json']);
    expect((await status.run).exitCode).toBe(0);
    expect(JSON.parse(status.out().stdout)).toEqual({ pending: 0, sending: 0, sent: 1, failed: 0 });
  });

  it('--new-password keeps the aliases unless --alias replaces them; --no-alias clears them', async () => {
    const core = await openRelayCore(dataDir, emulator);
    await relayProfile(core);
    const aliases = () =>
      (
        JSON.parse(readFileSync(join(dataDir, 'relay', 'credentials.json'), 'utf8')) as {
          credentials: Array<{ aliases?: string[] }>;
        }
      ).credentials[0]?.aliases;
    const first = relay([
      '--new-password',
      '--profile',
      'Versand',
      '--alias',
      'Einkauf@contoso.com',
      '--alias',
      'lager@contoso.com',
    ]);
    expect((await first.run).exitCode).toBe(0);
    expect(aliases()).toEqual(['einkauf@contoso.com', 'lager@contoso.com']);
    const again = relay(['--new-password', '--profile', 'Versand']);
    expect((await again.run).exitCode).toBe(0);
    expect(aliases()).toEqual(['einkauf@contoso.com', 'lager@contoso.com']);
    expect(again.out().stdout).toContain(
      'Further sender addresses (MAIL FROM) of this login: einkauf@contoso.com, lager@contoso.com',
    );
    const replaced = relay(['--new-password', '--profile', 'Versand', '--alias', 'lager@contoso.com']);
    expect((await replaced.run).exitCode).toBe(0);
    expect(aliases()).toEqual(['lager@contoso.com']);
    const both = relay(['--new-password', '--profile', 'Versand', '--alias', 'x@contoso.com', '--no-alias']);
    expect((await both.run).exitCode).toBe(64);
    expect(both.out().stderr).toContain('Use either --alias or --no-alias.');
    expect(aliases()).toEqual(['lager@contoso.com']);
    const cleared = relay(['--new-password', '--profile', 'Versand', '--no-alias']);
    expect((await cleared.run).exitCode).toBe(0);
    expect(aliases()).toEqual([]);
    expect(cleared.out().stdout).not.toContain('Further sender addresses');
    const help = relay(['--help']);
    await help.run;
    expect(help.out().stdout).toMatch(/--no-alias +with --new-password: remove the further sender addresses/);
  });

  it('a damaged credentials.json and an unopenable TLS key: the relay still starts, says so, and answers AUTH with 454 4.7.0', async () => {
    const core = await openRelayCore(dataDir, emulator);
    await relayProfile(core);
    const issued = relay(['--new-password', '--profile', 'Versand']);
    expect((await issued.run).exitCode).toBe(0);
    const password = /Password:\s+(\S+)/.exec(issued.out().stdout)?.[1] ?? '';
    const first = new AbortController();
    let firstPrint = '';
    let up: () => void = () => undefined;
    const firstUp = new Promise<void>((resolve) => (up = resolve));
    const firstRun = relay(['--listen', '127.0.0.1:0'], first.signal, (text) => {
      firstPrint += text;
      if (/listening on/.test(text)) up();
    });
    await firstUp;
    first.abort();
    expect((await firstRun.run).exitCode).toBe(0);
    const oldFingerprint = /SHA-256 (([0-9A-F]{2}:){31}[0-9A-F]{2})/i.exec(firstPrint)?.[1] ?? '';
    expect(oldFingerprint).not.toBe('');

    const relayDir = join(dataDir, 'relay');
    writeFileSync(join(relayDir, 'credentials.json'), '{"version":1,"credentials":[{"profileId":"');
    const tls = JSON.parse(readFileSync(join(relayDir, 'tls.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(relayDir, 'tls.json'), JSON.stringify({ ...tls, key: 'AAAA' }));

    const stop = new AbortController();
    let printed = '';
    let listening: (port: number) => void = () => undefined;
    const port = new Promise<number>((resolve) => (listening = resolve));
    const running = relay(['--listen', '127.0.0.1:0'], stop.signal, (text) => {
      printed += text;
      const m = /listening on [^:]+:(\d+)/.exec(text);
      if (m) listening(Number(m[1]));
    });
    const p = await port;
    const smtp = await RawSmtp.open(p);
    expect(await smtp.reply()).toMatch(/^220 /);
    await smtp.command('EHLO erp.example.com');
    expect(await smtp.command(`AUTH PLAIN ${authPlain(DEMO.sender.upn, password)}`)).toMatch(/^454 4\.7\.0/);
    smtp.close();
    stop.abort();
    expect((await running.run).exitCode).toBe(0);

    const kept = readdirSync(relayDir);
    const damagedCopy = kept.find((f) => f.startsWith('credentials.json.damaged-')) ?? '';
    const oldTls = kept.find((f) => f.startsWith('tls.json.unreadable-')) ?? '';
    expect(printed).toContain(
      `The relay logins could not be read (relay/credentials.json was damaged); the file is kept as ${join(relayDir, damagedCopy)}.`,
    );
    expect(printed).toMatch(/relay\.logins-damaged/);
    const newFingerprint = (
      JSON.parse(readFileSync(join(relayDir, 'tls.json'), 'utf8')) as { regenerated: { newFingerprint: string } }
    ).regenerated.newFingerprint;
    expect(newFingerprint).not.toBe(oldFingerprint);
    expect(printed).toContain(`the SHA-256 fingerprint changed from ${oldFingerprint} to ${newFingerprint}`);
    expect(printed).toContain(`The old file is kept as ${join(relayDir, oldTls)}.`);
    expect(printed).toMatch(/relay\.tls-regenerated/);
    expect(printed).not.toContain(password);
  });

  it('a tls.json sealed by another keyring backend: the start says a temporary certificate serves this run, the file stays as it is', async () => {
    const runOnce = async () => {
      const stop = new AbortController();
      let printed = '';
      let up: () => void = () => undefined;
      const listening = new Promise<void>((resolve) => (up = resolve));
      const run = relay(['--listen', '127.0.0.1:0'], stop.signal, (text) => {
        printed += text;
        if (/listening on/.test(text)) up();
      });
      await listening;
      stop.abort();
      expect((await run.run).exitCode).toBe(0);
      return { printed, fingerprint: /SHA-256 (([0-9A-F]{2}:){31}[0-9A-F]{2})/i.exec(printed)?.[1] ?? '' };
    };
    const first = await runOnce();
    const tlsFile = join(dataDir, 'relay', 'tls.json');
    const saved = JSON.parse(readFileSync(tlsFile, 'utf8')) as Record<string, unknown>;
    const other = JSON.stringify({ ...saved, backend: 'kwallet6' });
    writeFileSync(tlsFile, other);
    const second = await runOnce();
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.printed).toContain(
      `The relay's stored certificate (SHA-256 ${first.fingerprint}) cannot be opened on this start: it was sealed with kwallet6, this start uses test.`,
    );
    expect(second.printed).toContain(`STARTTLS uses a temporary certificate with SHA-256 ${second.fingerprint}.`);
    expect(second.printed).toMatch(/relay\.tls-temporary/);
    expect(second.printed).not.toMatch(/relay\.tls-regenerated/);
    expect(readFileSync(tlsFile, 'utf8')).toBe(other);
    expect(readdirSync(join(dataDir, 'relay')).filter((f) => f.startsWith('tls.json.'))).toEqual([]);
    // The keyring back: the stored certificate again, nothing said.
    writeFileSync(tlsFile, JSON.stringify(saved));
    const third = await runOnce();
    expect(third.fingerprint).toBe(first.fingerprint);
    expect(third.printed).not.toMatch(/temporary/);
  });
});
