import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  citationsInSecurityRules,
  citationsInTests,
  citedInSources,
  collectCitations,
  figuresIn,
  idsIn,
  kindOf,
  regenerate,
  renderMatrix,
  replaceMatrix,
  requirementsIn,
  STATUS_KINDS,
} from './security-matrix';

const root = join(import.meta.dirname, '..');

describe('security matrix parts', () => {
  it('finds every ID form and nothing that only looks close', () => {
    expect(idsIn('EL-1, SS-22 OA-3 OA-P4 (OA-L1) DS-5; SH-9')).toEqual([
      'EL-1',
      'SS-22',
      'OA-3',
      'OA-P4',
      'OA-L1',
      'DS-5',
      'SH-9',
    ]);
    expect(idsIn('AADSTS50011 XEL-1 EL-x OA-P OA-Q1 SH_3 el-1')).toEqual([]);
  });

  it('names the kind by file', () => {
    expect(kindOf('electron/core/a.test.ts')).toBe('unit');
    expect(kindOf('renderer/b.test.tsx')).toBe('unit');
    expect(kindOf('electron/core/a.int.test.ts')).toBe('integration');
    expect(kindOf('e2e/profiles.spec.ts')).toBe('browser e2e');
    expect(kindOf('scripts/check-security.mjs')).toBe('static');
  });

  it('credits an ID to the innermost test around it, or the one its comment stands above', () => {
    const text = [
      '// SH-2: file-level, before any test',
      "import { describe, it } from 'vitest';",
      "describe('outer (DS-3)', () => {",
      '  // DS-4: above the test',
      "  it('first', () => {",
      '    expect(1).toBe(1); // DS-5 inside',
      '  });',
      "  it.each([1])('second %s EL-7', () => {});",
      "  it.skip('skipped SS-1', () => {});",
      "  test.step('a step OA-2', async () => {});",
      '});',
    ].join('\n');
    const found = citationsInTests('electron/x.test.ts', text).map((c) => `${c.id}@${c.title}`);
    expect(found).toEqual([
      'SH-2@outer (DS-3)',
      'DS-3@outer (DS-3)',
      'DS-4@first',
      'DS-5@first',
      'EL-7@second %s EL-7',
      // A skipped test proves nothing (SS-1 is gone); a step is not a test, so it counts for the block around it.
      'OA-2@outer (DS-3)',
    ]);
  });

  it('reads the static rules by their ids and the checks their comments name', () => {
    const text = "const RULES = [\n  { id: 'EL-21 TLS', re: /x/ },\n];\n// EL-19: the fuses\nfindings.push(`[EL-19 fuses]`);";
    expect(citationsInSecurityRules('scripts/check-security.mjs', text).map((c) => `${c.id}@${c.title}@${c.kind}`)).toEqual([
      'EL-21@EL-21 TLS@static',
      'EL-19@EL-19: the fuses@static',
    ]);
  });

  it('reads requirements, their status, and the figures; renders a missing proof as MISSING', () => {
    const doc = [
      '- **EL-1 Secure content only.** Every URL is https.',
      '  _Status:_ open: no static check.',
      '- **EL-22 No warnings.** None.',
      '',
      'Prose that ends the list.',
      '## Figures from the last run',
      '| ID | figure | command |',
      '| --- | --- | --- |',
      '| SH-2 | 7000 sent | `npx vitest` |',
      '<!-- matrix:start -->',
      '- **EL-9 Inside the generated part.** is not a definition',
      '<!-- matrix:end -->',
    ].join('\n');
    const reqs = requirementsIn(doc);
    expect(reqs).toEqual([
      { id: 'EL-1', name: 'Secure content only', status: 'open: no static check.' },
      { id: 'EL-22', name: 'No warnings' },
    ]);
    expect(figuresIn(doc)).toEqual([{ ids: ['SH-2'], text: '7000 sent' }]);
    const matrix = renderMatrix(reqs, [{ id: 'EL-1', file: 'a.test.ts', title: 't', kind: 'unit' }], []);
    expect(matrix).toMatch(/\| EL-1 \| 1 \| – \| – \| – \| – \| tested \+ open \|/);
    expect(matrix).toMatch(/\| EL-22 \| – \| – \| – \| – \| – \| MISSING \|/);
    expect(replaceMatrix(doc, '<!-- matrix:start -->X<!-- matrix:end -->')).toContain(
      '<!-- matrix:start -->X<!-- matrix:end -->',
    );
  });
});

describe('docs/security.md', () => {
  // Parsing every test file and formatting the doc takes seconds on a busy machine: once for all three checks.
  let doc: { current: string; next: string };
  let cited: Set<string>;
  beforeAll(async () => {
    doc = await regenerate(root);
    cited = new Set(collectCitations(root).map((c) => c.id));
  }, 60_000);

  it('has a proving test or an explicit status for every requirement it defines', () => {
    const reqs = requirementsIn(doc.current);
    expect(reqs.length).toBeGreaterThan(50);
    expect(reqs.filter((r) => !cited.has(r.id) && r.status === undefined).map((r) => r.id)).toEqual([]);
    const badStatus = reqs.filter((r) => r.status !== undefined && !STATUS_KINDS.some((k) => r.status?.startsWith(`${k}:`)));
    expect(badStatus.map((r) => `${r.id}: ${r.status ?? ''}`)).toEqual([]);
    expect(new Set(reqs.map((r) => r.id)).size).toBe(reqs.length);
  });

  it('defines every requirement ID a source file, test or config cites', () => {
    const defined = new Set(requirementsIn(doc.current).map((r) => r.id));
    expect(citedInSources(root).filter((c) => !defined.has(c.id))).toEqual([]);
  });

  it('holds the matrix as generated from the tests (else run npx tsx scripts/security-matrix.ts)', () => {
    expect(doc.current).toBe(doc.next);
  });
});
