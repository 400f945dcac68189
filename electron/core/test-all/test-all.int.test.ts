import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator, type RequestLogEntry } from '../../../e2e/emulator';
import { composeTestCore } from '../testing/core-fixture';
import { emulatorEndpoints } from '../testing/emulator-endpoints';
import { UndiciTransport } from '../testing/undici-transport';
import type { ApiEvents } from '../../../shared/ipc/contract';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.close());
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
  emulator.setMailboxThrottling('off');
});

// RBAC for Applications: no roles in the token, so a healthy profile's test is ok (not the tenant-wide warning).
const app = DEMO.rbacApp;

function core(sleep?: (ms: number) => Promise<void>) {
  const progress: ApiEvents['tests.allProgress'][] = [];
  const c = composeTestCore({
    os: {
      clock: { now: () => new Date() },
      transport: new UndiciTransport({ extraCaPem: emulator.caCertPem, systemProxy: '' }),
    },
    // No retries inside the Graph client: the batch's own Retry-After wait is what is tested.
    network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 10_000, maxRetries: 0 },
    emit: (event, payload) => {
      if (event === 'tests.allProgress') progress.push(payload as ApiEvents['tests.allProgress']);
    },
    ...(sleep ? { sleep } : {}),
  });
  return { api: c.api, progress };
}

async function profiles(
  api: ReturnType<typeof core>['api'],
  n: number,
  mailbox: string = DEMO.sender.upn,
  registration: { clientId: string; secretValue: string } = app,
) {
  for (let i = 0; i < n; i++) {
    await api.profiles.save({
      draft: {
        name: `Absender ${i}`,
        accountType: 'client-secret',
        senderAddress: mailbox,
        mailboxAddress: mailbox,
        clientId: registration.clientId,
        tenant: DEMO.tenantId,
        secretExpiresOn: '',
      },
      clientSecret: registration.secretValue,
    });
  }
}

/** The most Graph requests the emulator had open at one moment. */
function peakConcurrency(log: RequestLogEntry[]): number {
  const edges = log
    .filter((e) => e.host === 'graph' && e.endedAt !== null)
    .flatMap((e) => [
      { at: e.startedAt, d: 1 },
      { at: e.endedAt ?? e.startedAt, d: -1 },
    ])
    // An end at the same millisecond as a start frees its slot first.
    .sort((a, b) => a.at - b.at || a.d - b.d);
  let open = 0;
  let peak = 0;
  for (const e of edges) {
    open += e.d;
    peak = Math.max(peak, open);
  }
  return peak;
}

describe('test all against the emulator', () => {
  it('never has more than 4 requests open on one app and mailbox, and reports n of N as each finishes', async () => {
    const { api, progress } = core();
    await profiles(api, 12);
    // Exchange's own limit on: a fifth concurrent request would be answered 429 MailboxConcurrency.
    emulator.setMailboxThrottling({ concurrentRequests: 4, serviceTimeMs: 0 });
    emulator.setFault({ match: { host: 'graph', path: '/users/' }, action: { type: 'latency', ms: 120 } });
    emulator.clearRequests();
    const result = await api.tests.runAll();
    expect(result.rows).toHaveLength(12);
    expect(result.rows.map((r) => r.state)).toEqual(Array(12).fill('ok'));
    const log = emulator.requests();
    expect(log.filter((e) => e.status === 429)).toEqual([]);
    const peak = peakConcurrency(log);
    expect(peak).toBeLessThanOrEqual(4);
    // Not one after another either: the bound is used.
    expect(peak).toBeGreaterThanOrEqual(3);
    expect(progress.map((p) => p.done)).toEqual([...Array(13).keys()]);
    expect(progress.every((p) => p.total === 12)).toBe(true);
  });

  it('waits the Retry-After of a 429 before that mailbox is asked again, then tests the profile again', async () => {
    const pauses: { ms: number; from: number; to: number }[] = [];
    const sleep = async (ms: number) => {
      const from = Date.now();
      // A fraction of the real wait keeps the test short; the gap in the emulator's log is what counts.
      await new Promise((r) => setTimeout(r, ms / 10));
      pauses.push({ ms, from, to: Date.now() });
    };
    const { api } = core(sleep);
    await profiles(api, 6);
    emulator.setFault({
      match: { host: 'graph', path: '/users/' },
      action: { type: 'status', status: 429, retryAfterSeconds: 3 },
      times: 1,
    });
    emulator.clearRequests();
    const result = await api.tests.runAll();
    expect(pauses.map((p) => p.ms)).toEqual([3000]);
    expect(result.rows.map((r) => r.state)).toEqual(Array(6).fill('ok'));
    const pause = pauses[0];
    if (!pause) throw new Error('no pause');
    const graph = emulator.requests().filter((e) => e.host === 'graph');
    expect(graph.filter((e) => e.status === 429)).toHaveLength(1);
    // No new test started while the batch waited (each starts with its token request); only the ones
    // already running (at most 3 besides the throttled one) finished their step.
    const during = (e: RequestLogEntry) => e.startedAt > pause.from + 5 && e.startedAt < pause.to - 5;
    expect(emulator.requests().filter((e) => e.host === 'login' && during(e))).toEqual([]);
    expect(graph.filter(during).length).toBeLessThanOrEqual(3);
    // The throttled profile was tested again: one more mailbox read than profiles.
    expect(graph).toHaveLength(7);
  });

  it('runs each app × mailbox on its own bound: different mailboxes do not wait for each other', async () => {
    const { api } = core();
    // The broad app may read mailboxes, so a missing one fails at its mailbox step.
    await profiles(api, 4, DEMO.sender.upn, DEMO.broadApp);
    await profiles(api, 4, `gibtsnicht@${DEMO.tenantDomain}`, DEMO.broadApp);
    emulator.setFault({ match: { host: 'graph', path: '/users/' }, action: { type: 'latency', ms: 150 } });
    emulator.clearRequests();
    const result = await api.tests.runAll();
    expect(result.rows).toHaveLength(8);
    expect(peakConcurrency(emulator.requests())).toBeGreaterThan(4);
    // The missing mailbox fails at its mailbox step; the batch reports it, it does not stop.
    const other = result.rows.filter((r) => r.state === 'failed');
    expect(other).toHaveLength(4);
    expect(new Set(other.map((r) => r.failedStep))).toEqual(new Set(['mailbox']));
  });
});

describe('test all: what the batch leaves on the profiles', () => {
  it('every profile keeps its last test and a history entry, as after a single test, written when the batch ends', async () => {
    const { api } = core();
    await profiles(api, 3, DEMO.sender.upn, DEMO.broadApp);
    await profiles(api, 2, `gibtsnicht@${DEMO.tenantDomain}`, DEMO.broadApp);
    const result = await api.tests.runAll();
    const listed = await api.profiles.list();
    expect(listed).toHaveLength(5);
    for (const profile of listed) {
      const row = result.rows.find((r) => r.profileId === profile.id);
      expect(profile.lastTest?.outcome).toBe(row?.outcome);
      expect(profile.lastTest?.failedStep ?? null).toBe(row?.failedStep);
      const history = await api.profiles.history({ profileId: profile.id });
      expect(history.filter((e) => e.kind === 'tested')).toHaveLength(1);
    }
    expect(new Set(listed.map((p) => p.lastTest?.failedStep ?? null))).toEqual(new Set([null, 'mailbox']));
  });
});
