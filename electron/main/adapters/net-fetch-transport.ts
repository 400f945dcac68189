import type { ProxyConfig, Session } from 'electron';
import type { HttpRequest, HttpResponse, HttpTransport, Logger, ProxySetting } from '../../core/ports';

/** What the adapter uses of an Electron Session (injected: no value import of electron here). */
export type NetSession = Pick<Session, 'fetch' | 'setProxy' | 'closeAllConnections' | 'resolveProxy'>;

/** The setting as Chromium's proxy config (docs/api/structures/proxy-config.md). */
export function proxyConfigOf(proxy: ProxySetting): ProxyConfig {
  if (proxy === 'system') return { mode: 'system' };
  if (proxy === 'none') return { mode: 'direct' };
  // "http://host:port" for every scheme; Chromium tunnels https through it with CONNECT.
  return { mode: 'fixed_servers', proxyRules: `http://${new URL(proxy).host}` };
}

/**
 * Chromium's net error names (net::ERR_…) as the codes the core's classifier knows from Node, so one
 * diagnosis table serves both hosts. PROXY_* mean the proxy itself refused or could not be reached.
 */
const CHROMIUM_CODES: Readonly<Record<string, string>> = {
  ERR_NAME_NOT_RESOLVED: 'ENOTFOUND',
  ERR_NAME_RESOLUTION_FAILED: 'EAI_AGAIN',
  ERR_CONNECTION_REFUSED: 'ECONNREFUSED',
  ERR_CONNECTION_RESET: 'ECONNRESET',
  ERR_CONNECTION_CLOSED: 'ECONNRESET',
  ERR_EMPTY_RESPONSE: 'ECONNRESET',
  ERR_CONNECTION_TIMED_OUT: 'ETIMEDOUT',
  ERR_TIMED_OUT: 'ETIMEDOUT',
  ERR_INTERNET_DISCONNECTED: 'ENETDOWN',
  ERR_ADDRESS_UNREACHABLE: 'EHOSTUNREACH',
  ERR_NETWORK_CHANGED: 'ECONNRESET',
  ERR_CERT_AUTHORITY_INVALID: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  ERR_CERT_DATE_INVALID: 'CERT_HAS_EXPIRED',
  ERR_CERT_COMMON_NAME_INVALID: 'ERR_TLS_CERT_ALTNAME_INVALID',
  ERR_CERT_REVOKED: 'CERT_REVOKED',
  ERR_SSL_PROTOCOL_ERROR: 'EPROTO',
  ERR_PROXY_CONNECTION_FAILED: 'PROXY_UNREACHABLE',
  ERR_MANDATORY_PROXY_CONFIGURATION_FAILED: 'PROXY_UNREACHABLE',
  ERR_PROXY_CERTIFICATE_INVALID: 'PROXY_UNREACHABLE',
  ERR_TUNNEL_CONNECTION_FAILED: 'PROXY_REFUSED',
  ERR_PROXY_AUTH_REQUESTED: 'PROXY_REFUSED',
  ERR_PROXY_AUTH_UNSUPPORTED: 'PROXY_REFUSED',
  ERR_PROXY_HTTP_1_1_REQUIRED: 'PROXY_REFUSED',
};

/** "PROXY host:port; DIRECT" (Session.resolveProxy) → "host:port"; null when direct. */
export function firstProxyOf(resolved: string): string | null {
  const m = /^\s*(?:PROXY|HTTPS)\s+([^\s;]+)/i.exec(resolved);
  return m?.[1] ?? null;
}

/**
 * The Electron side of the HttpTransport port: the app session's fetch, i.e. Chromium's network stack
 * with the session's proxy (system: WPAD/PAC and the OS settings; NTLM/Negotiate proxy sign-in with
 * the Windows account) and the OS certificate store, so a company's TLS-inspection root is trusted as
 * in the browser. A proxy asking for a password is cancelled (net.fetch has no 'login' listener): the
 * test then fails with the proxy diagnosis.
 */
export class NetFetchTransport implements HttpTransport {
  private wanted: ProxySetting = 'system';
  private applied: ProxySetting | null = null;
  private applying: Promise<void> | null = null;

  constructor(
    private readonly session: NetSession,
    private readonly logger: Logger,
  ) {}

  useProxy(proxy: ProxySetting): void {
    this.wanted = proxy;
  }

  /** The setting the next request goes by (the sign-in popup's partition takes the same). */
  get proxy(): ProxySetting {
    return this.wanted;
  }

  async fetch(url: string, request: HttpRequest): Promise<HttpResponse> {
    await this.ensureProxy();
    let response: Response;
    try {
      response = await this.session.fetch(url, {
        method: request.method,
        headers: { ...request.headers },
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: request.signal,
        // Like Node's fetch: no cookie jar, no HTTP cache for token and Graph calls.
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      if (request.signal.aborted) throw error;
      throw await this.explain(error, url);
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
    return { status: response.status, headers, text: () => response.text() };
  }

  /** setProxy is per session and async: applied once per change, before the next request leaves. */
  private async ensureProxy(): Promise<void> {
    while (this.applied !== this.wanted) {
      if (!this.applying) {
        const target = this.wanted;
        this.applying = (async () => {
          await this.session.setProxy(proxyConfigOf(target));
          // Pooled sockets to the old proxy must not carry the next request.
          await this.session.closeAllConnections();
          this.applied = target;
          this.logger.info('proxy applied', { mode: proxyConfigOf(target).mode ?? 'fixed_servers' });
        })().finally(() => {
          this.applying = null;
        });
      }
      await this.applying;
    }
  }

  private async explain(error: unknown, url: string): Promise<unknown> {
    const message = error instanceof Error ? error.message : String(error);
    const name = /\bnet::(ERR_[A-Z0-9_]+)/.exec(message)?.[1];
    const code = name !== undefined ? CHROMIUM_CODES[name] : undefined;
    if (code === undefined) return error;
    const host = new URL(url).host;
    if (!code.startsWith('PROXY_')) return Object.assign(new Error(`${message} (${host})`), { code, host, cause: error });
    const proxy = firstProxyOf(await this.session.resolveProxy(url).catch(() => '')) ?? 'unknown';
    return Object.assign(new Error(`${code}: proxy ${proxy} (${name}) for ${host}`), { code, proxy, cause: error });
  }
}
