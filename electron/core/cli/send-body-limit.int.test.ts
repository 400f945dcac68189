import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import type { Clock } from '../ports';
import { openConfStore } from '../testing/conf-store';
import { TEST_HOST } from '../testing/core-fixture';
import { InMemoryCipher, MemoryLogger } from '../testing/in-memory';
import { UndiciTransport } from '../testing/undici-transport';
import { emulatorEndpoints } from '../testing/emulator-endpoints';
import { openHeadlessCore } from './headless-core';
import { runCommand } from './run-command';
import { GRAPH_REQUEST_MAX_BYTES } from './send-command';

// A message text Graph cannot take in one request (4 MB) is the job's bad input (65), refused before any request,
// on every path: sendMail, and the draft that --idempotency-key or large attachments use.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());

let dataDir: string;
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearSentMessages();
  dataDir = mkdtempSync(join(tmpdir(), 'absender-send-limit-'));
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

async function saveProfile(): Promise<void> {
  const api = await openCore();
  await api.profiles.save({
    draft: {
      name: 'Versand',
      accountType: 'client-secret',
      senderAddress: DEMO.sender.upn,
      mailboxAddress: DEMO.sender.upn,
      clientId: DEMO.draftApp.clientId,
      tenant: DEMO.tenantId,
      secretExpiresOn: '',
    },
    clientSecret: DEMO.draftApp.secretValue,
  });
}

async function send(body: string, extra: string[], lang: 'de' | 'en' = 'en') {
  const bodyFile = join(dataDir, 'body.html');
  writeFileSync(bodyFile, body);
  let stderr = '';
  const argv = ['send', '--profile', 'Versand', '--to', 'kunde@example.com', '--subject', 'Liste', '--body-file', bodyFile];
  const { exitCode } = await runCommand([...argv, ...extra, '--lang', lang], {
    stdout: { write: () => undefined },
    stderr: { write: (s: string) => (stderr += s) },
    osLanguage: 'en',
    clock,
    openCore,
  });
  return { exitCode, stderr };
}

/** HTML as an ERP's price list would make it: quotes and umlauts, which JSON and UTF-8 make longer than the file's characters. */
const table = (bytes: number): string => {
  const row = '<tr><td class="a">Größe</td><td>4711</td></tr>\n';
  return `<table>${row.repeat(Math.ceil(bytes / Buffer.byteLength(row)))}</table>`;
};

describe('send: a message text over Graph’s 4 MB request limit', () => {
  it('with --idempotency-key (the draft path): exit 65, the limit named in de and en, no request made, nothing sent', async () => {
    await saveProfile();
    emulator.clearRequests();
    const en = await send(table(4.2 * 1024 * 1024), ['--html', '--idempotency-key', 'po-4711']);
    expect(en.exitCode).toBe(65);
    expect(en.stderr).toMatch(/at most 4 MB per request/);
    const de = await send(table(4.2 * 1024 * 1024), ['--html', '--idempotency-key', 'po-4711'], 'de');
    expect(de.exitCode).toBe(65);
    expect(de.stderr).toMatch(/höchstens 4 MB pro Anforderung/);
    expect(emulator.requests()).toEqual([]);
    expect(emulator.sentMessages()).toEqual([]);
  });

  it('without a key (sendMail) too; the limit is the request, so a file under 4 MB whose JSON is over is refused as well', async () => {
    await saveProfile();
    emulator.clearRequests();
    // About 3.9 MB on disk; the quotes escaped for JSON push the request over 4 MB.
    const body = table(3.9 * 1024 * 1024);
    expect(Buffer.byteLength(body)).toBeLessThan(GRAPH_REQUEST_MAX_BYTES);
    const result = await send(body, ['--html']);
    expect(result.exitCode).toBe(65);
    expect(emulator.requests()).toEqual([]);
  });

  it('a text that fits in one request is sent: the limit refuses only what Graph would refuse', async () => {
    await saveProfile();
    const result = await send(table(3 * 1024 * 1024), ['--html', '--idempotency-key', 'po-4712']);
    expect(result.exitCode).toBe(0);
    expect(emulator.sentMessages()).toHaveLength(1);
  });
});
