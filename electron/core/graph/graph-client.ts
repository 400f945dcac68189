import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import type { Dispatcher } from 'undici';

/** Retry-After in seconds, or as an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}

/** Gives every attempt its own deadline; RetryHandler calls it once per attempt. */
class TimeoutHandler implements Middleware {
  private next: Middleware | undefined;
  constructor(
    private readonly timeoutMs: number,
    private readonly dispatcher: Dispatcher | undefined,
  ) {}
  async execute(context: Context): Promise<void> {
    const options: Record<string, unknown> = { ...context.options, signal: AbortSignal.timeout(this.timeoutMs) };
    if (this.dispatcher) options['dispatcher'] = this.dispatcher;
    context.options = options;
    if (!this.next) throw new Error('TimeoutHandler needs a next middleware');
    await this.next.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

// The request is a DOM RequestInfo, which the node-side typings cannot name.
const isSendMail = (request: unknown): boolean => {
  const url = typeof request === 'string' ? request : String((request as { url?: unknown }).url);
  return /\/sendMail(\?|$)/i.test(url);
};

/**
 * 429 is retried as Graph says (Retry-After, bounded). 503/504 on sendMail is not: Exchange may already
 * have accepted the message, and a blind retry could send it twice.
 */
export function createGraphClient(options: {
  graphRoot: string;
  getToken: () => Promise<string>;
  timeoutMs: number;
  maxRetries: number;
  maxRetryDelaySeconds: number;
  dispatcher?: Dispatcher | undefined;
}): Client {
  const retry = new RetryHandler(
    new RetryHandlerOptions(
      1,
      options.maxRetries,
      (delay: number, _attempt: number, request: unknown, _options: unknown, response: Response) => {
        // The SDK passes its configured base delay, not Graph's Retry-After: read the header ourselves,
        // so a "come back in 170 s" ends the test with a clear message instead of a long wait.
        const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
        if (Math.max(delay, retryAfter ?? 0) > options.maxRetryDelaySeconds) return false;
        return !(isSendMail(request) && response.status !== 429);
      },
    ),
  );
  const chain: Middleware[] = [
    new AuthenticationHandler({ getAccessToken: options.getToken }),
    retry,
    new TimeoutHandler(options.timeoutMs, options.dispatcher),
    new TelemetryHandler(),
    new HTTPMessageHandler(),
  ];
  for (let i = 0; i < chain.length - 1; i++) chain[i]?.setNext?.(chain[i + 1] as Middleware);
  return Client.initWithMiddleware({
    middleware: chain[0] as Middleware,
    baseUrl: options.graphRoot,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(options.graphRoot).hostname]),
  });
}

/** The Graph client for one connection test: the app's timeouts, retry bounds and trust, one token. */
export function graphClientFor(
  network: { requestTimeoutMs: number; maxRetries: number; maxRetryDelaySeconds: number },
  graphRoot: string,
  accessToken: string,
  dispatcher: Dispatcher | undefined,
): Client {
  return createGraphClient({
    graphRoot,
    getToken: () => Promise.resolve(accessToken),
    timeoutMs: network.requestTimeoutMs,
    maxRetries: network.maxRetries,
    maxRetryDelaySeconds: network.maxRetryDelaySeconds,
    dispatcher,
  });
}
