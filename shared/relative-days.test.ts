import { describe, expect, it } from 'vitest';
import { localizeDayParams, relativeDays } from './relative-days';

describe('relativeDays', () => {
  it.each([
    [0, 'heute', 'today'],
    [-1, 'gestern', 'yesterday'],
    [-3, 'vor 3 Tagen', '3 days ago'],
    [1, 'morgen', 'tomorrow'],
    [3, 'in 3 Tagen', 'in 3 days'],
  ])('%i days reads "%s" / "%s"', (days, de, en) => {
    expect(relativeDays(days, 'de')).toBe(de);
    expect(relativeDays(days, 'en')).toBe(en);
  });
});

describe('localizeDayParams', () => {
  it('turns daysAgo and inDays into words and leaves every other param alone', () => {
    expect(localizeDayParams({ daysAgo: '0', inDays: '14', account: 'a@contoso.com' }, 'de')).toEqual({
      daysAgo: 'heute',
      inDays: 'in 14 Tagen',
      account: 'a@contoso.com',
    });
    expect(localizeDayParams({ daysAgo: '1', inDays: '1' }, 'en')).toEqual({ daysAgo: 'yesterday', inDays: 'tomorrow' });
  });

  it('keeps a value that is not a whole day count', () => {
    expect(localizeDayParams({ daysAgo: 'x' }, 'de')).toEqual({ daysAgo: 'x' });
  });
});
