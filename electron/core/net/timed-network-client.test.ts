import { AuthError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpTransport } from '../ports';
import { TimedNetworkClient } from './timed-network-client';

function transport(answer: (url: string, request: HttpRequest) => Promise<Awaited<ReturnType<HttpTransport['fetch']>>>) {
  const sent: Array<{ url: string; request: HttpRequest }> = [];
  const t: HttpTransport = {
    fetch: (url, request) => {
      sent.push({ url, request });
      return answer(url, request);
    },
    useProxy: () => undefined,
  };
  return { t, sent };
}

const ok = (status: number, body: string, headers: Record<string, string> = {}) =>
  Promise.resolve({ status, headers, text: () => Promise.resolve(body) });

describe('TimedNetworkClient (MSAL network module on the transport port)', () => {
  it('POST sends headers and body; the answer comes back as MSAL expects it', async () => {
    const { t, sent } = transport(() => ok(400, '{"error":"invalid_client"}', { 'x-ms-request-id': 'r' }));
    const client = new TimedNetworkClient(5000, t);
    const answer = await client.sendPostRequestAsync<{ error: string }>('https://login.example/t/token', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(answer).toEqual({ status: 400, headers: { 'x-ms-request-id': 'r' }, body: { error: 'invalid_client' } });
    expect(sent[0]?.request).toMatchObject({
      method: 'POST',
      body: 'a=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(sent[0]?.request.signal).toBeInstanceOf(AbortSignal);
    await client.sendGetRequestAsync('https://login.example/keys');
    expect(sent[1]?.request).not.toHaveProperty('body');
    expect(sent[1]?.request.method).toBe('GET');
  });

  it('a body that is not JSON is a parsing error with the status', async () => {
    const client = new TimedNetworkClient(5000, transport(() => ok(502, '<html>Bad gateway</html>')).t);
    await expect(client.sendPostRequestAsync('https://login.example/t', {})).rejects.toMatchObject({
      errorCode: 'token_parsing_error',
      httpStatus: 502,
    });
  });

  it('no answer within the timeout: a network_error that says so, with the cause', async () => {
    const hang = transport(
      (_url, request) =>
        new Promise((_resolve, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason as Error))),
    );
    const failure = new TimedNetworkClient(100, hang.t).sendPostRequestAsync('https://login.example/t', {});
    await expect(failure).rejects.toBeInstanceOf(AuthError);
    await expect(failure).rejects.toMatchObject({
      errorCode: 'network_error',
      timedOut: true,
      host: 'login.example',
      errorMessage: expect.stringContaining('no answer from login.example') as unknown,
    });
  });

  it("a transport failure keeps its code and the proxy in MSAL's message, and itself as the cause", async () => {
    const refused = Object.assign(new Error('PROXY_REFUSED: proxy p:3128 …'), { code: 'PROXY_REFUSED', proxy: 'p:3128' });
    const failure = new TimedNetworkClient(5000, transport(() => Promise.reject(refused)).t).sendPostRequestAsync(
      'https://login.example/t',
      {},
    );
    await expect(failure).rejects.toMatchObject({
      errorMessage: 'Network request failed: login.example PROXY_REFUSED via proxy p:3128',
      cause: refused,
      timedOut: false,
    });
    const dns = new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) });
    await expect(
      new TimedNetworkClient(5000, transport(() => Promise.reject(dns)).t).sendGetRequestAsync('https://login.example/k'),
    ).rejects.toMatchObject({ errorMessage: 'Network request failed: login.example ENOTFOUND' });
  });
});
