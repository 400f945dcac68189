import { describe, expect, it } from 'vitest';
import { daysSince, secretExpiry, signInWindow } from './status';

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

describe('signInWindow', () => {
  it('counts down the 90-day refresh window and warns at 14 days', () => {
    expect(signInWindow('2026-11-01T10:00:00Z', NOW)).toEqual({ state: 'ok', daysLeft: 62 });
    expect(signInWindow('2026-09-14T10:00:00Z', NOW)).toEqual({ state: 'soon', daysLeft: 14 });
    expect(signInWindow('2026-09-13T10:00:00Z', NOW)).toEqual({ state: 'soon', daysLeft: 13 });
    expect(signInWindow('2026-09-16T10:00:00Z', NOW)).toEqual({ state: 'ok', daysLeft: 16 });
    expect(signInWindow('2026-08-01T10:00:00Z', NOW)).toEqual({ state: 'expired', daysLeft: 0 });
    expect(signInWindow(null, NOW)).toEqual({ state: 'none', daysLeft: null });
  });
  it('counts whole days since a moment', () => {
    expect(daysSince('2026-11-27T09:00:00Z', NOW)).toBe(2);
  });
});
