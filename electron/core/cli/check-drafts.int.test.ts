import { existsSync, mkdtempSync, readdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import type { Clock } from '../ports';
import { RelayCredentials } from '../relay/relay-credentials';
import { openConfStore } from '../testing/conf-store';
import { TEST_HOST } from '../testing/core-fixture';
import { InMemoryCipher, MemoryLogger } from '../testing/in-memory';
import { UndiciTransport } from '../testing/undici-transport';
import { emulatorEndpoints } from '../testing/emulator-endpoints';
import type { CheckResult } from './check-command';
import { openHeadlessCore } from './headless-core';
import { runCommand } from './run-command';

// `check` says when a profile that sends through drafts lacks Mail.ReadWrite, from the token's roles alone (no mail,
// no draft): the commands exactly as the binary runs them, against the emulator.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());

let dataDir: string;
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearSentMessages();
  emulator.setMailboxThrottling('off');
  dataDir = mkdtempSync(join(tmpdir(), 'absender-check-drafts-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const clock: Clock = { now: () => new Date() };
const cipher = new InMemoryCipher();
const openCore = () =>
  openHeadlessCore({
    dataDir,
    open: (name) => openConfStore(dataDir, name),
    os: { cipher, clock, logger: new MemoryLogger(), transport: new UndiciTransport({ systemProxy: '' }) },
    host: TEST_HOST,
    network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 10_000, maxRetries: 0, maxRetryDelaySeconds: 2 },
  });

async function saveProfile(name: string, app: { clientId: string; secretValue: string }): Promise<string> {
  const api = await openCore();
  const saved = await api.profiles.save({
    draft: {
      name,
      accountType: 'client-secret',
      senderAddress: DEMO.sender.upn,
      mailboxAddress: DEMO.sender.upn,
      clientId: app.clientId,
      tenant: DEMO.tenantId,
      secretExpiresOn: new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10),
    },
    clientSecret: app.secretValue,
  });
  return saved.id;
}

async function command(argv: string[]) {
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

const READ_WRITE_MISSING = 'host:cli.readWriteMissing';
const checkJson = async (profile: string) => {
  const run = await command(['check', '--profile', profile, '--json', '--prometheus', join(dataDir, 'absender.prom')]);
  return {
    exitCode: run.exitCode,
    result: JSON.parse(run.stdout) as CheckResult,
    prom: readFileSync(join(dataDir, 'absender.prom'), 'utf8'),
  };
};

describe('check: Mail.ReadWrite for profiles that send through drafts', () => {
  it('a relay profile whose token lacks Mail.ReadWrite warns (exit 1, JSON, Prometheus, de/en); the same profile without the relay is not warned about it', async () => {
    // User.Read.All only: the mailbox can be read and the token lists its roles; the one warning before the relay
    // login is that role itself (sending never needs it), not Mail.ReadWrite.
    const id = await saveProfile('Relay', DEMO.noMailSendApp);
    const before = await checkJson('Relay');
    expect(before.exitCode).toBe(1);
    expect(before.result.profiles[0]?.messages.map((m) => m.key)).toEqual(['steps.claims.broadRoles']);
    expect(before.result.profiles[0]?.drafts).toEqual({ mailReadWrite: 'missing', used: null });
    expect(before.result.profiles[0]?.messages.map((m) => m.key)).not.toContain(READ_WRITE_MISSING);
    expect(before.prom).toContain(`absender_mail_readwrite{profile="Relay",id="${id}"} 0`);
    expect(before.prom).toContain(`absender_draft_path_used{profile="Relay",id="${id}"} 0`);

    await new RelayCredentials(dataDir).issue(id, DEMO.sender.upn, new Date());
    const after = await checkJson('Relay');
    expect(after.exitCode).toBe(1);
    const profile = after.result.profiles[0];
    expect(profile?.state).toBe('warning');
    expect(profile?.drafts).toEqual({ mailReadWrite: 'missing', used: { sendSince: null, relay: true } });
    const message = profile?.messages.find((m) => m.key === READ_WRITE_MISSING);
    expect(message?.text).toMatch(
      /API permissions → Add a permission → Microsoft Graph → Application permissions → Mail\.ReadWrite/,
    );
    expect(message?.text).toMatch(/granted: User\.Read\.All/);
    expect(after.prom).toContain(`absender_profile_state{profile="Relay",id="${id}",state="warning"} 1`);
    expect(after.prom).toContain(`absender_draft_path_used{profile="Relay",id="${id}"} 1`);
    expect(after.prom).toContain('absender_check_exit_code 1');

    const de = await command(['check', '--profile', 'Relay', '--lang', 'de']);
    expect(de.exitCode).toBe(1);
    expect(de.stdout).toMatch(/^WARNUNG/);
    expect(de.stdout).toContain(
      'API-Berechtigungen → Berechtigung hinzufügen → Microsoft Graph → Anwendungsberechtigungen → Mail.ReadWrite',
    );
    expect(de.stdout).toContain('Administratorzustimmung');
    expect(emulator.sentMessages()).toEqual([]);
  });

  it('a send with --idempotency-key that was refused for Mail.ReadWrite makes the next check name it; no mail, no draft by the check', async () => {
    // Mail.Send only (restricted to the sender mailbox): small mail works, drafts do not.
    const id = await saveProfile('Bestellungen', DEMO.confidentialApp);
    const body = join(dataDir, 'body.txt');
    writeFileSync(body, 'Bestellung 4711');
    const sent = await command([
      'send',
      '--profile',
      id,
      '--to',
      'kunde@example.com',
      '--subject',
      'PO',
      '--body-file',
      body,
      '--idempotency-key',
      'po-4711',
    ]);
    expect(sent.exitCode).toBe(77);
    const drafts = () => emulator.mailboxItems(DEMO.sender.upn).length;
    const itemsBefore = drafts();
    const run = await checkJson('Bestellungen');
    expect(run.exitCode).toBeGreaterThanOrEqual(1);
    const profile = run.result.profiles[0];
    expect(profile?.drafts.mailReadWrite).toBe('missing');
    expect(profile?.drafts.used?.sendSince).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(profile?.messages.find((m) => m.key === READ_WRITE_MISSING)?.text).toMatch(
      /send took the draft path, first on \d{4}-/,
    );
    expect(emulator.sentMessages()).toEqual([]);
    expect(drafts()).toBe(itemsBefore);
  });

  it('a draft profile whose token carries Mail.ReadWrite is not warned about it; a token without roles (RBAC) is not judged', async () => {
    const draft = await saveProfile('Entwürfe', DEMO.draftApp);
    const rbac = await saveProfile('RBAC', DEMO.rbacApp);
    const relay = new RelayCredentials(dataDir);
    await relay.issue(draft, DEMO.sender.upn, new Date());
    await relay.issue(rbac, `versand@${DEMO.tenantDomain}`, new Date());
    const run = await command(['check', '--all', '--json']);
    const result = JSON.parse(run.stdout) as CheckResult;
    const byName = new Map(result.profiles.map((p) => [p.name, p]));
    expect(byName.get('Entwürfe')?.drafts.mailReadWrite).toBe('granted');
    expect(byName.get('RBAC')?.drafts.mailReadWrite).toBe('unknown');
    for (const p of result.profiles) expect(p.messages.map((m) => m.key)).not.toContain(READ_WRITE_MISSING);
    expect(byName.get('RBAC')?.state).toBe('ok');
  });

  it('deleting a profile through the core API removes its draft-path marker and send-journal entries, not another profile’s', async () => {
    const gone = await saveProfile('Bestellungen', DEMO.draftApp);
    const kept = await saveProfile('Rechnungen', DEMO.draftApp);
    const body = join(dataDir, 'body.txt');
    writeFileSync(body, 'Bestellung 4711');
    for (const [id, key] of [
      [gone, 'po-4711'],
      [gone, 'po-4712'],
      [kept, 're-1'],
    ] as const) {
      const sent = await command([
        'send',
        '--profile',
        id,
        '--to',
        'kunde@example.com',
        '--subject',
        'PO',
        '--body-file',
        body,
        '--idempotency-key',
        key,
      ]);
      expect(sent.exitCode, sent.stderr).toBe(0);
    }
    const markers = () => readdirSync(join(dataDir, 'draft-path'));
    const journal = () => readdirSync(join(dataDir, 'send-journal'));
    expect(markers()).toHaveLength(2);
    expect(journal()).toHaveLength(3);

    const api = await openCore();
    const profile = (await api.profiles.list()).find((p) => p.id === gone);
    await api.profiles.delete({ id: gone, revision: profile?.revision ?? 0 });

    expect(markers()).toHaveLength(1);
    const left = journal().map(
      (f) => JSON.parse(readFileSync(join(dataDir, 'send-journal', f), 'utf8')) as { profileId: string },
    );
    expect(left.map((e) => e.profileId)).toEqual([kept]);
    // The kept profile's marker is the one left: check still knows it sends through drafts.
    const run = await checkJson('Rechnungen');
    expect(run.result.profiles[0]?.drafts.used?.sendSince).toMatch(/^\d{4}-/);
    expect(existsSync(join(dataDir, 'draft-path'))).toBe(true);
  });
});
