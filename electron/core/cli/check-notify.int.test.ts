import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import type { Clock } from '../ports';
import { openConfStore } from '../testing/conf-store';
import { TEST_HOST } from '../testing/core-fixture';
import { emulatorEndpoints } from '../testing/emulator-endpoints';
import { InMemoryCipher, MemoryLogger } from '../testing/in-memory';
import { UndiciTransport } from '../testing/undici-transport';
import { openHeadlessCore } from './headless-core';
import { runCommand } from './run-command';

// `check --notify TO --via PROFILE` through the binary's entry, against the emulator: the sink shows the mail.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());

let dataDir: string;
const cipher = new InMemoryCipher();
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearSentMessages();
  dataDir = mkdtempSync(join(tmpdir(), 'absender-notify-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const clock: Clock = { now: () => new Date() };
const openCore = () =>
  openHeadlessCore({
    dataDir,
    open: (name) => openConfStore(dataDir, name),
    os: { cipher, clock, logger: new MemoryLogger(), transport: new UndiciTransport({ systemProxy: '' }) },
    host: TEST_HOST,
    network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 10_000, maxRetries: 0 },
  });
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function save(name: string, clientId: string, secret: string, expiresOn = inDays(300)) {
  const api = await openCore();
  await api.profiles.save({
    draft: {
      name,
      accountType: 'client-secret',
      senderAddress: DEMO.sender.upn,
      mailboxAddress: DEMO.sender.upn,
      clientId,
      tenant: DEMO.tenantId,
      secretExpiresOn: expiresOn,
    },
    clientSecret: secret,
  });
}

async function check(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const { exitCode } = await runCommand(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    osLanguage: 'en',
    clock,
    openCore,
  });
  return { exitCode, stdout, stderr };
}

const ADMIN = 'it-leitung@contoso.example';

describe('check --notify', () => {
  it('mails the German summary through the via profile when a profile failed; the exit code stays the check’s', async () => {
    await save('Bestellungen', DEMO.rbacApp.clientId, DEMO.rbacApp.secretValue);
    await save('Altlast', DEMO.confidentialApp.clientId, DEMO.confidentialApp.expiredSecretValue, inDays(-2));
    const run = await check(['check', '--all', '--notify', ADMIN, '--via', 'bestellungen', '--lang', 'de']);
    expect(run.exitCode).toBe(2);
    const mails = emulator.sentMessages();
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.sender).toBe(DEMO.sender.upn);
    expect(mail?.toRecipients.map((r) => r.address)).toEqual([ADMIN]);
    expect(mail?.subject).toBe('Absender-Prüfung: 1 von 2 Absendern nicht in Ordnung');
    expect(mail?.body.contentType).toBe('Text');
    // The same lines the console shows, the failing profile with its code.
    expect(mail?.body.content).toContain(
      run.stdout
        .trim()
        .split('\n')
        .find((l) => l.includes('Altlast')) ?? '<missing>',
    );
    expect(mail?.body.content).toContain('AADSTS7000222');
    expect(mail?.body.content).not.toContain(DEMO.confidentialApp.expiredSecretValue.slice(0, 8));
    expect(run.stderr).toContain(`Zusammenfassung an ${ADMIN} gesendet`);
  });

  it('sends nothing when every profile is ok (English)', async () => {
    await save('Bestellungen', DEMO.rbacApp.clientId, DEMO.rbacApp.secretValue);
    const run = await check(['check', '--all', '--notify', ADMIN, '--via', 'Bestellungen', '--lang', 'en']);
    expect(run.exitCode).toBe(0);
    expect(emulator.sentMessages()).toEqual([]);
    expect(run.stderr).not.toContain('Summary sent');
  });

  it('says in English when the via profile cannot send, and still exits with the check’s code', async () => {
    await save('Altlast', DEMO.confidentialApp.clientId, DEMO.confidentialApp.expiredSecretValue, inDays(-2));
    const run = await check(['check', '--all', '--notify', ADMIN, '--via', 'Altlast', '--lang', 'en']);
    expect(run.exitCode).toBe(2);
    expect(emulator.sentMessages()).toEqual([]);
    expect(run.stderr).toMatch(/The summary could not be sent through the sender profile "Altlast": .*AADSTS7000222/);
  });

  it('refuses --notify without --via, a bad address and an unknown via profile as usage (64), before any mail', async () => {
    await save('Altlast', DEMO.confidentialApp.clientId, DEMO.confidentialApp.expiredSecretValue, inDays(-2));
    expect((await check(['check', '--all', '--notify', ADMIN, '--lang', 'en'])).exitCode).toBe(64);
    expect((await check(['check', '--all', '--notify', 'kein-at', '--via', 'Altlast'])).exitCode).toBe(64);
    const unknown = await check(['check', '--all', '--notify', ADMIN, '--via', 'Gibtsnicht', '--lang', 'en']);
    expect(unknown.exitCode).toBe(64);
    expect(unknown.stderr).toContain('Gibtsnicht');
    expect(emulator.sentMessages()).toEqual([]);
  });
});
