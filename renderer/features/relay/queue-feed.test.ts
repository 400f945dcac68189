import { describe, expect, it } from 'vitest';
import type { RelayQueueRow } from '../../../shared/ipc/contract';
import { followRelayQueue } from './queue-feed';

const row = (id: string): RelayQueueRow => ({
  id,
  profileId: 'p1',
  mailFrom: 'bestellung@contoso.com',
  rcptTo: ['lieferant@example.com'],
  subject: null,
  size: 1000,
  acceptedAt: '2026-11-30T08:00:00.000Z',
  status: 'pending',
  attempts: 0,
  nextAttemptAt: '2026-11-30T08:00:00.000Z',
  finishedAt: null,
  bounced: false,
  uncheckedResend: false,
  lastReply: null,
});

/** A core whose list answers wait until the test lets them go, and an event source the test fires. */
function fakeCore() {
  const pending: Array<{ resolve: (rows: RelayQueueRow[]) => void; reject: (e: Error) => void }> = [];
  const listeners = new Set<() => void>();
  return {
    pending,
    listeners,
    deps: {
      list: () => new Promise<RelayQueueRow[]>((resolve, reject) => pending.push({ resolve, reject })),
      onChanged: (listener: () => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    changed: () => {
      for (const listener of listeners) listener();
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the relay panel’s queue rows', () => {
  it('are listed once when the panel opens and once per relay.changed: one listing per action', async () => {
    const core = fakeCore();
    const shown: string[][] = [];
    const stop = followRelayQueue(core.deps, (rows) => shown.push(rows.map((r) => r.id)));
    expect(core.pending).toHaveLength(1);
    core.pending[0]?.resolve([row('a')]);
    await settle();
    // An action (retry, delete, start …): the core's one relay.changed is its one refresh.
    core.changed();
    expect(core.pending).toHaveLength(2);
    core.pending[1]?.resolve([row('b')]);
    await settle();
    expect(shown).toEqual([['a'], ['b']]);
    stop();
    core.changed();
    expect(core.pending).toHaveLength(2);
    expect(core.listeners.size).toBe(0);
  });

  it('drop a listing that a later one overtook, and show none when the listing fails', async () => {
    const core = fakeCore();
    const shown: string[][] = [];
    followRelayQueue(core.deps, (rows) => shown.push(rows.map((r) => r.id)));
    core.changed();
    core.pending[1]?.resolve([row('new')]);
    core.pending[0]?.resolve([row('old')]);
    await settle();
    expect(shown).toEqual([['new']]);
    core.changed();
    core.pending[2]?.reject(new Error('relay-not-available'));
    await settle();
    expect(shown).toEqual([['new'], []]);
  });

  it('show nothing after the panel closed, even from a listing still under way', async () => {
    const core = fakeCore();
    const shown: string[][] = [];
    const stop = followRelayQueue(core.deps, (rows) => shown.push(rows.map((r) => r.id)));
    stop();
    core.pending[0]?.resolve([row('a')]);
    await settle();
    expect(shown).toEqual([]);
  });
});
