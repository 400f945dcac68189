import type { AbsenderApi, ApiEvents, BridgeApi } from '../shared/ipc/contract';
import type { AppErrorDto } from '../shared/errors';

declare global {
  interface Window {
    absender: BridgeApi;
  }
}

/** An error from the main process, already redacted; the UI translates `code`. */
export class ApiError extends Error {
  constructor(readonly dto: AppErrorDto) {
    super(dto.code);
    this.name = 'ApiError';
  }
}

// The only module that touches window.absender: it turns envelopes back into values and ApiErrors.
const bridge = (): BridgeApi => window.absender;

export const api: AbsenderApi = new Proxy({} as AbsenderApi, {
  get: (_target, ns: string) =>
    new Proxy(
      {},
      {
        get:
          (_t, method: string) =>
          async (arg?: unknown): Promise<unknown> => {
            const call = (bridge() as unknown as Record<string, Record<string, (a?: unknown) => Promise<unknown>>>)[ns]?.[method];
            if (!call) throw new Error(`Unknown API method ${ns}.${method}`);
            const envelope = (await call(arg)) as { ok: true; value: unknown } | { ok: false; error: AppErrorDto };
            if (!envelope.ok) throw new ApiError(envelope.error);
            return envelope.value;
          },
      },
    ),
});

export const onEvent = <E extends keyof ApiEvents>(event: E, listener: (payload: ApiEvents[E]) => void): (() => void) =>
  bridge().on(event, listener);
