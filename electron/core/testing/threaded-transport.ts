import { Worker } from 'node:worker_threads';
import type { HttpRequest, HttpResponse, HttpTransport, ProxySetting } from '../ports';
import type { UndiciTransportOptions } from './undici-transport';

/** An error as it crosses the thread: what the classifier reads of it (name, message, code, proxy, causes, members). */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  proxy?: string;
  cause?: WireError;
  errors?: WireError[];
}

export type ToWorker =
  | {
      kind: 'fetch';
      id: number;
      url: string;
      method: HttpRequest['method'];
      headers: Record<string, string>;
      body?: string | Uint8Array;
    }
  | { kind: 'abort'; id: number }
  | { kind: 'proxy'; proxy: ProxySetting };

export type FromWorker =
  | { id: number; ok: true; status: number; headers: Record<string, string>; text: string }
  | { id: number; ok: false; error: WireError };

export function fromWire(wire: WireError): Error {
  const error: Error & { code?: string; proxy?: string; errors?: Error[] } =
    wire.errors === undefined ? new Error(wire.message) : new AggregateError(wire.errors.map(fromWire), wire.message);
  error.name = wire.name;
  if (wire.code !== undefined) error.code = wire.code;
  if (wire.proxy !== undefined) error.proxy = wire.proxy;
  if (wire.cause !== undefined) error.cause = fromWire(wire.cause);
  return error;
}

interface Waiting {
  resolve: (response: HttpResponse) => void;
  reject: (error: unknown) => void;
  done: () => void;
}

/**
 * UndiciTransport on a thread of its own: TLS, HTTP framing and body handling leave the core's event loop, as they
 * do in the app, where Electron's session.fetch runs them in Chromium's network service (another process). The
 * relay bench uses it so that its Node-hosted relay spends on its accepting thread what the app's relay spends,
 * not undici's and TLS's share on top. The answer's body is read whole in the worker (the core reads every body
 * it asks for); an abort rejects at once with the signal's reason and cancels the request in the worker.
 */
export class ThreadedTransport implements HttpTransport {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(options: UndiciTransportOptions = {}) {
    // The worker is TypeScript like the rest: tsx's loader in the thread (the bench and the tests run under it).
    this.worker = new Worker(new URL('./threaded-transport-worker.ts', import.meta.url), {
      workerData: options,
      execArgv: ['--import', 'tsx'],
    });
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => {
      const waiting = this.waiting.get(message.id);
      if (waiting === undefined) return; // aborted meanwhile: its promise is settled already
      waiting.done();
      if (message.ok) {
        const { text } = message;
        waiting.resolve({ status: message.status, headers: message.headers, text: () => Promise.resolve(text) });
      } else waiting.reject(fromWire(message.error));
    });
    this.worker.on('error', (error: Error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`transport thread exited (${String(code)})`)));
  }

  fetch(url: string, request: HttpRequest): Promise<HttpResponse> {
    if (this.failure !== null) return Promise.reject(this.failure);
    // The port's rule: an aborted request rejects with the signal's reason (an Error from the core's deadlines).
    if (request.signal.aborted) return Promise.reject(request.signal.reason as Error);
    const id = this.nextId++;
    return new Promise<HttpResponse>((resolve, reject) => {
      const onAbort = () => {
        if (!this.waiting.has(id)) return;
        done();
        this.worker.postMessage({ kind: 'abort', id } satisfies ToWorker);
        reject(request.signal.reason as Error);
      };
      const done = () => {
        this.waiting.delete(id);
        request.signal.removeEventListener('abort', onAbort);
        // A request under way keeps the process alive, an idle thread does not.
        if (this.waiting.size === 0) this.worker.unref();
      };
      this.waiting.set(id, { resolve, reject, done });
      request.signal.addEventListener('abort', onAbort, { once: true });
      this.worker.ref();
      this.worker.postMessage({
        kind: 'fetch',
        id,
        url,
        method: request.method,
        headers: { ...request.headers },
        ...(request.body !== undefined ? { body: request.body } : {}),
      } satisfies ToWorker);
    });
  }

  useProxy(proxy: ProxySetting): void {
    this.worker.postMessage({ kind: 'proxy', proxy } satisfies ToWorker);
  }

  async close(): Promise<void> {
    this.failAll(new Error('transport closed'));
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const waiting of [...this.waiting.values()]) {
      waiting.done();
      waiting.reject(error);
    }
  }
}
