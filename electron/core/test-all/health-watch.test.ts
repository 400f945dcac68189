import { describe, expect, it } from 'vitest';
import type { TestAllRow } from '../../../shared/ipc/contract';
import { ManualTimer } from '../keep-alive/manual-timer';
import { MemoryLogger } from '../testing/in-memory';
import type { DesktopNotification } from '../ports';
import { HEALTH_CHECK_INTERVAL_MS, HEALTH_FIRST_CHECK_MS, HealthWatch } from './health-watch';

const row = (profileId: string, state: TestAllRow['state']): TestAllRow => ({
  profileId,
  name: `Profil ${profileId}`,
  accountType: 'client-secret',
  state,
  outcome: state,
  failedStep: state === 'failed' ? 'token' : null,
  failedMessageKey: null,
  failedParams: {},
  code: null,
  secretExpiresOn: null,
  secretDaysLeft: null,
  signInAgeDays: null,
  signInDaysLeft: null,
  error: null,
});

function watch(results: TestAllRow[][], baseline: Record<string, TestAllRow['state']> = {}, lang: 'de' | 'en' = 'de') {
  const timer = new ManualTimer();
  const shown: DesktopNotification[] = [];
  let runs = 0;
  const w = new HealthWatch({
    timer,
    // The clock follows the fake timer, so "a day later" is the timer's day.
    clock: { now: () => new Date(Date.parse('2026-12-01T08:00:00Z') + timer.elapsedMs) },
    logger: new MemoryLogger(),
    notifier: { notify: (n) => shown.push(n) },
    language: () => lang,
    testAll: () => {
      const rows = results[Math.min(runs, results.length - 1)] ?? [];
      runs++;
      return Promise.resolve({ batchId: 'b', startedAt: '', finishedAt: '', rows });
    },
    baseline: () => new Map(Object.entries(baseline)),
  });
  return { w, timer, shown, runs: () => runs };
}

describe('HealthWatch', () => {
  it('runs once a day on the injected timer and notifies only about profiles that got worse', async () => {
    const { w, timer, shown, runs } = watch(
      [
        [row('a', 'ok'), row('b', 'failed'), row('c', 'warning')],
        [row('a', 'failed'), row('b', 'failed'), row('c', 'warning')],
      ],
      { a: 'ok', b: 'ok', c: 'warning' },
    );
    w.start();
    await timer.advance(HEALTH_FIRST_CHECK_MS);
    expect(runs()).toBe(1);
    expect(shown.map((n) => n.profileId)).toEqual(['b']);
    expect(shown[0]?.title).toContain('Profil b');
    // Hourly wake-ups in between do not test again.
    await timer.advance(HEALTH_CHECK_INTERVAL_MS - 60_000);
    expect(runs()).toBe(1);
    await timer.advance(2 * 3_600_000);
    expect(runs()).toBe(2);
    // b stays failed (no second notice), a went bad.
    expect(shown.map((n) => n.profileId)).toEqual(['b', 'a']);
    w.stop();
    expect(timer.delays()).toEqual([]);
  });

  it('says it in English when the app is in English', async () => {
    const { w, shown } = watch([[row('x', 'warning')]], {}, 'en');
    await w.check();
    expect(shown).toHaveLength(1);
    expect(shown[0]?.title).toMatch(/^Sender profile/);
  });
});
