import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { Agent, fetch as undiciFetch, ProxyAgent, type Dispatcher } from 'undici';
import type { HttpRequest, HttpResponse, HttpTransport, ProxySetting } from '../ports';

export interface UndiciTransportOptions {
  /** One CA to trust on top of Node's roots (the emulator's, or a TLS-inspecting proxy's); verification stays on. */
  extraCaPem?: string | undefined;
  /** What "system" means in Node: HTTPS_PROXY (or https_proxy) when set, else direct. NO_PROXY is not read. */
  systemProxy?: string | undefined;
  /** Speak HTTP/2 (ALPN), as Chromium's net does with Graph and Entra: one connection per host carries parallel requests. */
  allowH2?: boolean;
}

/** Failures reaching the proxy itself: with a proxy every connection goes there first. */
const CONNECT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

type Link = { code?: unknown; message?: unknown; cause?: unknown };

/** The causes under undici's "fetch failed", nearest first (a tunnel refusal sits two levels down). */
function causesOf(error: unknown): Link[] {
  const out: Link[] = [];
  let link: unknown = (error as Link | null)?.cause;
  while (typeof link === 'object' && link !== null && out.length < 5) {
    out.push(link);
    link = (link as Link).cause;
  }
  return out;
}

/**
 * The Node side of the HttpTransport port (browser test host, integration tests, bench): undici's fetch
 * with its own Agent, so nothing global (NODE_EXTRA_CA_CERTS, setGlobalDispatcher) is needed or touched.
 */
export class UndiciTransport implements HttpTransport {
  /** Built once: a `ca` list in the connect options would re-parse Node's ~150 roots on every TLS connection. */
  private readonly tls: { secureContext: SecureContext } | undefined;
  private readonly systemProxy: string | undefined;
  private readonly allowH2: boolean;
  private applied: ProxySetting | null = null;
  private dispatcher: Dispatcher;
  /** host:port of the proxy in use, for the error that names it; null when direct. */
  private proxyLabel: string | null = null;

  constructor(options: UndiciTransportOptions = {}) {
    const pem = options.extraCaPem?.trim();
    this.tls = pem ? { secureContext: createSecureContext({ ca: [...rootCertificates, pem] }) } : undefined;
    this.systemProxy = options.systemProxy ?? process.env['HTTPS_PROXY'] ?? process.env['https_proxy'];
    this.allowH2 = options.allowH2 === true;
    this.dispatcher = this.build('system');
    this.applied = 'system';
  }

  useProxy(proxy: ProxySetting): void {
    if (proxy === this.applied) return;
    const previous = this.dispatcher;
    this.dispatcher = this.build(proxy);
    this.applied = proxy;
    // Requests under way finish on the old one; close() waits for them.
    void previous.close().catch(() => undefined);
  }

  async fetch(url: string, request: HttpRequest): Promise<HttpResponse> {
    const proxy = this.proxyLabel;
    let response: Awaited<ReturnType<typeof undiciFetch>>;
    try {
      response = await undiciFetch(url, {
        method: request.method,
        headers: { ...request.headers },
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: request.signal,
        dispatcher: this.dispatcher,
      });
    } catch (error) {
      throw proxy !== null && !request.signal.aborted ? proxyFailure(error, proxy, url) : error;
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
    return { status: response.status, headers, text: () => response.text() };
  }

  private build(proxy: ProxySetting): Dispatcher {
    const uri = proxy === 'none' ? undefined : proxy === 'system' ? this.systemProxy : proxy;
    if (uri === undefined || uri.trim() === '') {
      this.proxyLabel = null;
      // HTTP/2: one session per origin carrying the parallel requests as streams (as Chromium keeps one); an
      // HTTP/1.1-only host would get them pipelined on that one connection, so this is for hosts that speak h2.
      const h2 = this.allowH2 ? { allowH2: true, connections: 1, pipelining: 100 } : {};
      return new Agent({ ...(this.tls ? { connect: this.tls } : {}), ...h2 });
    }
    this.proxyLabel = new URL(uri).host; // never the userinfo an HTTPS_PROXY may carry
    // The CA goes to the TLS inside the tunnel (requestTls), and to an https:// proxy's own TLS (proxyTls).
    return new ProxyAgent({ uri, ...(this.tls ? { requestTls: this.tls, proxyTls: this.tls } : {}) });
  }
}

/**
 * undici says "fetch failed" with the cause inside; when that cause is the proxy (refused, unreachable,
 * a tunnel it would not open), the error says so and names the proxy. Anything after the tunnel stands.
 */
export function proxyFailure(error: unknown, proxy: string, url: string): unknown {
  const causes = causesOf(error);
  const code = causes.map((c) => c.code).find((c): c is string => typeof c === 'string') ?? '';
  const target = new URL(url).host;
  const tunnel = causes.map((c) => /^Proxy response \((\d+)\)/.exec(String(c.message))).find((m) => m !== null);
  if (tunnel)
    return Object.assign(new Error(`PROXY_REFUSED: proxy ${proxy} refused the tunnel to ${target} (HTTP ${tunnel[1]})`), {
      code: 'PROXY_REFUSED',
      proxy,
      cause: error,
    });
  if (CONNECT_CODES.has(code))
    return Object.assign(new Error(`PROXY_UNREACHABLE: proxy ${proxy} not reachable (${code})`), {
      code: 'PROXY_UNREACHABLE',
      proxy,
      cause: error,
    });
  return error;
}
