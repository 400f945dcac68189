// npm run bench: builds what it measures, runs every bench/cases/*.ts, prints a table, writes
// bench/results.json and exits non-zero when a target is missed. `--small` (or BENCH_SMALL=1) is the
// quick run: same ids, fewer iterations, figures not judged.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, ROOT } from './build';
import type { BenchCase, BenchOptions, BenchResult } from './types';

export interface CaseModule {
  run: BenchCase;
  /** The ids the case reports; the small run inside npm test checks each one appears. */
  ids: readonly string[];
}

const CASES_DIR = join(ROOT, 'bench/cases');

/** Every case module, in file-name order: a new bench/cases/<area>.ts is picked up without touching this file. */
export async function loadCases(only?: readonly string[]): Promise<{ name: string; module: CaseModule }[]> {
  const files = (await readdir(CASES_DIR)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const cases: { name: string; module: CaseModule }[] = [];
  for (const file of files) {
    const name = file.replace(/\.ts$/, '');
    if (only && only.length > 0 && !only.includes(name)) continue;
    const module = (await import(pathToFileURL(join(CASES_DIR, file)).href)) as Partial<CaseModule>;
    if (typeof module.run !== 'function') throw new Error(`bench/cases/${file} exports no run()`);
    cases.push({ name, module: { run: module.run, ids: module.ids ?? [] } });
  }
  return cases;
}

/** Runs the cases one after another (they share 2 cores with the rest of the machine). A failing case reports its ids as missed. */
export async function runCases(
  options: BenchOptions,
  only?: readonly string[],
  log: (line: string) => void = (line) => console.log(line),
): Promise<BenchResult[]> {
  ensureBuilt(log);
  const results: BenchResult[] = [];
  for (const { name, module } of await loadCases(only)) {
    log(`bench: ${name} …`);
    try {
      results.push(...(await module.run(options)));
    } catch (error) {
      log(`bench: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      for (const id of module.ids) results.push({ id, value: Number.NaN, unit: 'error', target: 'runs', ok: false });
    }
  }
  return results;
}

export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [r.ok ? 'ok' : 'MISS', r.id, `${String(r.value)} ${r.unit}`, r.target]);
  const header = ['', 'id', 'value', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const small = args.includes('--small') || process.env['BENCH_SMALL'] === '1';
  const only = args.filter((a) => !a.startsWith('--'));
  const results = await runCases({ small }, only);
  console.log(`\n${formatTable(results)}`);
  // A small or partial run must not overwrite the figures of the last full one.
  if (!small && only.length === 0) {
    await writeFile(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, undefined, 2)}\n`);
    console.log('\nbench: wrote bench/results.json');
  }
  const missed = results.filter((r) => !r.ok);
  process.exitCode = !small && missed.length > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
