import type { Client } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpTransport } from '../ports';
import { attachToDraft, contentTypeFor, UPLOAD_CHUNK_BYTES, type DraftUploadDeps } from './attachments';
import { MailPacer, type PacingClock } from './pacing';

const MiB = 1024 * 1024;

describe('contentTypeFor', () => {
  it('goes by the extension, case-insensitively; unknown is octet-stream', () => {
    expect(contentTypeFor('C:\\ERP\\out\\Rechnung.PDF')).toBe('application/pdf');
    expect(contentTypeFor('xrechnung.xml')).toBe('application/xml');
    expect(contentTypeFor('Liste.xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(contentTypeFor('README')).toBe('application/octet-stream');
    expect(contentTypeFor('daten.xyz')).toBe('application/octet-stream');
  });
});

/** A Graph client that records its calls and answers createUploadSession / attachments POST. */
function fakeGraph(existing: Array<{ name: string; size: number }> = []) {
  const calls: string[] = [];
  const chain = (path: string) => {
    const c = {
      header: () => c,
      select: () => c,
      get: () => (calls.push(`GET ${path}`), Promise.resolve({ value: existing })),
      post: (body: { AttachmentItem?: { size: number }; name?: string }) => {
        calls.push(`POST ${path}`);
        return Promise.resolve(
          path.endsWith('/createUploadSession')
            ? { uploadUrl: `https://outlook.example/upload?size=${body.AttachmentItem?.size}` }
            : {},
        );
      },
    };
    return c;
  };
  return { calls, client: { api: chain } as unknown as Client };
}

function deps(transport: HttpTransport, client: Client, sleeps: number[]): DraftUploadDeps {
  let now = 0;
  const clock: PacingClock = { now: () => now, sleep: (ms) => (sleeps.push(ms), (now += ms), Promise.resolve()) };
  return {
    client,
    user: '/users/versand%40contoso.com',
    mailbox: 'versand@contoso.com',
    app: 'app',
    transport,
    timeoutMs: 1000,
    maxRetryDelaySeconds: 30,
    pacer: new MailPacer(clock),
  };
}

describe('attachToDraft', () => {
  it('uploads a large attachment in 4 MB chunks with Content-Range, without a bearer token; a 429 waits for Retry-After', async () => {
    const puts: HttpRequest[] = [];
    let throttledOnce = false;
    const transport: HttpTransport = {
      useProxy: () => undefined,
      fetch: (_url, request) => {
        if (!throttledOnce && puts.length === 1) {
          throttledOnce = true;
          return Promise.resolve({ status: 429, headers: { 'retry-after': '7' }, text: () => Promise.resolve('{}') });
        }
        puts.push(request);
        return Promise.resolve({ status: puts.length === 3 ? 201 : 200, headers: {}, text: () => Promise.resolve('') });
      },
    };
    const graph = fakeGraph();
    const sleeps: number[] = [];
    const size = 2 * UPLOAD_CHUNK_BYTES + 1000;
    const done = await attachToDraft(
      deps(transport, graph.client, sleeps),
      'draft-1',
      [{ name: 'a.zip', contentType: 'application/zip', bytes: Buffer.alloc(size) }],
      false,
    );
    expect(done).toBe(true);
    expect(graph.calls).toEqual(['POST /users/versand%40contoso.com/messages/draft-1/attachments/createUploadSession']);
    expect(puts.map((p) => p.headers['content-range'])).toEqual([
      `bytes 0-${4 * MiB - 1}/${size}`,
      `bytes ${4 * MiB}-${8 * MiB - 1}/${size}`,
      `bytes ${8 * MiB}-${size - 1}/${size}`,
    ]);
    expect(puts.every((p) => p.method === 'PUT' && !('authorization' in p.headers))).toBe(true);
    expect(sleeps).toEqual([7000]);
  });

  it('on resume adds only what the draft lacks; a draft holding something else is reported (false)', async () => {
    const transport: HttpTransport = { useProxy: () => undefined, fetch: () => Promise.reject(new Error('no upload expected')) };
    const small = [
      { name: 'a.pdf', contentType: 'application/pdf', bytes: Buffer.alloc(10) },
      { name: 'b.pdf', contentType: 'application/pdf', bytes: Buffer.alloc(20) },
    ];
    const partial = fakeGraph([{ name: 'a.pdf', size: 10 }]);
    expect(await attachToDraft(deps(transport, partial.client, []), 'd', small, true)).toBe(true);
    expect(partial.calls).toEqual([
      'GET /users/versand%40contoso.com/messages/d/attachments',
      'POST /users/versand%40contoso.com/messages/d/attachments',
    ]);
    const foreign = fakeGraph([{ name: 'c.pdf', size: 10 }]);
    expect(await attachToDraft(deps(transport, foreign.client, []), 'd', small, true)).toBe(false);
    expect(foreign.calls).toHaveLength(1);
  });

  it('a 429 with a wait over the bound ends the upload with the Graph error', async () => {
    const transport: HttpTransport = {
      useProxy: () => undefined,
      fetch: () =>
        Promise.resolve({
          status: 429,
          headers: { 'retry-after': '600' },
          text: () => Promise.resolve('{"error":{"code":"MailboxConcurrency","message":"busy"}}'),
        }),
    };
    const graph = fakeGraph();
    await expect(
      attachToDraft(
        deps(transport, graph.client, []),
        'd',
        [{ name: 'x', contentType: 'x', bytes: Buffer.alloc(4 * MiB) }],
        false,
      ),
    ).rejects.toMatchObject({ statusCode: 429, code: 'MailboxConcurrency' });
  });
});
