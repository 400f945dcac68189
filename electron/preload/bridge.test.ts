import { describe, expect, it } from 'vitest';
import { API_EVENTS, API_METHODS, channelOf, eventChannelOf } from '../../shared/ipc/manifest';
import { createBridge, type BridgeTransport } from './bridge';

function recordingTransport() {
  const calls: Array<[string, unknown]> = [];
  const subscriptions: string[] = [];
  const transport: BridgeTransport = {
    invoke: (channel, arg) => {
      calls.push([channel, arg]);
      return Promise.resolve({ ok: true, value: null });
    },
    subscribe: (channel) => {
      subscriptions.push(channel);
      return () => undefined;
    },
  };
  return { calls, subscriptions, transport };
}

// EL-20: the bridge exposes the manifest and nothing else.
describe('createBridge', () => {
  it('exposes every manifest method on the derived channel with exactly one argument', async () => {
    const { calls, transport } = recordingTransport();
    const bridge = createBridge(API_METHODS, API_EVENTS, transport) as unknown as Record<
      string,
      Record<string, (...a: unknown[]) => Promise<unknown>>
    >;
    for (const [ns, names] of Object.entries(API_METHODS)) {
      for (const name of names) await bridge[ns]?.[name]?.({ n: name }, 'smuggled');
    }
    const expected = Object.entries(API_METHODS).flatMap(([ns, names]) => names.map((m) => [channelOf(ns, m), { n: m }]));
    expect(calls).toEqual(expected);
  });

  it('subscribes only to known events, on the derived channel', () => {
    const { subscriptions, transport } = recordingTransport();
    const bridge = createBridge(API_METHODS, API_EVENTS, transport);
    bridge.on('tests.progress', () => undefined);
    expect(subscriptions).toEqual([eventChannelOf('tests.progress')]);
    expect(() => (bridge.on as (e: string, l: () => void) => void)('profiles.secretLeak', () => undefined)).toThrow(
      'Unknown event',
    );
  });

  it('is self-contained, so the browser test host can inject its source into a page', async () => {
    const { calls, transport } = recordingTransport();
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- exactly what the test host does with the source
    const rebuilt = new Function(`return (${createBridge.toString()})`) as () => typeof createBridge;
    await rebuilt()(API_METHODS, API_EVENTS, transport).profiles.list();
    expect(calls).toEqual([[channelOf('profiles', 'list'), undefined]]);
  });

  it('freezes the exposed API so page code cannot swap a method', () => {
    const bridge = createBridge(API_METHODS, API_EVENTS, recordingTransport().transport);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.profiles)).toBe(true);
  });
});
