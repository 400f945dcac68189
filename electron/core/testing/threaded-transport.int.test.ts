import diagnostics from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { ThreadedTransport } from './threaded-transport';
import { UndiciTransport } from './undici-transport';

// The bench's relay reaches the emulator through this: the same answers as UndiciTransport, but the connection,
// TLS and HTTP happen on another thread (undici's diagnostics channel of this thread sees none of them).

let emulator: Emulator | undefined;
let transport: ThreadedTransport | undefined;
let server: Server | undefined;
afterEach(async () => {
  await transport?.close();
  await emulator?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server?.closeAllConnections();
  transport = undefined;
  emulator = undefined;
  server = undefined;
});

/** How many connections undici opens on this thread while `run` runs. */
async function connectionsHere(run: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const channel = diagnostics.channel('undici:client:connected');
  const listener = (): void => {
    count += 1;
  };
  channel.subscribe(listener);
  try {
    await run();
  } finally {
    channel.unsubscribe(listener);
  }
  return count;
}

const get = (t: { fetch: UndiciTransport['fetch'] }, url: string, signal = new AbortController().signal) =>
  t.fetch(url, { method: 'GET', headers: { Accept: 'application/json' }, signal });

describe('ThreadedTransport', () => {
  it('answers as UndiciTransport does, with the connection made on its own thread', async () => {
    emulator = await startEmulator();
    const url = `${emulator.graphRoot}/v1.0/users/${encodeURIComponent(DEMO.sender.upn)}`;
    const direct = new UndiciTransport({ extraCaPem: emulator.caCertPem, systemProxy: '' });
    const threaded = new ThreadedTransport({ extraCaPem: emulator.caCertPem, systemProxy: '' });
    transport = threaded;
    // Status, type and Graph's error code (the request id and date differ per request).
    const seen = async (r: Awaited<ReturnType<UndiciTransport['fetch']>>) => ({
      status: r.status,
      type: r.headers['content-type'],
      code: (JSON.parse(await r.text()) as { error?: { code?: string } }).error?.code,
    });
    let expected: Awaited<ReturnType<typeof seen>> | undefined;
    const onThisThread = await connectionsHere(async () => {
      expected = await seen(await get(direct, url));
    });
    let got: typeof expected;
    const offThread = await connectionsHere(async () => {
      got = await seen(await get(threaded, url));
    });
    expect(expected?.code).toBe('InvalidAuthenticationToken');
    expect(onThisThread).toBe(1);
    expect(offThread).toBe(0);
    expect(got).toEqual(expected);
  });

  it('a failure keeps its code and cause chain across the thread (what the diagnosis reads)', async () => {
    // A port nobody listens on: undici's "fetch failed" with ECONNREFUSED underneath.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    transport = new ThreadedTransport({ systemProxy: '' });
    const error = (await get(transport, `http://127.0.0.1:${port}/`).catch((e: unknown) => e)) as Error & { cause?: unknown };
    expect(error).toBeInstanceOf(Error);
    const codes: unknown[] = [];
    for (let link: unknown = error; typeof link === 'object' && link !== null; link = (link as { cause?: unknown }).cause)
      codes.push(
        (link as { code?: unknown }).code,
        ...((link as { errors?: Array<{ code?: unknown }> }).errors ?? []).map((m) => m.code),
      );
    expect(codes).toContain('ECONNREFUSED');
  });

  it('an abort rejects at once with the reason and ends the request in the thread', async () => {
    let closed: () => void = () => undefined;
    const requestClosed = new Promise<void>((resolve) => (closed = resolve));
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    // Never answers: only the abort can end the request.
    const silent = createServer((req) => {
      req.socket.once('close', closed);
      arrived();
    });
    server = silent;
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    transport = new ThreadedTransport({ systemProxy: '' });
    const controller = new AbortController();
    const pending = get(transport, `http://127.0.0.1:${port}/`, controller.signal);
    await requestArrived;
    const reason = new Error('deadline');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await requestClosed; // the thread let go of the connection
  });

  it('close() rejects what is still under way', async () => {
    const silent = createServer(() => undefined);
    server = silent;
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const t = new ThreadedTransport({ systemProxy: '' });
    const outcome = get(t, `http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    await t.close();
    expect(await outcome).toMatchObject({ message: 'transport closed' });
  });
});
