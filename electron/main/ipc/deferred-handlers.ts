import type { Handler } from '../../core/ipc/request-handlers';
import { API_METHODS, channelOf } from '../../../shared/ipc/manifest';

/** Every request channel of the manifest, as registerHandlers() needs them before the core exists. */
export const REQUEST_CHANNELS: readonly string[] = Object.entries(API_METHODS).flatMap(([ns, methods]) =>
  methods.map((method) => channelOf(ns, method)),
);

/**
 * Handlers that exist before the core does: the window loads while the keychain may still be asking
 * the admin, and the renderer's first calls (app.info, settings.get, profiles.list) wait for the core
 * instead of failing. If start-up fails, they answer `internal` (the app is exiting by then).
 */
export function handlersAwaiting(
  channels: readonly string[],
  ready: Promise<ReadonlyMap<string, Handler>>,
): Map<string, Handler> {
  // Start-up reports its own failure; a request still waiting must not add an unhandled rejection.
  const settled = ready.then(
    (handlers) => handlers,
    () => null,
  );
  return new Map(
    channels.map((channel): [string, Handler] => [
      channel,
      async (arg) => {
        const handler = (await settled)?.get(channel);
        return handler ? handler(arg) : { ok: false, error: { code: 'internal', params: {} } };
      },
    ]),
  );
}
