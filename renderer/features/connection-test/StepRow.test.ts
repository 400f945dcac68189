import { describe, expect, it } from 'vitest';
import { localizeParams } from './StepRow';

describe('localizeParams', () => {
  it('formats ISO instants in the UI language and leaves everything else alone', () => {
    const out = localizeParams({ since: '2026-11-29T11:52:51.641Z', account: 'a@b.de', code: '2026' }, 'de');
    expect(out['since']).toMatch(/29\.11\.2026/);
    expect(out['account']).toBe('a@b.de');
    expect(out['code']).toBe('2026');
  });
});
