import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { t } from '../../../shared/i18n/translate';
import type { Clock } from '../ports';
import { openConfStore } from '../testing/conf-store';
import { TEST_HOST } from '../testing/core-fixture';
import { InMemoryCipher, MemoryLogger } from '../testing/in-memory';
import { UndiciTransport } from '../testing/undici-transport';
import type { CheckResult } from './check-command';
import { openHeadlessCore } from './headless-core';
import { runCommand } from './run-command';
import { emulatorEndpoints } from '../testing/emulator-endpoints';

// The check command exactly as the binary runs it: runCommand(argv) over conf stores in a data
// directory, real MSAL and Graph client against the emulator; only the cipher, clock and transport are fakes.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());

let dataDir: string;
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearSentMessages();
  dataDir = mkdtempSync(join(tmpdir(), 'absender-check-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const clock: Clock = { now: () => new Date() };
const network = () => ({
  endpoints: emulatorEndpoints(emulator),
  requestTimeoutMs: 10_000,
  maxRetries: 2,
});

/** The core a command opens: a fresh one per call, as each scheduled run is a new process. */
const openCore = (cipher: InMemoryCipher) => () =>
  openHeadlessCore({
    dataDir,
    open: (name) => openConfStore(dataDir, name),
    os: { cipher, clock, logger: new MemoryLogger(), transport: new UndiciTransport({ systemProxy: '' }) },
    host: TEST_HOST,
    network: network(),
  });

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Sets the profiles up through the same stores, as the window would have. */
async function saveProfile(
  cipher: InMemoryCipher,
  patch: { name: string; clientId: string; secret: string; expiresOn?: string },
): Promise<string> {
  const api = await openCore(cipher)();
  const saved = await api.profiles.save({
    draft: {
      name: patch.name,
      accountType: 'client-secret',
      senderAddress: DEMO.sender.upn,
      mailboxAddress: DEMO.sender.upn,
      clientId: patch.clientId,
      tenant: DEMO.tenantId,
      secretExpiresOn: patch.expiresOn ?? inDays(300),
    },
    clientSecret: patch.secret,
  });
  return saved.id;
}

const okProfile = { name: 'Bestellungen', clientId: DEMO.rbacApp.clientId, secret: DEMO.rbacApp.secretValue };

async function check(argv: string[], cipher = new InMemoryCipher()) {
  let stdout = '';
  let stderr = '';
  const { exitCode } = await runCommand(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    osLanguage: 'en',
    clock,
    openCore: openCore(cipher),
  });
  return { exitCode, stdout, stderr };
}

/** Prometheus text exposition read back: `name{labels} value` per sample, HELP/TYPE per family. */
function parsePrometheus(text: string) {
  const types = new Map<string, string>();
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1] ?? '', type[2] ?? '');
    if (line.startsWith('#')) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const pairs = [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l): [string, string] => [l[1] ?? '', l[2] ?? '']);
    samples.push({ name: m[1] ?? '', labels: Object.fromEntries(pairs), value: Number(m[3]) });
  }
  return { types, samples };
}

describe('Absender check (runCommand against the emulator)', () => {
  it('an OK profile exits 0 with one line that starts with the status word', async () => {
    const cipher = new InMemoryCipher();
    const id = await saveProfile(cipher, okProfile);
    const run = await check(['check', '--profile', 'bestellungen'], cipher);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(new RegExp(`^OK\\s+Bestellungen \\[${id}\\]`)),
    ]);
    expect(emulator.sentMessages()).toEqual([]); // nothing is sent without --send-test
  });

  it('a secret that expires in 10 days is a warning: exit 1, the days named in German', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, { ...okProfile, expiresOn: inDays(10) });
    const run = await check(['check', '--all', '--lang', 'de'], cipher);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^WARNUNG\s+Bestellungen/);
    expect(run.stdout).toContain(t('de', 'host:cli.secretExpires', { count: 10, date: inDays(10) }));
  });

  it('tenant-wide Mail.Send with the restriction never verified is a warning (exit 1)', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, { name: 'ERP', clientId: DEMO.confidentialApp.clientId, secret: DEMO.confidentialApp.secretValue });
    const run = await check(['check', '--all'], cipher);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(t('en', 'steps.claims.tenantWide', {}).slice(0, 40));
  });

  it.each([
    ['wrong secret', 'Wr0ng~SecretValue.abcdefghijklmnopqrstuv', 'aad-secret-invalid', 'AADSTS7000215'],
    ['expired secret (DEMO)', DEMO.confidentialApp.expiredSecretValue, 'aad-secret-expired', 'AADSTS7000222'],
  ])('%s fails: exit 2, the diagnosis title as the window shows it, the raw code', async (_n, secret, diagnosis, code) => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, { name: 'ERP', clientId: DEMO.confidentialApp.clientId, secret });
    const run = await check(['check', '--all'], cipher);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toMatch(/^FAILED\s+ERP/);
    expect(run.stdout).toContain(`${t('en', `diagnostics:${diagnosis}.title`)} (${code})`);
    expect(run.stdout + run.stderr).not.toContain(secret.slice(3));
  });

  it('the worst profile decides, and a secret past its date fails even before the test', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, okProfile);
    await saveProfile(cipher, { ...okProfile, name: 'Alt', expiresOn: inDays(-3) });
    const run = await check(['check', '--all'], cipher);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toMatch(/^OK\s+Bestellungen/m);
    expect(run.stdout).toMatch(/^FAILED\s+Alt .*expired on/m);
  });

  it.each([
    ['another key (DPAPI of another Windows user)', () => new InMemoryCipher()],
    ['another keyring backend', () => new InMemoryCipher('basic_text')],
  ])('a secret this account cannot decrypt: exit 3, said plainly (%s)', async (_n, checker) => {
    const owner = new InMemoryCipher('dpapi');
    owner.rotateKey(); // a ciphertext a fresh key cannot read
    await saveProfile(owner, okProfile);
    const run = await check(['check', '--all', '--lang', 'de'], checker());
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toMatch(/^NICHT LESBAR\s+Bestellungen/);
    expect(run.stdout).toContain(t('de', 'host:cli.secretUnreadable'));
  });

  it('a damaged profiles file: exit 3 with the message, every file left exactly as found', async () => {
    writeFileSync(join(dataDir, 'profiles.json'), '{"profiles": [trunc');
    const before = readdirSync(dataDir).sort();
    const run = await check(['check', '--all']);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('profiles.json must be repaired or updated first');
    expect(readFileSync(join(dataDir, 'profiles.json'), 'utf8')).toBe('{"profiles": [trunc');
    expect(readdirSync(dataDir).sort()).toEqual(before);
  });

  it('beside a running window: a check never deletes its temp file in flight, restores or rewrites a backup', async () => {
    const cipher = new InMemoryCipher();
    await saveProfile(cipher, okProfile);
    // The window is mid-write (its temp file) and has a backup; the scheduled check must touch neither.
    const inFlight = join(dataDir, 'profiles.json.tmp-4711');
    writeFileSync(inFlight, 'half written by the window');
    const bak = join(dataDir, 'profiles.bak.json');
    writeFileSync(bak, readFileSync(join(dataDir, 'profiles.json')));
    const bakBytes = readFileSync(bak);
    const run = await check(['check', '--all'], cipher);
    expect(run.exitCode).toBe(0);
    expect(readFileSync(inFlight, 'utf8')).toBe('half written by the window');
    expect(readFileSync(bak)).toEqual(bakBytes);
    // A damaged main file next to a good backup is refused, not restored: the window's start-up decides.
    writeFileSync(join(dataDir, 'profiles.json'), 'garbage');
    const refused = await check(['check', '--all'], cipher);
    expect(refused.exitCode).toBe(3);
    expect(readFileSync(join(dataDir, 'profiles.json'), 'utf8')).toBe('garbage');
    expect(readdirSync(dataDir).filter((f) => f.includes('corrupt'))).toEqual([]);
  });

  it('--json prints the result per profile; --out writes it to a file instead', async () => {
    const cipher = new InMemoryCipher();
    const id = await saveProfile(cipher, { ...okProfile, expiresOn: inDays(10) });
    const out = join(dataDir, 'report.json');
    const run = await check(['check', '--profile', id, '--json', '--out', out], cipher);
    expect(run).toMatchObject({ exitCode: 1, stdout: '', stderr: '' });
    const result = JSON.parse(readFileSync(out, 'utf8')) as CheckResult;
    expect(result.exitCode).toBe(1);
    expect(Date.parse(result.checkedAt)).not.toBeNaN();
    expect(result.profiles).toEqual([
      expect.objectContaining({
        id,
        name: 'Bestellungen',
        accountType: 'client-secret',
        state: 'warning',
        test: { outcome: 'ok', failedStep: null },
        secret: { expiresOn: inDays(10), daysLeft: 10 },
        signIn: null,
        messages: [expect.objectContaining({ key: 'host:cli.secretExpires', code: null })],
      }),
    ]);
    expect(result.profiles[0]?.steps.map((s) => s.id)).toEqual(['login', 'token', 'claims', 'mailbox', 'send', 'probe']);
  });

  it('--prometheus writes a textfile node_exporter can read: HELP/TYPE, one gauge per profile and state', async () => {
    const cipher = new InMemoryCipher();
    const okId = await saveProfile(cipher, okProfile);
    const badId = await saveProfile(cipher, {
      name: 'ERP "alt"',
      clientId: DEMO.confidentialApp.clientId,
      secret: 'Wr0ng~Secret',
    });
    const file = join(dataDir, 'absender.prom');
    const run = await check(['check', '--all', '--prometheus', file], cipher);
    expect(run.exitCode).toBe(2);
    expect(readdirSync(dataDir).filter((f) => f.includes('absender.prom'))).toEqual(['absender.prom']); // no temp left
    const { types, samples } = parsePrometheus(readFileSync(file, 'utf8'));
    expect(types.get('absender_profile_ok')).toBe('gauge');
    const value = (name: string, labels: Record<string, string>) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);
    expect(value('absender_profile_ok', { id: okId, profile: 'Bestellungen' })).toEqual([1]);
    expect(value('absender_profile_ok', { id: badId, profile: 'ERP \\"alt\\"' })).toEqual([0]);
    expect(value('absender_profile_state', { id: badId, state: 'failed' })).toEqual([1]);
    expect(value('absender_profile_state', { id: badId })).toEqual([0, 0, 1, 0]);
    expect(value('absender_secret_days_left', { id: okId })).toEqual([300]);
    expect(value('absender_check_exit_code', {})).toEqual([2]);
  });

  it('an unknown option exits 64 with the usage on stderr, before anything is opened', async () => {
    let opened = false;
    let stderr = '';
    const { exitCode } = await runCommand(['check', '--all', '--colour'], {
      stdout: { write: () => undefined },
      stderr: { write: (s: string) => (stderr += s) },
      osLanguage: 'en',
      clock,
      openCore: () => {
        opened = true;
        return Promise.reject(new Error('not expected'));
      },
    });
    expect(exitCode).toBe(64);
    expect(stderr).toContain("'--colour'");
    expect(stderr).toContain(t('en', 'host:cli.checkHelp'));
    expect(opened).toBe(false);
  });
});
