import { describe, expect, it } from 'vitest';
import type { Context } from '@microsoft/microsoft-graph-client';
import type { HttpRequest, HttpTransport } from '../ports';
import { TransportHandler } from './graph-client';

describe('TransportHandler (the Graph chain ends on the transport port)', () => {
  const make = (status: number, body: string, headers: Record<string, string> = {}) => {
    const sent: Array<{ url: string; request: HttpRequest }> = [];
    const transport: HttpTransport = {
      fetch: (url, request) => {
        sent.push({ url, request });
        return Promise.resolve({ status, headers, text: () => Promise.resolve(body) });
      },
      useProxy: () => undefined,
    };
    return { handler: new TransportHandler(transport), sent };
  };

  it('sends what HTTPMessageHandler would fetch and fills context.response with a real Response', async () => {
    const { handler, sent } = make(202, '', { 'request-id': 'r-1', 'content-type': 'application/json' });
    const signal = AbortSignal.timeout(5000);
    const context: Context = {
      request: 'https://graph.example/v1.0/users/a%40b/sendMail',
      options: {
        method: 'post',
        headers: new Headers({ Authorization: 'Bearer t', 'Content-Type': 'application/json' }),
        body: '{}',
        signal,
      },
    };
    await handler.execute(context);
    expect(sent).toEqual([
      {
        url: 'https://graph.example/v1.0/users/a%40b/sendMail',
        request: {
          method: 'POST',
          headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
          body: '{}',
          signal,
        },
      },
    ]);
    expect(context.response).toBeInstanceOf(Response);
    expect(context.response?.status).toBe(202);
    expect(context.response?.headers.get('request-id')).toBe('r-1');
  });

  it('a JSON error body stays readable; 204 has no body; plain-record headers work too', async () => {
    const error = make(403, '{"error":{"code":"ErrorAccessDenied"}}', { 'content-type': 'application/json' });
    const context: Context = {
      request: 'https://graph.example/v1.0/me',
      options: { headers: { 'X-A': '1' }, signal: AbortSignal.timeout(5000) },
    };
    await error.handler.execute(context);
    expect(await context.response?.json()).toEqual({ error: { code: 'ErrorAccessDenied' } });
    expect(error.sent[0]?.request).toMatchObject({ method: 'GET', headers: { 'x-a': '1' } });
    const empty = make(204, 'ignored');
    const c2: Context = {
      request: 'https://graph.example/v1.0/x',
      options: { method: 'DELETE', signal: AbortSignal.timeout(5000) },
    };
    await empty.handler.execute(c2);
    expect(c2.response?.status).toBe(204);
    expect(c2.response?.body).toBeNull();
  });

  it('refuses what the app never sends: no deadline, a binary body', async () => {
    const { handler } = make(200, '');
    await expect(handler.execute({ request: 'https://graph.example/v1.0/me', options: {} })).rejects.toThrow(/deadline/);
    await expect(
      handler.execute({
        request: 'https://graph.example/v1.0/me',
        options: { method: 'POST', body: new Uint8Array([1]), signal: AbortSignal.timeout(5000) },
      }),
    ).rejects.toThrow(/text/);
  });
});
