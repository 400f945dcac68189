import type { BridgeApi } from '../../shared/ipc/contract';
import type { ApiMethods } from '../../shared/ipc/manifest';

export interface BridgeTransport {
  invoke(channel: string, arg: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

/**
 * Builds window.absender from the method manifest. It must stay self-contained (no imports used at
 * run time, no outer variables): the browser test host injects its source text into the page, so
 * the renderer talks to the very same bridge in tests as in the app.
 */
export function createBridge(methods: ApiMethods, events: readonly string[], transport: BridgeTransport): BridgeApi {
  const api: Record<string, unknown> = {};
  for (const [ns, names] of Object.entries(methods)) {
    const group: Record<string, (arg?: unknown) => Promise<unknown>> = {};
    for (const name of names) {
      const channel = `absender:${ns}.${name}`;
      // Exactly one argument crosses: extra arguments cannot smuggle data past the schema.
      group[name] = (arg?: unknown) => transport.invoke(channel, arg);
    }
    api[ns] = Object.freeze(group);
  }
  api['on'] = (event: string, listener: (payload: unknown) => void) => {
    if (!events.includes(event)) throw new Error(`Unknown event: ${event}`);
    return transport.subscribe(`absender:event:${event}`, listener);
  };
  return Object.freeze(api) as unknown as BridgeApi;
}
