import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './tinyproxy';
import { proxyFailure, UndiciTransport } from './undici-transport';

let origin: string;
const seen: Array<{ method: string | undefined; headers: IncomingHttpHeaders; body: string }> = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    seen.push({ method: req.method, headers: req.headers, body });
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
    res.writeHead(418, { 'X-Ms-Request-Id': 'r-1', 'Content-Type': 'application/json' }).end('{"a":1}');
  });
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('UndiciTransport', () => {
  it('sends method, headers and body; answers status, lower-case headers and the body', async () => {
    const transport = new UndiciTransport({ systemProxy: '' });
    const answer = await transport.fetch(`${origin}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'X-Client-SKU': 'msal.node' },
      body: 'hello',
      signal: AbortSignal.timeout(5000),
    });
    expect(answer.status).toBe(418);
    expect(answer.headers['x-ms-request-id']).toBe('r-1');
    expect(await answer.text()).toBe('{"a":1}');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: 'hello', headers: { 'x-client-sku': 'msal.node' } });
  });

  it('a passed deadline rejects with the timeout, not as a proxy failure', async () => {
    const transport = new UndiciTransport({ systemProxy: '' });
    await expect(
      transport.fetch(`${origin}/slow`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(200) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('a proxy that is not there: the error names it (and "system" uses the given HTTPS_PROXY)', async () => {
    const dead = await freePort();
    for (const transport of [
      (() => {
        const t = new UndiciTransport({ systemProxy: '' });
        t.useProxy(`http://127.0.0.1:${dead}`);
        return t;
      })(),
      new UndiciTransport({ systemProxy: `http://user:pw@127.0.0.1:${dead}` }),
    ]) {
      const failure = transport.fetch(`${origin}/x`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(5000) });
      await expect(failure).rejects.toMatchObject({ code: 'PROXY_UNREACHABLE', proxy: `127.0.0.1:${dead}` });
      await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining('pw') as unknown });
    }
  });

  it('proxyFailure: a refused tunnel two causes down, a connect error, and anything else left alone', () => {
    const tunnel = new TypeError('fetch failed', {
      cause: new Error('Request was cancelled.', {
        cause: Object.assign(new Error('Proxy response (403) !== 200 when HTTP Tunneling'), { code: 'UND_ERR_ABORTED' }),
      }),
    });
    expect(proxyFailure(tunnel, 'p:3128', 'https://login.example/x')).toMatchObject({
      code: 'PROXY_REFUSED',
      proxy: 'p:3128',
      message: 'PROXY_REFUSED: proxy p:3128 refused the tunnel to login.example (HTTP 403)',
    });
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(proxyFailure(refused, 'p:3128', 'https://login.example/x')).toMatchObject({ code: 'PROXY_UNREACHABLE' });
    const tls = new TypeError('fetch failed', { cause: Object.assign(new Error('cert'), { code: 'CERT_HAS_EXPIRED' }) });
    expect(proxyFailure(tls, 'p:3128', 'https://login.example/x')).toBe(tls);
  });
});
