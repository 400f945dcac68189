import diagnostics from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciTransport } from '../../electron/core/testing/undici-transport';
import { DEMO, startEmulator, type Emulator } from './index';

// HTTP/2 is opt-in (the bench: Microsoft's hosts speak it, and so does the app's transport); HTTP/1.1 stays the default.

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** The ALPN protocol of every connection undici opens while `run` runs. */
async function connections(run: () => Promise<unknown>): Promise<string[]> {
  const protocols: string[] = [];
  const channel = diagnostics.channel('undici:client:connected');
  const listener = (message: unknown): void => {
    protocols.push(String((message as { socket: { alpnProtocol?: unknown } }).socket.alpnProtocol));
  };
  channel.subscribe(listener);
  try {
    await run();
  } finally {
    channel.unsubscribe(listener);
  }
  return protocols;
}

const parallelReads = (emu: Emulator, transport: UndiciTransport, n: number) =>
  Promise.all(
    Array.from({ length: n }, () =>
      transport.fetch(`${emu.graphRoot}/v1.0/users/${encodeURIComponent(DEMO.sender.upn)}`, {
        method: 'GET',
        headers: {},
        signal: new AbortController().signal,
      }),
    ),
  );

describe('emulator over HTTP/2', () => {
  it('answers parallel requests as streams of one connection, with the same replies and log as over HTTP/1.1', async () => {
    emulator = await startEmulator({ http2: true });
    const emu = emulator;
    const h2 = new UndiciTransport({ extraCaPem: emu.caCertPem, systemProxy: '', allowH2: true });
    let replies: { status: number }[] = [];
    expect(await connections(async () => (replies = await parallelReads(emu, h2, 8)))).toEqual(['h2']);
    // No token: Graph's 401, as over HTTP/1.1.
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(401));
    expect(emu.requests().filter((e) => e.host === 'graph' && e.status === 401)).toHaveLength(8);

    // A client without h2 still gets HTTP/1.1 from the same host.
    const h1 = new UndiciTransport({ extraCaPem: emu.caCertPem, systemProxy: '' });
    expect(await connections(() => parallelReads(emu, h1, 2))).toEqual(['http/1.1', 'http/1.1']);
  });

  it('closes with HTTP/2 sessions still open', async () => {
    emulator = await startEmulator({ http2: true });
    const emu = emulator;
    await parallelReads(emu, new UndiciTransport({ extraCaPem: emu.caCertPem, systemProxy: '', allowH2: true }), 2);
    await emu.close();
    emulator = undefined;
  });

  it('stays HTTP/1.1 only by default', async () => {
    emulator = await startEmulator();
    const emu = emulator;
    const transport = new UndiciTransport({ extraCaPem: emu.caCertPem, systemProxy: '', allowH2: true });
    expect(await connections(() => parallelReads(emu, transport, 1))).toEqual(['http/1.1']);
  });
});
