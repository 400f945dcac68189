import { describe, expect, it } from 'vitest';
import type { ProfileView } from '../../../shared/domain';
import type { Clock, Logger } from '../ports';
import {
  isKeepAliveDue,
  KEEP_ALIVE_CHECK_MS,
  KEEP_ALIVE_FIRST_CHECK_MS,
  KeepAliveScheduler,
  type KeepAliveDeps,
} from './keep-alive';
import { ManualTimer } from './manual-timer';

const DAY = 86_400_000;
const T0 = Date.parse('2026-12-01T08:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function profile(
  id: string,
  patch: Partial<ProfileView> = {},
  delegated: Partial<NonNullable<ProfileView['delegated']>> = {},
): ProfileView {
  return {
    id,
    revision: 3,
    name: id,
    accountType: 'modern-auth',
    cloud: 'global',
    senderAddress: `${id}@contoso.example`,
    mailboxAddress: '',
    clientId: '414e5477-6e9a-47ef-96be-c186e1393824',
    tenant: 'contoso.example',
    signInMethod: 'popup',
    secret: { hasSecret: false, secretHint: null, secretExpiresOn: null },
    delegated: {
      username: `${id}@contoso.example`,
      homeAccountId: `${id}.home`,
      lastInteractiveSignIn: iso(T0),
      lastSilentRefresh: null,
      lastRefreshError: null,
      ...delegated,
    },
    lastTest: null,
    createdAt: iso(T0),
    updatedAt: iso(T0),
    ...patch,
  };
}

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A clock that moves with the manual timer (each check sees its own time) and a refresh that records
 * what the real one records: the session was used now.
 */
function harness(profiles: () => ProfileView[], intervalDays = 7) {
  const timer = new ManualTimer();
  const clock: Clock = { now: () => new Date(T0 + timer.elapsedMs) };
  const refreshed: string[] = [];
  const deps: KeepAliveDeps = {
    timer,
    clock,
    logger: silent,
    intervalDays: () => intervalDays,
    profiles,
    refresh: (id) => {
      refreshed.push(id);
      const delegated = profiles().find((p) => p.id === id)?.delegated;
      if (delegated) delegated.lastSilentRefresh = clock.now().toISOString();
      return Promise.resolve();
    },
  };
  const scheduler = new KeepAliveScheduler(deps);
  const advance = (ms: number) => timer.advance(ms);
  return { timer, scheduler, refreshed, advance };
}

describe('isKeepAliveDue', () => {
  const now = new Date(T0 + 7 * DAY);
  it('is due once the interval since the last sign-in or refresh has passed', () => {
    expect(isKeepAliveDue(profile('a'), now, 7)).toBe(true);
    expect(isKeepAliveDue(profile('a'), new Date(T0 + 7 * DAY - 1), 7)).toBe(false);
    expect(isKeepAliveDue(profile('a', {}, { lastSilentRefresh: iso(T0 + 3 * DAY) }), now, 7)).toBe(false);
  });
  it('skips profiles nobody is signed in to, and client-secret profiles', () => {
    expect(isKeepAliveDue(profile('a', { delegated: null }), now, 7)).toBe(false);
    expect(isKeepAliveDue(profile('a', { accountType: 'client-secret' }), now, 7)).toBe(false);
  });
  it('after a failure, tries again a day later, not at every check', () => {
    const failed = profile(
      'a',
      {},
      { lastRefreshError: { at: iso(T0 + 7 * DAY), diagnosisId: 'net-timeout', code: 'ETIMEDOUT' } },
    );
    expect(isKeepAliveDue(failed, new Date(T0 + 7 * DAY + 23 * 3_600_000), 7)).toBe(false);
    expect(isKeepAliveDue(failed, new Date(T0 + 8 * DAY), 7)).toBe(true);
  });
});

describe('KeepAliveScheduler', () => {
  it('checks shortly after start, then hourly; refreshes a profile once per interval', async () => {
    const stored = [profile('lager')];
    const h = harness(() => stored);
    h.scheduler.start();
    expect(h.timer.delays()).toEqual([KEEP_ALIVE_FIRST_CHECK_MS]);
    await h.advance(KEEP_ALIVE_FIRST_CHECK_MS);
    expect(h.refreshed).toEqual([]); // signed in just now: nothing due
    expect(h.timer.delays()).toEqual([KEEP_ALIVE_CHECK_MS]);

    await h.advance(7 * DAY);
    expect(h.refreshed).toEqual(['lager']); // at the first hourly check past day 7, once
    await h.advance(6 * DAY);
    expect(h.refreshed).toEqual(['lager']);
    await h.advance(DAY + KEEP_ALIVE_CHECK_MS);
    expect(h.refreshed).toEqual(['lager', 'lager']);
  });

  it('refreshes due profiles one after another and only the due ones', async () => {
    const stored = [
      profile('a', {}, { lastInteractiveSignIn: iso(T0 - 10 * DAY) }),
      profile('b'),
      profile('c', {}, { lastInteractiveSignIn: iso(T0 - 30 * DAY), lastSilentRefresh: iso(T0 - 8 * DAY) }),
    ];
    const h = harness(() => stored);
    expect(await h.scheduler.runDue()).toBe(2);
    expect(h.refreshed).toEqual(['a', 'c']);
  });

  it('reads the interval at every check, so a changed setting applies without restart', async () => {
    const stored = [profile('a')];
    let days = 7;
    const h = harness(() => stored);
    const scheduler = new KeepAliveScheduler({
      timer: h.timer,
      clock: { now: () => new Date(T0 + 2 * DAY) },
      logger: silent,
      intervalDays: () => days,
      profiles: () => stored,
      refresh: (id) => {
        h.refreshed.push(id);
        return Promise.resolve();
      },
    });
    expect(await scheduler.runDue()).toBe(0);
    days = 1;
    expect(await scheduler.runDue()).toBe(1);
  });

  it('stop() cancels the pending check; an unreadable store skips one check without stopping the schedule', async () => {
    let readable = false;
    const h = harness(() => {
      if (!readable) throw new Error('storage-corrupt');
      return [profile('a', {}, { lastInteractiveSignIn: iso(T0 - 10 * DAY) })];
    });
    h.scheduler.start();
    await h.advance(KEEP_ALIVE_FIRST_CHECK_MS);
    expect(h.refreshed).toEqual([]);
    readable = true;
    await h.advance(KEEP_ALIVE_CHECK_MS);
    expect(h.refreshed).toEqual(['a']);
    h.scheduler.stop();
    expect(h.timer.delays()).toEqual([]);
  });

  it('a second runDue while one runs joins it (no double refresh)', async () => {
    const stored = [profile('a', {}, { lastInteractiveSignIn: iso(T0 - 10 * DAY) })];
    const h = harness(() => stored);
    const [x, y] = await Promise.all([h.scheduler.runDue(), h.scheduler.runDue()]);
    expect([x, y]).toEqual([1, 1]);
    expect(h.refreshed).toEqual(['a']);
  });
});
