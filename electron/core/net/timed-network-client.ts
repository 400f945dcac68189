import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import type { HttpTransport } from '../ports';

/**
 * MSAL's own client has no timeout on POST (the token request), so a hung login endpoint would hang
 * the test forever. Same contract, with a timeout on every request; the original error stays as
 * `cause` so the diagnosis can name DNS, TLS, proxy or timeout.
 */
export class TimedNetworkClient implements INetworkModule {
  constructor(
    private readonly timeoutMs: number,
    private readonly transport: HttpTransport,
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'GET', options, Math.min(timeout ?? this.timeoutMs, this.timeoutMs));
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'POST', options, this.timeoutMs);
  }

  private async send<T>(
    url: string,
    method: 'GET' | 'POST',
    options: NetworkRequestOptions | undefined,
    timeoutMs: number,
  ): Promise<NetworkResponse<T>> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await this.transport.fetch(url, {
        method,
        headers: options?.headers ?? {},
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        signal,
      });
      const headers = { ...response.headers };
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw Object.assign(
          new AuthError(
            'token_parsing_error',
            '',
            `Failed to parse response from ${new URL(url).host} (HTTP ${response.status})`,
          ),
          {
            httpStatus: response.status,
          },
        );
      }
      return { headers, body: body as T, status: response.status };
    } catch (error) {
      if (error instanceof AuthError) throw error;
      const host = new URL(url).host;
      const timedOut = signal.aborted;
      // MSAL keeps only the message, so the cause's code (ENOTFOUND, CERT_…) and the proxy go into it.
      const failure = error as { code?: unknown; proxy?: unknown; cause?: { code?: unknown } };
      const causeCode = typeof failure.code === 'string' ? failure.code : failure.cause?.code;
      const via = typeof failure.proxy === 'string' ? ` via proxy ${failure.proxy}` : '';
      const message = timedOut
        ? `Request timeout: no answer from ${host} after ${Math.round(timeoutMs / 1000)} s`
        : `Network request failed: ${host}${typeof causeCode === 'string' ? ` ${causeCode}` : ''}${via}`;
      throw Object.assign(new AuthError('network_error', '', message), { cause: error, host, timedOut, timeoutMs });
    }
  }
}
