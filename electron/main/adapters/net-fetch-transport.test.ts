import { describe, expect, it } from 'vitest';
import type { ProxyConfig } from 'electron';
import { MemoryLogger } from '../../core/testing/in-memory';
import { firstProxyOf, NetFetchTransport, proxyConfigOf, type NetSession } from './net-fetch-transport';

function fakeSession(answer: () => Promise<Response>, resolved = 'PROXY 10.0.0.8:3128; DIRECT') {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const proxies: ProxyConfig[] = [];
  let closed = 0;
  const session: NetSession = {
    fetch: (url, init) => {
      calls.push({ url: typeof url === 'string' ? url : url.url, init: init ?? {} });
      return answer();
    },
    setProxy: (config) => Promise.resolve(void proxies.push(config)),
    closeAllConnections: () => {
      closed++;
      return Promise.resolve();
    },
    resolveProxy: () => Promise.resolve(resolved),
  };
  return { session, calls, proxies, closed: () => closed };
}

const request = (signal = AbortSignal.timeout(5000)) => ({
  method: 'POST' as const,
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials',
  signal,
});

describe('NetFetchTransport (Electron session.fetch)', () => {
  it('passes method, headers, body and deadline; answers status, lower-case headers and the body', async () => {
    const fake = fakeSession(() =>
      Promise.resolve(new Response('{"ok":true}', { status: 201, headers: { 'X-Ms-Request-Id': 'r-1' } })),
    );
    const transport = new NetFetchTransport(fake.session, new MemoryLogger());
    const req = request();
    const answer = await transport.fetch('https://login.example/t/oauth2/v2.0/token', req);
    expect(answer.status).toBe(201);
    expect(answer.headers['x-ms-request-id']).toBe('r-1');
    expect(await answer.text()).toBe('{"ok":true}');
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.init).toMatchObject({
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
      signal: req.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  });

  it('tells the sign-in popup the setting the next request goes by', () => {
    const transport = new NetFetchTransport(fakeSession(() => Promise.resolve(new Response('x'))).session, new MemoryLogger());
    expect(transport.proxy).toBe('system');
    transport.useProxy('http://proxy.contoso.com:8080');
    expect(proxyConfigOf(transport.proxy)).toEqual({ mode: 'fixed_servers', proxyRules: 'http://proxy.contoso.com:8080' });
  });

  it('applies the proxy setting once per change, before the next request, and drops pooled sockets', async () => {
    const fake = fakeSession(() => Promise.resolve(new Response('x')));
    const transport = new NetFetchTransport(fake.session, new MemoryLogger());
    await transport.fetch('https://a.example/', request());
    await transport.fetch('https://a.example/', request());
    expect(fake.proxies).toEqual([{ mode: 'system' }]);
    transport.useProxy('http://proxy.contoso.com:8080');
    await transport.fetch('https://a.example/', request());
    transport.useProxy('none');
    await transport.fetch('https://a.example/', request());
    expect(fake.proxies).toEqual([
      { mode: 'system' },
      { mode: 'fixed_servers', proxyRules: 'http://proxy.contoso.com:8080' },
      { mode: 'direct' },
    ]);
    expect(fake.closed()).toBe(3);
  });

  it("maps Chromium's net errors to the classifier's codes, and names the proxy the session resolved", async () => {
    const failing = (message: string) =>
      new NetFetchTransport(fakeSession(() => Promise.reject(new Error(message))).session, new MemoryLogger());
    await expect(failing('net::ERR_PROXY_CONNECTION_FAILED').fetch('https://login.example/x', request())).rejects.toMatchObject({
      code: 'PROXY_UNREACHABLE',
      proxy: '10.0.0.8:3128',
      message: expect.stringContaining('proxy 10.0.0.8:3128') as unknown,
    });
    await expect(failing('net::ERR_TUNNEL_CONNECTION_FAILED').fetch('https://login.example/x', request())).rejects.toMatchObject({
      code: 'PROXY_REFUSED',
    });
    await expect(failing('net::ERR_NAME_NOT_RESOLVED').fetch('https://login.example/x', request())).rejects.toMatchObject({
      code: 'ENOTFOUND',
      host: 'login.example',
    });
    await expect(failing('net::ERR_CERT_AUTHORITY_INVALID').fetch('https://login.example/x', request())).rejects.toMatchObject({
      code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    });
    const odd = new Error('net::ERR_SOMETHING_NEW');
    const transport = new NetFetchTransport(fakeSession(() => Promise.reject(odd)).session, new MemoryLogger());
    await expect(transport.fetch('https://login.example/x', request())).rejects.toBe(odd);
  });

  it('a deadline that passed rejects with the signal, not a mapped error', async () => {
    const controller = new AbortController();
    const reason = new DOMException('timed out', 'TimeoutError');
    const fake = fakeSession(() => {
      controller.abort(reason);
      return Promise.reject(reason);
    });
    const transport = new NetFetchTransport(fake.session, new MemoryLogger());
    await expect(transport.fetch('https://login.example/x', request(controller.signal))).rejects.toBe(reason);
  });

  it('proxy config and resolveProxy strings', () => {
    expect(proxyConfigOf('system')).toEqual({ mode: 'system' });
    expect(proxyConfigOf('none')).toEqual({ mode: 'direct' });
    expect(proxyConfigOf('http://10.0.0.8:3128/')).toEqual({ mode: 'fixed_servers', proxyRules: 'http://10.0.0.8:3128' });
    expect(firstProxyOf('PROXY proxy.contoso.com:8080; DIRECT')).toBe('proxy.contoso.com:8080');
    expect(firstProxyOf('DIRECT')).toBeNull();
  });
});
