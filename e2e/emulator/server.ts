import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FaultAction, FaultTable, HostKind } from './faults';

export interface RequestLogEntry {
  seq: number;
  host: HostKind;
  /** The answering host's origin (https://localhost:PORT): tells the global cloud's hosts from the second cloud's. */
  origin: string;
  method: string;
  /** URL path without the query. */
  path: string;
  /** Raw query string without '?' ('' when none). */
  query: string;
  /** HTTP status sent, or null when the connection was dropped, hung or aborted. */
  status: number | null;
  outcome: 'pending' | 'response' | 'dropped' | 'hung' | 'aborted';
  /** Wall-clock start/end (ms since epoch; real time, not the emulator clock). */
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  requestId: string;
  clientRequestId: string | null;
  /** Fault actions applied to this request. */
  faults: string[];
}

export interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface RequestContext {
  host: HostKind;
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** x-ms-request-id (login) / request-id (Graph) of this response; also the AADSTS trace id. */
  requestId: string;
  /** The caller's client-request-id (header or query), if any. */
  clientRequestId: string | undefined;
  /** This server's origin, e.g. https://localhost:8443. */
  origin: string;
  body(): Promise<Buffer>;
}

export type Router = (ctx: RequestContext) => Promise<Reply>;
export type FaultReplyFactory = (ctx: RequestContext, action: Extract<FaultAction, { type: 'status' }>) => Reply;

export interface HttpsHostOptions {
  kind: HostKind;
  key: string;
  cert: string;
  port: number;
  hostname: string;
  router: Router;
  /** HTTP/2 as Graph and Entra offer it (ALPN h2, HTTP/1.1 still answered); off: HTTP/1.1 only, as before. */
  http2?: boolean;
  faults: FaultTable;
  faultReply: FaultReplyFactory;
  log: RequestLogEntry[];
  nextSeq: () => number;
}

export interface HttpsHost {
  server: Server;
  port: number;
  origin: string;
  close(): Promise<void>;
}

const MAX_BODY = 40 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export async function startHttpsHost(o: HttpsHostOptions): Promise<HttpsHost> {
  let origin = '';
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const t0 = performance.now();
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const clientRequestId =
      headerValue(req.headers['client-request-id']) ?? url.searchParams.get('client-request-id') ?? undefined;
    const entry: RequestLogEntry = {
      seq: o.nextSeq(),
      host: o.kind,
      origin,
      method,
      path: url.pathname,
      // Upload URLs carry their own token; the log keeps the parameter but not its value.
      query: url.search.replace(/^\?/, '').replace(/(^|&)authtoken=[^&]*/i, '$1authtoken=REDACTED'),
      status: null,
      outcome: 'pending',
      startedAt: Date.now(),
      endedAt: null,
      durationMs: null,
      requestId: randomUUID(),
      clientRequestId: clientRequestId ?? null,
      faults: [],
    };
    o.log.push(entry);
    const finish = (outcome: RequestLogEntry['outcome'], status: number | null): void => {
      if (entry.endedAt !== null) return;
      entry.outcome = outcome;
      entry.status = status;
      entry.endedAt = Date.now();
      entry.durationMs = Math.round((performance.now() - t0) * 10) / 10;
    };
    res.on('close', () => {
      if (entry.endedAt === null)
        finish(
          res.writableFinished ? 'response' : entry.outcome === 'hung' ? 'hung' : 'aborted',
          res.writableFinished ? res.statusCode : null,
        );
    });

    let bodyPromise: Promise<Buffer> | undefined;
    const ctx: RequestContext = {
      host: o.kind,
      method,
      url,
      headers: req.headers,
      requestId: entry.requestId,
      clientRequestId,
      origin,
      body: () => (bodyPromise ??= readBody(req)),
    };

    const decision = o.faults.decide(o.kind, method, url.pathname);
    entry.faults = decision.applied;
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));

    let reply: Reply;
    const terminal = decision.terminal;
    if (terminal?.type === 'drop') {
      finish('dropped', null);
      req.socket.destroy();
      return;
    }
    if (terminal?.type === 'stall') {
      entry.outcome = 'hung';
      const timer = setTimeout(() => req.socket.destroy(), terminal.ms);
      res.once('close', () => clearTimeout(timer));
      return;
    }
    if (terminal?.type === 'hang') {
      entry.outcome = 'hung';
      return; // never answered; close() destroys the connection
    }
    try {
      reply = terminal?.type === 'status' ? o.faultReply(ctx, terminal) : await o.router(ctx);
    } catch (e) {
      reply = {
        status: 500,
        headers: { 'Content-Type': 'text/plain' },
        body: `emulator error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      };
    }
    if (res.destroyed) return;
    const body = reply.body ?? '';
    res.statusCode = reply.status;
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    // Logged when handed to the socket, so a client that already has the response always finds it in the log.
    finish('response', reply.status);
    res.end(body);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => res.destroy());
  };
  // The compatibility API hands HTTP/2 streams over as request/response pairs: one handler for both protocols.
  const server: Server =
    o.http2 === true
      ? (createSecureServer({ key: o.key, cert: o.cert, allowHTTP1: true }, listener as never) as unknown as Server)
      : createServer({ key: o.key, cert: o.cert, keepAlive: true }, listener);
  // An HTTP/2 server has no closeAllConnections(): its TLS sockets are tracked and destroyed on close.
  const sockets = new Set<Socket>();
  if (o.http2 === true)
    server.on('secureConnection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://${o.hostname}:${port}`;
  return {
    server,
    port,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        if (o.http2 === true) for (const socket of sockets) socket.destroy();
        else server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- small reply helpers ---------------------------------------------------------------------------

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function html(status: number, body: string, headers: Record<string, string | string[]> = {}): Reply {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers }, body };
}

export function redirect(location: string, headers: Record<string, string | string[]> = {}): Reply {
  return { status: 302, headers: { Location: location, 'Cache-Control': 'no-store, no-cache', ...headers } };
}

export function parseForm(buf: Buffer): URLSearchParams {
  return new URLSearchParams(buf.toString('utf8'));
}

export function cookies(headers: IncomingHttpHeaders): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}
