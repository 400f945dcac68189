import {
  AuthenticationHandler,
  Client,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { retryAfterSeconds } from '../net/retry-after';
import type { HttpRequest, HttpTransport } from '../ports';

/** Gives every attempt its own deadline; RetryHandler calls it once per attempt. */
class TimeoutHandler implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly timeoutMs: number) {}
  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, signal: AbortSignal.timeout(this.timeoutMs) };
    if (!this.next) throw new Error('TimeoutHandler needs a next middleware');
    await this.next.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

const METHODS: ReadonlySet<string> = new Set<HttpRequest['method']>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
// A body with these statuses makes `new Response` throw (fetch gives them a null body).
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/**
 * The last middleware: what the SDK's HTTPMessageHandler does (`context.response = await fetch(request,
 * options)`), through the app's transport instead of global fetch, so Graph takes the same proxy and trust
 * as the token requests. The SDK's response handling reads a real Response, so one is built from the answer.
 */
export class TransportHandler implements Middleware {
  constructor(private readonly transport: HttpTransport) {}
  async execute(context: Context): Promise<void> {
    const request = context.request as unknown;
    const base = typeof request === 'string' ? null : (request as Request);
    const url = base ? base.url : String(request);
    const options = context.options ?? {};
    const method = (options.method ?? base?.method ?? 'GET').toUpperCase();
    if (!METHODS.has(method)) throw new Error(`Graph request method not supported: ${method}`);
    const headers: Record<string, string> = {};
    // HeadersInit may be a Headers, pairs or a record; the middlewares before use all three.
    for (const source of [base?.headers, options.headers])
      if (source) new Headers(source).forEach((value, key) => (headers[key] = value));
    const body: unknown = options.body;
    if (body !== undefined && body !== null && typeof body !== 'string')
      throw new Error('Graph request body must be text (the app sends JSON only)');
    if (!(options.signal instanceof AbortSignal)) throw new Error('TransportHandler needs a deadline (TimeoutHandler)');
    const answer = await this.transport.fetch(url, {
      method: method as HttpRequest['method'],
      headers,
      ...(typeof body === 'string' ? { body } : {}),
      signal: options.signal,
    });
    const text = await answer.text();
    context.response = new Response(NULL_BODY_STATUSES.has(answer.status) ? null : text, {
      status: answer.status,
      headers: answer.headers,
    });
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
  transport: HttpTransport;
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
    new TimeoutHandler(options.timeoutMs),
    new TelemetryHandler(),
    new TransportHandler(options.transport),
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
  transport: HttpTransport,
): Client {
  return createGraphClient({
    graphRoot,
    getToken: () => Promise.resolve(accessToken),
    timeoutMs: network.requestTimeoutMs,
    maxRetries: network.maxRetries,
    maxRetryDelaySeconds: network.maxRetryDelaySeconds,
    transport,
  });
}
