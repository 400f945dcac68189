import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import type { ProfileDraft } from '../../../shared/domain';
import type { TestReport } from '../../../shared/ipc/contract';
import type { CheckResult } from '../cli/check-command';
import { openHeadlessCore } from '../cli/headless-core';
import { runCommand } from '../cli/run-command';
import type { Clock } from '../ports';
import { openConfStore } from '../testing/conf-store';
import { createTestCore, TEST_HOST } from '../testing/core-fixture';
import { emulatorEndpoints } from '../testing/emulator-endpoints';
import { InMemoryCipher, MemoryLogger } from '../testing/in-memory';
import { UndiciTransport } from '../testing/undici-transport';

// A certificate profile end to end: the core creates the key and certificate, the admin uploads the
// exported .cer to the emulator's app, and MSAL's real assertion gets the token for the test, check and send.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearSentMessages();
});

const app = DEMO.rbacApp;
const clock: Clock = { now: () => new Date() };
const DAY = 86_400_000;

const certDraft = (name = 'Versand'): ProfileDraft => ({
  name,
  accountType: 'client-certificate',
  senderAddress: DEMO.sender.upn,
  mailboxAddress: DEMO.sender.upn,
  clientId: app.clientId,
  tenant: DEMO.tenantId,
  secretExpiresOn: '',
});

const summary = (report: TestReport) => Object.fromEntries(report.steps.map((s) => [s.id, `${s.status}:${s.messageKey ?? ''}`]));
const step = (report: TestReport, id: string) => report.steps.find((s) => s.id === id);

/** The key PEM as the in-memory cipher stored it (the test's way to know what must never leak). */
function storedKey(secretsDump: unknown, profileId: string): string {
  const records = (secretsDump as { records: Record<string, { ciphertextB64: string }> }).records;
  const cipherText = Buffer.from(records[`certificateKey:${profileId}`]?.ciphertextB64 ?? '', 'base64').toString();
  return Buffer.from(/^enc:\d+:([0-9a-f]*)$/.exec(cipherText)?.[1] ?? '', 'hex').toString('utf8');
}

/** The private key in every spelling a leak could take: PEM, base64 body (one piece, a line), DER hex, JWK d. */
function keyCanaries(pem: string): string[] {
  const lines = pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
  const der = Buffer.from(lines.join(''), 'base64');
  return [
    pem.trim(),
    lines.join(''),
    lines[5] ?? '',
    der.toString('hex').slice(400, 480),
    der.subarray(200, 240).toString('base64'),
  ];
}

describe('certificate profiles in the core (real MSAL, real Graph client)', () => {
  it('create → export → upload in Entra → test ok and send; before the upload 700027 with the thumbprint', async () => {
    const { api, handlers, stores, logger } = createTestCore({
      clock,
      network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 10_000, maxRetries: 2 },
    });
    const replies: unknown[] = [];
    const call = async (channel: string, arg: unknown) => {
      const reply = await handlers.get(channel)?.(arg);
      replies.push(reply);
      return reply as { ok: boolean; value?: unknown; error?: { code: string } };
    };
    const saved = await api.profiles.save({ draft: certDraft() });
    expect(saved.secret.hasSecret).toBe(false);
    const bare = await api.tests.run({ profileId: saved.id });
    expect(step(bare, 'token')).toMatchObject({ status: 'failed', messageKey: 'diagnostics:aad-certificate-missing.title' });

    const created = await call('absender:certificates.create', { profileId: saved.id, revision: saved.revision });
    expect(created.ok).toBe(true);
    const profile = (await api.profiles.list())[0];
    const meta = profile?.certificate;
    expect(meta?.subject).toBe('CN=Absender Versand');
    expect(profile?.secret).toEqual({ hasSecret: true, secretHint: null, secretExpiresOn: null });
    expect(Date.parse(meta?.notAfter ?? '') - Date.parse(meta?.notBefore ?? '')).toBe(365 * DAY);

    const der = (await call('absender:certificates.export', { profileId: saved.id, format: 'der' })).value as {
      fileName: string;
      dataBase64: string;
    };
    const cert = new X509Certificate(Buffer.from(der.dataBase64, 'base64'));
    expect(cert.fingerprint256.replaceAll(':', '')).toBe(meta?.thumbprintSha256);
    expect(der.fileName).toMatch(/^Absender-Versand-[0-9A-F]{8}\.cer$/);
    const pem = (await call('absender:certificates.export', { profileId: saved.id, format: 'pem' })).value as {
      dataBase64: string;
    };
    expect(Buffer.from(pem.dataBase64, 'base64').toString()).toBe(cert.toString());

    const before = await api.tests.run({ profileId: saved.id });
    expect(step(before, 'token')).toMatchObject({
      status: 'failed',
      messageKey: 'diagnostics:aad-certificate-not-registered.title',
      code: 'AADSTS700027',
      params: { thumbprint: meta?.thumbprintSha256 },
    });

    emulator.registerCertificate(app.clientId, cert.toString());
    const after = await api.tests.run({ profileId: saved.id, testMessageTo: 'einkauf@lieferant.example' });
    expect(summary(after)).toMatchObject({
      login: 'ok:steps.login.ok',
      token: 'ok:steps.token.ok',
      send: 'ok:steps.send.accepted',
    });
    expect(emulator.sentMessages()[0]?.sender).toBe(DEMO.sender.upn);
    replies.push(before, after, await api.profiles.list());

    // The private key: only in the vault, nowhere else (IPC replies, reports, log, the profiles file).
    const key = storedKey({ records: stores.secrets.get('records') }, saved.id);
    expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const outside = [JSON.stringify(replies), logger.lines.join('\n'), stores.profiles.dump(), stores.settings.dump()].join('\n');
    for (const canary of keyCanaries(key)) expect(outside).not.toContain(canary);
    // And the vault holds it only encrypted.
    for (const canary of keyCanaries(key)) expect(stores.secrets.dump()).not.toContain(canary);
  });

  it('an import error stores nothing: wrong PFX password, key of another certificate, expired', async () => {
    const { api, handlers, stores } = createTestCore({ clock });
    const saved = await api.profiles.save({ draft: certDraft() });
    const keyPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const fkey = forge.pki.privateKeyFromPem(keyPem);
    const certOf = (from: number, to: number) => {
      const c = forge.pki.createCertificate();
      c.publicKey = forge.pki.setRsaPublicKey(fkey.n, fkey.e);
      c.serialNumber = '02';
      c.validity.notBefore = new Date(from);
      c.validity.notAfter = new Date(to);
      c.setSubject([{ name: 'commonName', value: 'Import' }]);
      c.setIssuer([{ name: 'commonName', value: 'Import' }]);
      c.sign(fkey, forge.md.sha256.create());
      return c;
    };
    const valid = certOf(Date.now() - DAY, Date.now() + 90 * DAY);
    const pfx = Buffer.from(
      forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(fkey, [valid], 'Richtig-1', { algorithm: '3des' })).getBytes(),
      'binary',
    ).toString('base64');
    const before = { profiles: stores.profiles.dump(), secrets: stores.secrets.dump() };
    const importing = (file: unknown) =>
      handlers.get('absender:certificates.import')?.({ profileId: saved.id, revision: saved.revision, file }) as Promise<{
        ok: boolean;
        error?: { code: string };
      }>;
    expect((await importing({ kind: 'pfx', pfxBase64: pfx, password: 'falsch' })).error?.code).toBe('certificate-wrong-password');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const validPem = forge.pki.certificateToPem(valid);
    expect((await importing({ kind: 'pem', certPem: validPem, keyPem: other })).error?.code).toBe('certificate-key-mismatch');
    const expired = forge.pki.certificateToPem(certOf(Date.now() - 90 * DAY, Date.now() - DAY));
    expect((await importing({ kind: 'pem', certPem: expired, keyPem })).error?.code).toBe('certificate-expired');
    expect({ profiles: stores.profiles.dump(), secrets: stores.secrets.dump() }).toEqual(before);

    const ok = await importing({ kind: 'pfx', pfxBase64: pfx, password: 'Richtig-1' });
    expect(ok.ok).toBe(true);
    expect((await api.profiles.list())[0]?.certificate).toMatchObject({ origin: 'imported', subject: 'CN=Import' });
    expect(stores.secrets.dump()).not.toContain('Richtig-1');
    expect(stores.profiles.dump()).not.toContain('Richtig-1');
  });
});

describe('check and send with a certificate profile (runCommand over conf stores)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'absender-cert-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const openCore = (cipher: InMemoryCipher) => () =>
    openHeadlessCore({
      dataDir,
      open: (name) => openConfStore(dataDir, name),
      os: { cipher, clock, logger: new MemoryLogger(), transport: new UndiciTransport({ systemProxy: '' }) },
      host: TEST_HOST,
      network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 10_000, maxRetries: 2 },
    });

  async function run(argv: string[], cipher: InMemoryCipher) {
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

  it('check reports the certificate’s expiry and the test; send delivers through the certificate’s token', async () => {
    const cipher = new InMemoryCipher();
    const api = await openCore(cipher)();
    const saved = await api.profiles.save({ draft: certDraft('Zertifikat') });
    const withCert = await api.certificates.create({ profileId: saved.id, revision: saved.revision, validityDays: 20 });
    emulator.registerCertificate(app.clientId, withCert.certificate?.certPem ?? '');

    const check = await run(['check', '--profile', saved.id, '--json'], cipher);
    const result = JSON.parse(check.stdout) as CheckResult;
    // 20 days left: inside the 30-day warning, so the check warns (exit 1) though the test passed.
    expect(check.exitCode).toBe(1);
    expect(result.profiles[0]).toMatchObject({
      accountType: 'client-certificate',
      state: 'warning',
      test: { outcome: 'ok', failedStep: null },
      secret: { expiresOn: withCert.certificate?.notAfter.slice(0, 10), daysLeft: 19 },
    });
    expect(result.profiles[0]?.messages.map((m) => m.key)).toContain('host:cli.certificateExpires');

    const body = join(dataDir, 'body.txt');
    writeFileSync(body, 'Bestellung 4711');
    const sent = await run(
      ['send', '--profile', 'zertifikat', '--to', 'kunde@example.com', '--subject', 'Lieferung', '--body-file', body],
      cipher,
    );
    expect(sent).toMatchObject({ exitCode: 0, stderr: '' });
    expect(emulator.sentMessages()).toEqual([expect.objectContaining({ sender: DEMO.sender.upn, subject: 'Lieferung' })]);

    // The key lives in the vault file only, encrypted: no data file holds it in any spelling.
    const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as unknown;
    const key = storedKey(secrets, saved.id);
    expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const files = readdirSync(dataDir).map((f) => readFileSync(join(dataDir, f), 'utf8'));
    for (const canary of keyCanaries(key)) for (const file of files) expect(file).not.toContain(canary);
    expect(`${check.stdout}${check.stderr}${sent.stdout}${sent.stderr}`).not.toContain(keyCanaries(key)[1]);
  });

  it('an unregistered certificate fails check with the 700027 diagnosis (exit 2)', async () => {
    const cipher = new InMemoryCipher();
    const api = await openCore(cipher)();
    const saved = await api.profiles.save({ draft: certDraft('Fremd') });
    await api.certificates.create({ profileId: saved.id, revision: saved.revision });
    const check = await run(['check', '--profile', saved.id, '--json'], cipher);
    expect(check.exitCode).toBe(2);
    const result = JSON.parse(check.stdout) as CheckResult;
    expect(result.profiles[0]?.messages).toContainEqual(
      expect.objectContaining({ key: 'diagnostics:aad-certificate-not-registered.title', code: 'AADSTS700027' }),
    );
  });
});
