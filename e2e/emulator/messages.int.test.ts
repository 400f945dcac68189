import { randomBytes } from 'node:crypto';
import { ResponseType, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from './index';
import { appTokens, expectGraphErrorBody, graph, graphError, sampleMail } from './test-helpers';

let emu: Emulator;
const MiB = 1024 * 1024;
const IMMUTABLE = 'IdType="ImmutableId"';
const tokenFor = appTokens(() => emu);
const appToken = (a: { clientId: string; secretValue: string } = DEMO.draftApp): Promise<string> => tokenFor(a);

const draftBody = () => ({
  subject: 'Bestellung 4712',
  body: { contentType: 'HTML', content: '<p>Bitte liefern Sie 20 Stück.</p>' },
  toRecipients: [{ emailAddress: { address: 'lieferant@example.com', name: 'Lieferant' } }],
});

const base = (upn: string = DEMO.sender.upn) => `/users/${upn}`;

interface Draft {
  id: string;
  internetMessageId: string;
  conversationId: string;
  isDraft: boolean;
  createdDateTime: string;
}

async function createDraft(immutable: boolean): Promise<{ draft: Draft; res: Response }> {
  const token = await appToken();
  let req = graph(emu, token).api(`${base()}/messages`).responseType(ResponseType.RAW);
  if (immutable) req = req.header('Prefer', IMMUTABLE);
  const res = (await req.post(draftBody())) as Response;
  return { draft: (await res.json()) as Draft, res };
}

/** Plain fetch with the bearer token (no retry handler), for status/header checks. */
async function raw(method: string, path: string, body?: unknown, token?: string): Promise<Response> {
  return fetch(`${emu.graphBaseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token ?? (await appToken())}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  emu.clearFaults();
  emu.setMailboxThrottling('off');
});

describe('drafts, send and lookup with the real Graph client', () => {
  it('keeps an immutable id through send and finds the Sent Items copy by id and internetMessageId', async () => {
    emu.clearSentMessages();
    const { draft, res } = await createDraft(true);
    expect(res.status).toBe(201);
    expect(res.headers.get('preference-applied')).toBe(IMMUTABLE);
    expect(draft).toMatchObject({ isDraft: true, subject: 'Bestellung 4712', hasAttachments: false });
    expect(draft.id).toMatch(/^AAkALg/);
    expect(draft.internetMessageId).toMatch(/^<[^@\s]+@[^>\s]+>$/);
    expect(draft.conversationId).not.toBe('');
    expect(draft.createdDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const client = graph(emu, await appToken());
    const sent: unknown = await client.api(`${base()}/messages/${draft.id}/send`).post(undefined);
    expect(sent).not.toBeUndefined(); // 202 without content type: the client hands back the raw body
    const after = (await client.api(`${base()}/messages/${draft.id}`).header('Prefer', IMMUTABLE).get()) as Draft;
    expect(after).toMatchObject({ id: draft.id, isDraft: false, internetMessageId: draft.internetMessageId });

    const filter = `internetMessageId eq '${draft.internetMessageId}'`;
    const found = (await client.api(`${base()}/messages`).filter(filter).header('Prefer', IMMUTABLE).get()) as {
      value: Draft[];
    };
    expect(found.value.map((m) => m.id)).toEqual([draft.id]);
    const sentItems = (await client.api(`${base()}/mailFolders/sentitems/messages`).header('Prefer', IMMUTABLE).get()) as {
      value: Draft[];
    };
    expect(sentItems.value.map((m) => m.id)).toContain(draft.id);
    const drafts = (await client.api(`${base()}/mailFolders/drafts/messages`).get()) as { value: Draft[] };
    expect(drafts.value.map((m) => m.internetMessageId)).not.toContain(draft.internetMessageId);

    const sink = emu.sentMessages();
    expect(sink).toHaveLength(1);
    expect(sink[0]).toMatchObject({
      sender: DEMO.sender.upn,
      subject: 'Bestellung 4712',
      body: { contentType: 'HTML', content: '<p>Bitte liefern Sie 20 Stück.</p>' },
      toRecipients: [{ address: 'lieferant@example.com', name: 'Lieferant' }],
      saveToSentItems: true,
      appId: DEMO.draftApp.clientId,
      messageId: draft.id,
      internetMessageId: draft.internetMessageId,
      viaBatch: false,
    });

    // Sending the same (now sent) item again is refused and adds nothing to the sink.
    const again = await graphError(client.api(`${base()}/messages/${draft.id}/send`).post(undefined));
    expect([again.statusCode, again.code]).toEqual([400, 'ErrorInvalidRequest']);
    expect(emu.sentMessages()).toHaveLength(1);
  });

  it('changes the default id on send: the draft id then answers 404 ErrorItemNotFound', async () => {
    const { draft, res } = await createDraft(false);
    expect(res.headers.get('preference-applied')).toBeNull();
    expect(draft.id).toMatch(/^AAMkAD/);
    const client = graph(emu, await appToken());
    const got = (await client.api(`${base()}/messages/${draft.id}`).get()) as Draft;
    expect(got).toMatchObject({ id: draft.id, isDraft: true });
    await client.api(`${base()}/messages/${draft.id}/send`).post(undefined);
    const e = await graphError(client.api(`${base()}/messages/${draft.id}`).get());
    expect([e.statusCode, e.code, e.message]).toEqual([
      404,
      'ErrorItemNotFound',
      'The specified object was not found in the store.',
    ]);
    const second = await graphError(client.api(`${base()}/messages/${draft.id}/send`).post(undefined));
    expect([second.statusCode, second.code]).toEqual([404, 'ErrorItemNotFound']);
    const found = (await client.api(`${base()}/messages`).filter(`internetMessageId eq '${draft.internetMessageId}'`).get()) as {
      value: Draft[];
    };
    expect(found.value).toHaveLength(1);
    expect(found.value[0]?.id).not.toBe(draft.id);
  });

  it('attaches a small file (fileAttachment, 201) and reports it in the sink on send', async () => {
    emu.clearSentMessages();
    const { draft } = await createDraft(true);
    const client = graph(emu, await appToken());
    const content = randomBytes(100 * 1024);
    const att = (await client.api(`${base()}/messages/${draft.id}/attachments`).post({
      '@odata.type': '#microsoft.graph.fileAttachment',
      name: 'lieferschein.pdf',
      contentType: 'application/pdf',
      contentBytes: content.toString('base64'),
    })) as Record<string, unknown>;
    expect(att).toMatchObject({
      '@odata.type': '#microsoft.graph.fileAttachment',
      name: 'lieferschein.pdf',
      contentType: 'application/pdf',
      size: content.length,
      isInline: false,
    });
    expect(typeof att['id']).toBe('string');
    await client.api(`${base()}/messages/${draft.id}/send`).post(undefined);
    expect(emu.sentMessages()[0]?.attachments).toEqual([
      { name: 'lieferschein.pdf', contentType: 'application/pdf', size: content.length },
    ]);
  });

  it('needs Mail.ReadWrite for drafts and honours the access policy', async () => {
    const onlySend = await graphError(
      graph(emu, await appToken(DEMO.confidentialApp))
        .api(`${base()}/messages`)
        .post(draftBody()),
    );
    expect([onlySend.statusCode, onlySend.code, onlySend.message]).toEqual([
      403,
      'ErrorAccessDenied',
      'Access is denied. Check credentials and try again.',
    ]);
    const outside = await graphError(
      graph(emu, await appToken())
        .api(`${base(DEMO.otherMailbox.upn)}/messages`)
        .post(draftBody()),
    );
    expect([outside.statusCode, outside.code, outside.message]).toEqual([
      403,
      'ErrorAccessDenied',
      'Access to OData is disabled.',
    ]);
    // The broad app (Mail.ReadWrite, no policy) may draft in any mailbox.
    const res = await raw('POST', `${base(DEMO.otherMailbox.upn)}/messages`, draftBody(), await appToken(DEMO.broadApp));
    expect(res.status).toBe(201);
  });

  it('refuses sendMail and draft bodies over 4 MB with 413 BadRequest, as Graph answers', async () => {
    const mail = sampleMail();
    const big = {
      ...mail,
      message: {
        ...mail.message,
        attachments: [
          {
            '@odata.type': '#microsoft.graph.fileAttachment',
            name: 'big.bin',
            contentType: 'application/octet-stream',
            contentBytes: randomBytes(3.2 * MiB).toString('base64'),
          },
        ],
      },
    };
    const before = emu.sentMessages().length;
    for (const path of [`${base()}/sendMail`, `${base()}/messages`]) {
      const res = await raw('POST', path, path.endsWith('sendMail') ? big : big.message);
      expect(res.status).toBe(413);
      expectGraphErrorBody(await res.json(), {
        code: 'BadRequest',
        message: 'The maximum request length supported is 4MB.',
      });
    }
    expect(emu.sentMessages()).toHaveLength(before);
  });
});

const SIZE = 20 * MiB;
const CHUNK = 4 * MiB;

async function session(size = SIZE): Promise<{ draft: Draft; uploadUrl: string; body: Record<string, unknown> }> {
  const { draft } = await createDraft(true);
  const res = (await graph(emu, await appToken())
    .api(`${base()}/messages/${draft.id}/attachments/createUploadSession`)
    .responseType(ResponseType.RAW)
    .post({ AttachmentItem: { attachmentType: 'file', name: 'katalog.pdf', size, contentType: 'application/pdf' } })) as Response;
  expect(res.status).toBe(201);
  const body = (await res.json()) as Record<string, unknown>;
  return { draft, uploadUrl: body['uploadUrl'] as string, body };
}

const put = (url: string, chunk: Buffer, start: number, total: number, range?: string): Promise<Response> =>
  fetch(url, {
    method: 'PUT',
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Range': range ?? `bytes ${start}-${start + chunk.length - 1}/${total}`,
    },
    body: chunk,
  });

describe('large attachments through an upload session', () => {
  it('uploads 20 MB in 4 MB chunks without an Authorization header and sends it (round trips counted)', async () => {
    emu.clearSentMessages();
    emu.clearRequests();
    const file = randomBytes(SIZE);
    const { draft, uploadUrl, body } = await session();
    expect(body['nextExpectedRanges']).toEqual(['0-']);
    expect(Date.parse(body['expirationDateTime'] as string)).toBeGreaterThan(emu.now());
    expect(uploadUrl).toMatch(
      new RegExp(
        `^${emu.graphRoot}/api/v2\\.0/Users\\('${DEMO.sender.id}@${DEMO.tenantId}'\\)/Messages\\(.+\\)/AttachmentSessions\\(.+\\)\\?authtoken=.+`,
      ),
    );

    let location: string | null = null;
    for (let start = 0; start < SIZE; start += CHUNK) {
      const res = await put(uploadUrl, file.subarray(start, start + CHUNK), start, SIZE);
      if (start + CHUNK < SIZE) {
        expect(res.status).toBe(200);
        const next = (await res.json()) as { nextExpectedRanges: string[]; ExpirationDateTime: string };
        expect(next.nextExpectedRanges).toEqual([String(start + CHUNK)]);
        expect(next.ExpirationDateTime).toBe(body['expirationDateTime']);
      } else {
        expect(res.status).toBe(201);
        location = res.headers.get('location');
        expect(await res.text()).toBe('');
      }
    }
    expect(location).toMatch(/\/Attachments\('.+'\)$/);
    const stored = emu.mailboxItems(DEMO.sender.upn).find((m) => m.immutableId === draft.id);
    expect(stored?.attachments).toHaveLength(1);
    expect(Buffer.from(stored?.attachments[0]?.bytes ?? new Uint8Array()).equals(file)).toBe(true);

    await graph(emu, await appToken())
      .api(`${base()}/messages/${draft.id}/send`)
      .post(undefined);
    expect(emu.sentMessages()[0]?.attachments).toEqual([{ name: 'katalog.pdf', contentType: 'application/pdf', size: SIZE }]);

    // draft + session + ⌈20 MB / 4 MB⌉ chunks + send
    const graphCalls = emu.requests().filter((r) => r.host === 'graph');
    expect(graphCalls.map((r) => [r.method, r.status])).toEqual([
      ['POST', 201],
      ['POST', 201],
      ...Array.from({ length: 4 }, () => ['PUT', 200]),
      ['PUT', 201],
      ['POST', 202],
    ]);
    const puts = graphCalls.filter((r) => r.method === 'PUT');
    for (const r of puts) expect(r.query).toBe('authtoken=REDACTED');
  });

  it('answers wrong ranges, oversized chunks, bad tokens and too small sessions as documented', async () => {
    const { uploadUrl } = await session(5 * MiB);
    const chunk = randomBytes(MiB);
    // Not the next expected byte → 416
    const skip = await put(uploadUrl, chunk, MiB, 5 * MiB);
    expect(skip.status).toBe(416);
    expect(((await skip.json()) as { error: { code: string } }).error.code).toBe('ErrorInvalidRange');
    // More than 4 MB in one PUT → 413
    const tooBig = await put(uploadUrl, randomBytes(4 * MiB + 1), 0, 5 * MiB);
    expect(tooBig.status).toBe(413);
    // Wrong total → 400
    const total = await put(uploadUrl, chunk, 0, 6 * MiB);
    expect(total.status).toBe(400);
    // Missing Content-Range → 400
    const missing = await put(uploadUrl, chunk, 0, 5 * MiB, 'garbage');
    expect(missing.status).toBe(400);
    // Tampered token → 401
    const tampered = await put(uploadUrl.replace(/authtoken=.*/, 'authtoken=forged'), chunk, 0, 5 * MiB);
    expect(tampered.status).toBe(401);
    // The session still expects byte 0
    const first = await put(uploadUrl, chunk, 0, 5 * MiB);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([String(MiB)]);
    // Cancelling the session: 204, then it is gone
    expect((await fetch(uploadUrl, { method: 'DELETE' })).status).toBe(204);
    expect((await put(uploadUrl, chunk, MiB, 5 * MiB)).status).toBe(404);

    const { draft } = await createDraft(true);
    const small = await graphError(
      graph(emu, await appToken())
        .api(`${base()}/messages/${draft.id}/attachments/createUploadSession`)
        .post({ AttachmentItem: { attachmentType: 'file', name: 'klein.pdf', size: 1000 } }),
    );
    expect([small.statusCode, small.code]).toEqual([400, 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize']);
    const noRights = await graphError(
      graph(emu, await appToken(DEMO.confidentialApp))
        .api(`${base()}/messages/${draft.id}/attachments/createUploadSession`)
        .post({ AttachmentItem: { attachmentType: 'file', name: 'gross.pdf', size: SIZE } }),
    );
    expect([noRights.statusCode, noRights.code]).toEqual([403, 'ErrorAccessDenied']);
  });
});

describe('per-mailbox throttling (off by default, switched on per test)', () => {
  const noRetry = [new RetryHandlerOptions(0, 0)];

  it('lets 30 messages a minute through and answers the 31st with 429 ApplicationThrottled + Retry-After', async () => {
    emu.setMailboxThrottling({ messagesPerMinute: 30 });
    const token = await appToken(DEMO.confidentialApp);
    for (let i = 0; i < 30; i++) expect((await raw('POST', `${base()}/sendMail`, sampleMail(), token)).status).toBe(202);
    const res = await raw('POST', `${base()}/sendMail`, sampleMail(), token);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await res.json()).toEqual({
      error: { code: 'ApplicationThrottled', message: 'Application is over its MessageRate limit.' },
    });
    // Drafts sent count too; the window slides with the emulator clock.
    const { draft } = await createDraft(true);
    const e = await graphError(
      graph(emu, await appToken())
        .api(`${base()}/messages/${draft.id}/send`)
        .middlewareOptions(noRetry)
        .post(undefined),
    );
    expect([e.statusCode, e.code]).toEqual([429, 'ApplicationThrottled']);
    emu.advanceClock(61_000);
    expect((await raw('POST', `${base()}/sendMail`, sampleMail(), token)).status).toBe(202);
  });

  it('answers a fifth concurrent request to the same mailbox with 429 MailboxConcurrency; the Graph client retries it', async () => {
    emu.setMailboxThrottling({ concurrentRequests: 4, serviceTimeMs: 400 });
    const token = await appToken();
    const results = await Promise.all(Array.from({ length: 5 }, () => raw('GET', `${base()}/messages?$top=1`, undefined, token)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const throttled = results.find((r) => r.status === 429) as Response;
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(await throttled.json()).toEqual({
      error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' },
    });
    // Another app has its own four slots.
    const others = await Promise.all([
      ...Array.from({ length: 4 }, () => raw('GET', `${base()}/messages?$top=1`, undefined, token)),
      raw('GET', `${base()}/messages?$top=1`, undefined, await appToken(DEMO.broadApp)),
    ]);
    expect(others.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    // With its retry handler the real client waits Retry-After and gets through.
    const client = graph(emu, token);
    const viaClient = await Promise.all(
      Array.from({ length: 5 }, () => client.api(`${base()}/messages`).top(1).get() as Promise<{ value: unknown[] }>),
    );
    expect(viaClient.every((r) => Array.isArray(r.value))).toBe(true);
  });

  it('stops uploads over the 5-minute volume with 429 MailboxUploadVolume', async () => {
    emu.setMailboxThrottling({ uploadBytesPer5Minutes: 10 * MiB });
    const { uploadUrl } = await session(20 * MiB);
    const chunk = randomBytes(4 * MiB);
    expect((await put(uploadUrl, chunk, 0, 20 * MiB)).status).toBe(200);
    expect((await put(uploadUrl, chunk, 4 * MiB, 20 * MiB)).status).toBe(200);
    const third = await put(uploadUrl, chunk, 8 * MiB, 20 * MiB);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await third.json()) as { error: { message: string } }).error.message).toBe(
      'Application is over its MailboxUploadVolume limit.',
    );
    emu.advanceClock(5 * 60_000 + 1000);
    expect((await put(uploadUrl, chunk, 8 * MiB, 20 * MiB)).status).toBe(200);
  });
});
