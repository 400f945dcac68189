import { describe, expect, it } from 'vitest';
import {
  certificateExpiry,
  credentialExpiry,
  daysSince,
  lastSessionUse,
  refreshWindow,
  secretExpiry,
  secretState,
  signInAge,
} from './profile-health';

const NOW = new Date('2026-11-29T10:00:00Z');

describe('secretExpiry', () => {
  it.each([
    ['2027-06-30', 'ok', 213],
    ['2027-01-28', 'soon', 60],
    ['2026-12-29', 'urgent', 30],
    ['2026-12-06', 'critical', 7],
    ['2026-11-29', 'critical', 0],
    ['2026-11-28', 'expired', -1],
  ] as const)('%s → %s (%i days)', (date, state, days) => {
    expect(secretExpiry(date, NOW)).toEqual({ state, daysLeft: days });
  });
  it('says unknown without a date', () => {
    expect(secretExpiry(null, NOW)).toEqual({ state: 'unknown', daysLeft: null });
    expect(secretExpiry('', NOW).state).toBe('unknown');
  });
});

describe('secretState', () => {
  const expired = { kind: 'expired', at: '2026-11-20T10:00:00Z' };
  it('believes Entra over a missing or later date once it called the secret expired', () => {
    expect(secretState({ secretExpiresOn: null, issue: expired }, NOW)).toEqual({ state: 'expired', daysLeft: -1 });
    expect(secretState({ secretExpiresOn: '2027-06-30', issue: expired }, NOW).state).toBe('expired');
    expect(secretState({ secretExpiresOn: '2026-11-01', issue: expired }, NOW)).toEqual(secretExpiry('2026-11-01', NOW));
  });
  it('is the date rule without that finding, a Secret ID warning included', () => {
    expect(secretState({ secretExpiresOn: null }, NOW).state).toBe('unknown');
    expect(secretState({ secretExpiresOn: '2027-06-30', issue: { kind: 'secret-id' } }, NOW)).toEqual(
      secretExpiry('2027-06-30', NOW),
    );
  });
});

describe('refreshWindow', () => {
  it('counts down the 90-day refresh window and warns at 14 days', () => {
    expect(refreshWindow('2026-11-01T10:00:00Z', NOW)).toEqual({ state: 'ok', daysLeft: 62 });
    expect(refreshWindow('2026-09-14T10:00:00Z', NOW)).toEqual({ state: 'soon', daysLeft: 14 });
    expect(refreshWindow('2026-09-13T10:00:00Z', NOW)).toEqual({ state: 'soon', daysLeft: 13 });
    expect(refreshWindow('2026-09-16T10:00:00Z', NOW)).toEqual({ state: 'ok', daysLeft: 16 });
    expect(refreshWindow('2026-08-01T10:00:00Z', NOW)).toEqual({ state: 'expired', daysLeft: 0 });
    expect(refreshWindow(null, NOW)).toEqual({ state: 'none', daysLeft: null });
  });
  it('counts whole days since a moment', () => {
    expect(daysSince('2026-11-27T09:00:00Z', NOW)).toBe(2);
  });
});

describe('signInAge', () => {
  it('warns from day 76 (14 days left) and is due from day 90, as the test step says', () => {
    expect(signInAge('2026-11-29T09:00:00Z', NOW)).toEqual({ days: 0, state: 'ok', daysLeft: 90 });
    expect(signInAge('2026-09-15T10:00:00Z', NOW)).toEqual({ days: 75, state: 'ok', daysLeft: 15 });
    expect(signInAge('2026-09-14T10:00:00Z', NOW)).toEqual({ days: 76, state: 'soon', daysLeft: 14 });
    expect(signInAge('2026-08-31T10:00:00Z', NOW)).toEqual({ days: 90, state: 'due', daysLeft: 0 });
    expect(signInAge('2026-08-01T10:00:00Z', NOW).state).toBe('due');
  });
  it('never counts negative days on a skewed clock', () => {
    expect(signInAge('2026-12-01T10:00:00Z', NOW)).toEqual({ days: 0, state: 'ok', daysLeft: 90 });
  });
  it('agrees with the refresh window when the sign-in was the last use (one rule, one clock)', () => {
    for (const at of ['2026-11-01T10:00:00Z', '2026-09-14T10:00:00Z', '2026-08-01T10:00:00Z']) {
      const window = refreshWindow(at, NOW);
      const age = signInAge(at, NOW);
      expect(age.daysLeft).toBe(window.daysLeft);
      expect(age.state === 'due' ? 'expired' : age.state).toBe(window.state);
    }
  });
});

describe('lastSessionUse', () => {
  it('is the later of the interactive sign-in and the last silent refresh', () => {
    const signIn = '2026-10-01T10:00:00Z';
    expect(lastSessionUse({ lastInteractiveSignIn: signIn, lastSilentRefresh: null })).toBe(signIn);
    expect(lastSessionUse({ lastInteractiveSignIn: signIn, lastSilentRefresh: '2026-11-01T10:00:00Z' })).toBe(
      '2026-11-01T10:00:00Z',
    );
    expect(lastSessionUse({ lastInteractiveSignIn: signIn, lastSilentRefresh: '2026-09-01T10:00:00Z' })).toBe(signIn);
  });
});

describe('certificateExpiry', () => {
  it.each([
    ['2027-06-30T10:00:00.000Z', 'ok', 213],
    ['2027-01-28T10:00:00.000Z', 'soon', 60],
    ['2026-12-29T10:00:00.000Z', 'urgent', 30],
    ['2026-12-06T10:00:00.000Z', 'critical', 7],
    ['2026-11-29T11:00:00.000Z', 'critical', 0],
    ['2026-11-29T09:59:59.000Z', 'expired', -1],
  ])('%s → %s (%i days)', (notAfter, state, daysLeft) => {
    expect(certificateExpiry(notAfter, NOW)).toEqual({ state, daysLeft });
  });

  it('ends at the notAfter instant, not at the end of that day (unlike the secret’s date)', () => {
    expect(certificateExpiry('2026-11-29T09:00:00.000Z', NOW).state).toBe('expired');
    expect(secretExpiry('2026-11-29', NOW).state).toBe('critical');
    expect(certificateExpiry(undefined, NOW)).toEqual({ state: 'unknown', daysLeft: null });
  });

  it('is the credential expiry of a certificate profile; Modern Authentication has none', () => {
    const secret = { secretExpiresOn: null };
    expect(
      credentialExpiry({ accountType: 'client-certificate', secret, certificate: { notAfter: '2026-12-06T10:00:00.000Z' } }, NOW),
    ).toEqual({ state: 'critical', daysLeft: 7, expiresOn: '2026-12-06' });
    expect(credentialExpiry({ accountType: 'client-secret', secret: { secretExpiresOn: '2027-01-28' } }, NOW)).toEqual({
      state: 'soon',
      daysLeft: 60,
      expiresOn: '2027-01-28',
    });
    expect(credentialExpiry({ accountType: 'modern-auth', secret }, NOW)).toBeNull();
  });
});
