import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../../e2e/emulator';
import { GRAPH_REQUEST_MAX_BYTES } from './send-command';
import { sendHarness } from './testing/send-harness';
import { sendTestBed } from './testing/send-test-bed';

// A message text Graph cannot take in one request (4 MB) is the job's bad input (65), refused before any request,
// on every path: sendMail, and the draft that --idempotency-key or large attachments use.

const bed = sendTestBed('absender-send-limit-', '');
let harness: ReturnType<typeof sendHarness>;
beforeEach(() => {
  harness = sendHarness(bed.emulator, bed.dataDir);
});

const saveProfile = async (): Promise<void> => {
  await harness.saveProfile(DEMO.draftApp);
};

async function send(body: string, extra: string[], lang: 'de' | 'en' = 'en') {
  const bodyFile = join(bed.dataDir, 'body.html');
  writeFileSync(bodyFile, body);
  const argv = ['send', '--profile', 'Versand', '--to', 'kunde@example.com', '--subject', 'Liste', '--body-file', bodyFile];
  return harness.command([...argv, ...extra, '--lang', lang]);
}

/** HTML as an ERP's price list would make it: quotes and umlauts, which JSON and UTF-8 make longer than the file's characters. */
const table = (bytes: number): string => {
  const row = '<tr><td class="a">Größe</td><td>4711</td></tr>\n';
  return `<table>${row.repeat(Math.ceil(bytes / Buffer.byteLength(row)))}</table>`;
};

describe('send: a message text over Graph’s 4 MB request limit', () => {
  it('with --idempotency-key (the draft path): exit 65, the limit named in de and en, no request made, nothing sent', async () => {
    await saveProfile();
    bed.emulator.clearRequests();
    const en = await send(table(4.2 * 1024 * 1024), ['--html', '--idempotency-key', 'po-4711']);
    expect(en.exitCode).toBe(65);
    expect(en.stderr).toMatch(/at most 4 MB per request/);
    const de = await send(table(4.2 * 1024 * 1024), ['--html', '--idempotency-key', 'po-4711'], 'de');
    expect(de.exitCode).toBe(65);
    expect(de.stderr).toMatch(/höchstens 4 MB pro Anforderung/);
    expect(bed.emulator.requests()).toEqual([]);
    expect(bed.emulator.sentMessages()).toEqual([]);
  });

  it('without a key (sendMail) too; the limit is the request, so a file under 4 MB whose JSON is over is refused as well', async () => {
    await saveProfile();
    bed.emulator.clearRequests();
    // About 3.9 MB on disk; the quotes escaped for JSON push the request over 4 MB.
    const body = table(3.9 * 1024 * 1024);
    expect(Buffer.byteLength(body)).toBeLessThan(GRAPH_REQUEST_MAX_BYTES);
    const result = await send(body, ['--html']);
    expect(result.exitCode).toBe(65);
    expect(bed.emulator.requests()).toEqual([]);
  });

  it('a text that fits in one request is sent: the limit refuses only what Graph would refuse', async () => {
    await saveProfile();
    const result = await send(table(3 * 1024 * 1024), ['--html', '--idempotency-key', 'po-4712']);
    expect(result.exitCode).toBe(0);
    expect(bed.emulator.sentMessages()).toHaveLength(1);
  });
});
