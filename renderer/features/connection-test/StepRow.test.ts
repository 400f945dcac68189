import { describe, expect, it } from 'vitest';
import { localizeParams } from './StepRow';

describe('localizeParams', () => {
  it('formats ISO instants in the UI language and leaves everything else alone', () => {
    const out = localizeParams({ since: '2026-11-29T11:52:51.641Z', account: 'a@b.de', code: '2026' }, 'de');
    expect(out['since']).toMatch(/29\.11\.2026/);
    expect(out['account']).toBe('a@b.de');
    expect(out['code']).toBe('2026');
  });

  it('says relative days in words: "heute", "gestern", "vor 3 Tagen", "in 14 Tagen"', () => {
    expect(localizeParams({ daysAgo: '0' }, 'de')['daysAgo']).toBe('heute');
    expect(localizeParams({ daysAgo: '1' }, 'de')['daysAgo']).toBe('gestern');
    expect(localizeParams({ daysAgo: '3', inDays: '14' }, 'de')).toEqual({ daysAgo: 'vor 3 Tagen', inDays: 'in 14 Tagen' });
    expect(localizeParams({ daysAgo: '3', inDays: '1' }, 'en')).toEqual({ daysAgo: '3 days ago', inDays: 'tomorrow' });
  });
});
