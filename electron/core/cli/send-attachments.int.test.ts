import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO, type Emulator } from '../../../e2e/emulator';
import { t } from '../../../shared/i18n/translate';
import { graphCalls, sendHarness } from './testing/send-harness';
import { sendTestBed } from './testing/send-test-bed';

// `Absender send --attach` through runCommand against the emulator: inline, upload sessions, the 413
// switch, the size limit and the Mail.ReadWrite the draft path needs.

const MiB = 1024 * 1024;
const bed = sendTestBed('absender-attach-', 'Rechnung anbei.');
let emulator: Emulator;
let dataDir: string;
let bodyFile: string;
beforeEach(() => {
  ({ emulator, dataDir, bodyFile } = bed);
});

const file = (name: string, bytes: number): string => {
  const path = join(dataDir, name);
  writeFileSync(path, randomBytes(bytes));
  return path;
};

describe('Absender send --attach (runCommand against the emulator)', () => {
  it('small attachments go inline with sendMail: one Graph request, content types by extension', async () => {
    const h = sendHarness(emulator, dataDir);
    await h.saveProfile(DEMO.rbacApp);
    const pdf = file('Rechnung 4711.pdf', 200_000);
    const xml = file('xrechnung.XML', 10_000);
    const other = file('daten.bin7', 100);
    emulator.clearRequests();
    const run = await h.send(bodyFile, ['--attach', pdf, '--attach', xml, '--attach', other]);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(
      emulator
        .requests()
        .filter((r) => r.host === 'graph')
        .map((r) => `${r.method} ${r.status}`),
    ).toEqual(['POST 202']);
    expect(emulator.sentMessages()[0]?.attachments).toEqual([
      { name: 'Rechnung 4711.pdf', contentType: 'application/pdf', size: 200_000 },
      { name: 'xrechnung.XML', contentType: 'application/xml', size: 10_000 },
      { name: 'daten.bin7', contentType: 'application/octet-stream', size: 100 },
    ]);
  });

  it('a 20 MB attachment goes through an upload session: draft + session + 5 chunks of 4 MB + send', async () => {
    const h = sendHarness(emulator, dataDir);
    await h.saveProfile(DEMO.draftApp);
    const big = file('archiv.zip', 20 * MiB);
    emulator.clearRequests();
    const run = await h.send(bodyFile, ['--attach', big, '--json']);
    expect(run.exitCode).toBe(0);
    const out = JSON.parse(run.stdout) as { status: string; messageId: string };
    expect(out.status).toBe('sent');
    const graph = emulator.requests().filter((r) => r.host === 'graph');
    expect(graph.map((r) => `${r.method} ${r.status}`)).toEqual([
      'POST 201', // draft
      'POST 201', // createUploadSession
      'PUT 200',
      'PUT 200',
      'PUT 200',
      'PUT 200',
      'PUT 201', // the last chunk completes the attachment
      'POST 202', // send
    ]);
    expect(graphCalls(emulator, 'PUT', /^\/api\/v2\.0\/Users\(/)).toBe(5);
    expect(graphCalls(emulator, 'POST', /\/createUploadSession$/i)).toBe(1);
    expect(graphCalls(emulator, 'POST', /\/sendMail$/i)).toBe(0);
    const sent = emulator.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      messageId: out.messageId,
      attachments: [{ name: 'archiv.zip', contentType: 'application/zip', size: 20 * MiB }],
    });
  });

  it('attachments under 3 MB whose sendMail would be over 4 MB go straight to the draft path: no request Graph must refuse', async () => {
    const h = sendHarness(emulator, dataDir);
    await h.saveProfile(DEMO.draftApp);
    // 2.9 MB is "inline", but with a 1.5 MB body the base64 JSON is over Graph's 4 MB request limit: known before asking.
    writeFileSync(bodyFile, 'x'.repeat(1.5 * MiB));
    const scan = file('scan.pdf', Math.floor(2.9 * MiB));
    emulator.clearRequests();
    const run = await h.send(bodyFile, ['--attach', scan]);
    expect(run.exitCode, run.stderr).toBe(0);
    const graph = emulator.requests().filter((r) => r.host === 'graph');
    expect(
      graph.map((r) => `${r.method} ${r.path.replace(/^.*\/(sendMail|messages|attachments|send)$/i, '$1')} ${r.status}`),
    ).toEqual(['POST messages 201', 'POST attachments 201', 'POST send 202']);
    expect(emulator.sentMessages()).toHaveLength(1);
    expect(emulator.sentMessages()[0]?.attachments).toEqual([
      { name: 'scan.pdf', contentType: 'application/pdf', size: Math.floor(2.9 * MiB) },
    ]);

    // With --idempotency-key the marked draft is made bare at once too (not tried with the attachment first).
    emulator.clearRequests();
    const keyed = await h.send(bodyFile, ['--attach', scan, '--idempotency-key', 'scan-1']);
    expect(keyed.exitCode, keyed.stderr).toBe(0);
    expect(
      emulator
        .requests()
        .filter((r) => r.host === 'graph' && r.method === 'POST')
        .map((r) => `${r.path.replace(/^.*\/(sendMail|messages|attachments|send)$/i, '$1')} ${r.status}`),
    ).toEqual(['messages 201', 'attachments 201', 'send 202']);
    expect(emulator.sentMessages()).toHaveLength(2);
  });

  it('a 413 from a sendMail we counted under 4 MB switches to the draft path (never the same request again): sent once', async () => {
    const h = sendHarness(emulator, dataDir);
    await h.saveProfile(DEMO.draftApp);
    // Graph's refusal of a request it counts larger than we do (a proxy adding to it, say), injected once.
    emulator.setFault({
      match: { method: 'POST', path: /\/sendMail$/, host: 'graph' },
      action: { type: 'status', status: 413 },
      times: 1,
    });
    const scan = file('scan.pdf', 200_000);
    emulator.clearRequests();
    const run = await h.send(bodyFile, ['--attach', scan]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(
      emulator
        .requests()
        .filter((r) => r.host === 'graph')
        .map((r) => `${r.method} ${r.path.replace(/^.*\/(sendMail|messages|attachments|send)$/i, '$1')} ${r.status}`),
    ).toEqual(['POST sendMail 413', 'POST messages 201', 'POST attachments 201', 'POST send 202']);
    expect(emulator.sentMessages()).toHaveLength(1);
  });

  it('an attachment just under 3 MB, whose base64 POST would be over 4 MB, goes through an upload session, not a 413', async () => {
    const h = sendHarness(emulator, dataDir);
    await h.saveProfile(DEMO.draftApp);
    // 3 MiB less 1 byte is "under 3 MB", but its base64 alone is 4 MiB: one POST …/attachments could never fit.
    const scan = file('scan.pdf', 3 * MiB - 1);
    emulator.clearRequests();
    const run = await h.send(bodyFile, ['--attach', scan]);
    expect(run.exitCode, run.stderr).toBe(0);
    const graph = emulator.requests().filter((r) => r.host === 'graph');
    expect(
      graph.map(
        (r) =>
          `${r.method} ${r.path.replace(/^.*\/(sendMail|messages|attachments|createUploadSession|send)$/i, '$1')} ${r.status}`,
      ),
    ).toEqual(['POST messages 201', 'POST createUploadSession 201', expect.stringMatching(/^PUT .* 201$/), 'POST send 202']);
    expect(emulator.sentMessages()[0]?.attachments).toEqual([
      { name: 'scan.pdf', contentType: 'application/pdf', size: 3 * MiB - 1 },
    ]);
  });

  it('a 413 on the draft itself (nothing left to take apart) is bad input: exit 65, the diagnosis in en and de, no retry', async () => {
    const h = sendHarness(emulator, dataDir);
    await h.saveProfile(DEMO.draftApp);
    // Graph's own shape for its 4 MB limit (413 BadRequest), injected where a real body under the pre-check cannot reach it.
    const tooLarge = {
      match: { method: 'POST', path: /\/messages$/, host: 'graph' as const },
      action: { type: 'status' as const, status: 413 },
    };
    emulator.setFault(tooLarge);
    emulator.clearRequests();
    const en = await h.send(bodyFile, ['--idempotency-key', 'po-413', '--json']);
    expect(en.exitCode, en.stderr).toBe(65);
    const out = JSON.parse(en.stdout) as { status: string; diagnosis: string; code: string };
    expect(out).toMatchObject({ status: 'failed', diagnosis: 'graph-request-too-large', code: 'BadRequest' });
    expect(en.stderr).toContain(`${t('en', 'diagnostics:graph-request-too-large.title')} (BadRequest)`);
    const graph = () => emulator.requests().filter((r) => r.host === 'graph' && r.method === 'POST');
    // The bare draft is the smallest request there is: sending it again would be a blind retry.
    expect(graph().map((r) => r.status)).toEqual([413]);

    // Without a key: a message too big for sendMail goes to the draft path at once; the draft's 413 ends it the same
    // way, in German.
    writeFileSync(bodyFile, 'x'.repeat(1.5 * MiB));
    const scan = file('scan.pdf', Math.floor(2.9 * MiB));
    emulator.clearRequests();
    const de = await h.send(bodyFile, ['--attach', scan], 'de');
    expect(de.exitCode, de.stderr).toBe(65);
    expect(de.stderr).toContain(`${t('de', 'diagnostics:graph-request-too-large.title')} (BadRequest)`);
    expect(graph().map((r) => `${r.path.replace(/^.*\/(sendMail|messages)$/i, '$1')} ${r.status}`)).toEqual(['messages 413']);
    expect(emulator.sentMessages()).toEqual([]);
  });

  it('more than 150 MB is refused before any request: exit 65 with the limit, in German too', async () => {
    const h = sendHarness(emulator, dataDir);
    await h.saveProfile(DEMO.draftApp);
    const huge = join(dataDir, 'huge.iso');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, 151 * MiB); // sparse: stat says 151 MB, nothing is written
    closeSync(fd);
    emulator.clearRequests();
    const run = await h.send(bodyFile, ['--attach', huge, '--lang', 'de']);
    expect(run.exitCode).toBe(65);
    expect(run.stderr).toContain(t('de', 'host:cli.sendAttachTooLarge', { size: '151.0', max: 150 }));
    expect(run.stderr).toContain('150 MB');
    expect(emulator.requests()).toEqual([]);
    const missing = await h.send(bodyFile, ['--attach', join(dataDir, 'fehlt.pdf')]);
    expect(missing.exitCode).toBe(65);
    expect(missing.stderr).toContain('fehlt.pdf');
    expect(emulator.sentMessages()).toEqual([]);
  });

  it('an app with Mail.Send only cannot create the draft an upload needs: exit 77 naming Mail.ReadWrite', async () => {
    const h = sendHarness(emulator, dataDir);
    await h.saveProfile(DEMO.confidentialApp);
    const big = file('plan.pdf', 4 * MiB);
    const run = await h.send(bodyFile, ['--attach', big, '--json', '--lang', 'en']);
    expect(run.exitCode).toBe(77);
    expect(run.stderr).toContain('Mail.ReadWrite');
    expect(run.stderr).toContain(t('en', 'host:cli.sendNeedsReadWrite'));
    expect(emulator.sentMessages()).toEqual([]);
    // The same app sends a small message through sendMail (Mail.Send is all it needs).
    expect((await h.send(bodyFile, [])).exitCode).toBe(0);
  });

  it('with --idempotency-key a large attachment goes on the marked draft; a rerun sends nothing more', async () => {
    const h = sendHarness(emulator, dataDir);
    await h.saveProfile(DEMO.draftApp);
    const big = file('lieferschein.pdf', 9 * MiB);
    const first = await h.send(bodyFile, ['--attach', big, '--idempotency-key', 'ls-1', '--json']);
    expect(first.exitCode).toBe(0);
    emulator.clearRequests();
    const again = await h.send(bodyFile, ['--attach', big, '--idempotency-key', 'ls-1', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      status: 'already-sent',
      messageId: (JSON.parse(first.stdout) as { messageId: string }).messageId,
    });
    // After a journaled 202 the rerun only looks in Sent Items, by the marker.
    expect(
      emulator
        .requests()
        .filter((r) => r.host === 'graph')
        .map((r) => `${r.method} ${r.path.split('/').slice(-3).join('/')}`),
    ).toEqual(['GET mailFolders/sentitems/messages']);
    expect(emulator.sentMessages()).toHaveLength(1);
    expect(emulator.sentMessages()[0]?.attachments).toEqual([
      { name: 'lieferschein.pdf', contentType: 'application/pdf', size: 9 * MiB },
    ]);
  });

  it('finds the body charset by byte order mark or HTML meta charset', async () => {
    const h = sendHarness(emulator, dataDir);
    await h.saveProfile(DEMO.rbacApp);
    writeFileSync(bodyFile, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Grüße aus Köln', 'utf16le')]));
    expect((await h.send(bodyFile, [])).exitCode).toBe(0);
    writeFileSync(
      bodyFile,
      Buffer.from('<html><head><meta charset="windows-1252"></head><body>Gr\xfc\xdfe \x80</body></html>', 'latin1'),
    );
    expect((await h.send(bodyFile, ['--html'])).exitCode).toBe(0);
    const [text, html] = emulator.sentMessages();
    expect(text?.body.content).toBe('Grüße aus Köln');
    expect(html?.body.content).toContain('Grüße €');
  });
});
