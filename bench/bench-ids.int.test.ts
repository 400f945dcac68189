// The small run inside npm test: every case runs and reports each id it declares. Figures are not judged
// here (a loaded CI machine is no benchmark); `npm run bench` judges them.
import { describe, expect, it } from 'vitest';
import { loadCases, runCases } from './run';

const REQUIRED = [
  'test.roundtrips.cold',
  'test.roundtrips.warm',
  'list.filter.p95_ms',
  'list.select_ms',
  'core.save_ms_1000',
  'start.ratio_1000_vs_10',
  'renderer.ready_ratio',
  'renderer.js_gzip_kb',
];

describe('npm run bench (small run)', () => {
  it('every case produces each id it declares, with a number, a unit and a target; the issue ids are among them', async () => {
    const cases = await loadCases();
    const declared = cases.flatMap((c) => [...c.module.ids]);
    expect(declared).toEqual(expect.arrayContaining(REQUIRED));
    const results = await runCases({ small: true }, undefined, () => undefined);
    for (const id of declared) {
      const result = results.find((r) => r.id === id);
      expect(result, id).toBeDefined();
      expect(Number.isFinite(result?.value), `${id} measured`).toBe(true);
      expect(result?.unit, id).not.toBe('error');
      // A figure the issues name without a target (e.g. relay.accept_per_s) says so: "info".
      expect(result?.target, id).toMatch(/^((<=|=|>=|<|>) |info$)/);
    }
  }, 110_000);
});
