import { describe, expect, it } from 'vitest';
import { restrictionState } from './restriction-recheck';
import { EMPTY_SETUP } from './setup-progress';

const since = '2026-12-01T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(since) + minutes * 60_000);
const pending = { ...EMPTY_SETUP, restrictionDoneAt: since };

describe('restriction pending', () => {
  it('is none until the admin says the commands ran', () => {
    expect(restrictionState(undefined, at(0))).toEqual({ kind: 'none' });
    expect(restrictionState(EMPTY_SETUP, at(0))).toEqual({ kind: 'none' });
  });

  it('offers the probe after 30 minutes and again after 2 hours', () => {
    expect(restrictionState(pending, at(29))).toEqual({ kind: 'pending', since, due: null, nextAt: '2026-12-01T10:30:00.000Z' });
    expect(restrictionState(pending, at(30))).toEqual({ kind: 'pending', since, due: '30m', nextAt: '2026-12-01T12:00:00.000Z' });
    expect(restrictionState(pending, at(119))).toMatchObject({ due: '30m' });
    expect(restrictionState(pending, at(120))).toEqual({ kind: 'pending', since, due: '2h', nextAt: null });
  });

  it('is verified by a passing probe after the admin said done, not by an older one', () => {
    expect(restrictionState({ ...pending, restrictionVerifiedAt: '2026-12-01T10:45:00.000Z' }, at(50))).toEqual({
      kind: 'verified',
      at: '2026-12-01T10:45:00.000Z',
    });
    expect(restrictionState({ ...pending, restrictionVerifiedAt: '2026-12-01T09:00:00.000Z' }, at(50))).toMatchObject({
      kind: 'pending',
    });
  });
});
