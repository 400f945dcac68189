// The thread of ThreadedTransport: an UndiciTransport answering the core's requests by message.
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WireError } from './threaded-transport';
import { UndiciTransport, type UndiciTransportOptions } from './undici-transport';

const port = parentPort;
if (port === null) throw new Error('threaded-transport-worker runs as a worker thread only');

const transport = new UndiciTransport(workerData as UndiciTransportOptions);
const running = new Map<number, AbortController>();

function toWire(error: unknown, depth = 0): WireError {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as Record<string, unknown>;
  const wire: WireError = {
    name: typeof e['name'] === 'string' ? e['name'] : 'Error',
    message: typeof e['message'] === 'string' ? e['message'] : String(error),
  };
  if (typeof e['code'] === 'string') wire.code = e['code'];
  if (typeof e['proxy'] === 'string') wire.proxy = e['proxy'];
  if (depth < 5 && e['cause'] !== undefined) wire.cause = toWire(e['cause'], depth + 1);
  if (depth < 5 && Array.isArray(e['errors'])) wire.errors = e['errors'].slice(0, 5).map((m) => toWire(m, depth + 1));
  return wire;
}

async function serve(message: Extract<ToWorker, { kind: 'fetch' }>): Promise<void> {
  const controller = new AbortController();
  running.set(message.id, controller);
  let answer: FromWorker;
  try {
    const response = await transport.fetch(message.url, {
      method: message.method,
      headers: message.headers,
      ...(message.body !== undefined ? { body: message.body } : {}),
      signal: controller.signal,
    });
    answer = { id: message.id, ok: true, status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    answer = { id: message.id, ok: false, error: toWire(error) };
  } finally {
    running.delete(message.id);
  }
  port?.postMessage(answer);
}

port.on('message', (message: ToWorker) => {
  if (message.kind === 'fetch') void serve(message);
  else if (message.kind === 'abort') running.get(message.id)?.abort();
  else transport.useProxy(message.proxy);
});
