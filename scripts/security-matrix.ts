// Regenerates the test matrix in docs/security.md from the requirement IDs that tests cite in their titles and
// comments, so the mapping follows the tests instead of being typed by hand. Plain erasable TypeScript:
// `npx tsx scripts/security-matrix.ts` or Node 24 (`npx node scripts/security-matrix.ts`); `--check` only compares.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as prettier from 'prettier';
import ts from 'typescript';

/** A requirement ID as docs/security.md defines them: EL-1, SS-2, OA-3, OA-P4, OA-L1, DS-5, SH-9. */
export const ID_PATTERN = /\b(?:(?:EL|SS|OA|DS|SH)-\d+|OA-[PL]\d+)\b/g;

export const DOC = 'docs/security.md';
export const START = '<!-- matrix:start -->';
export const END = '<!-- matrix:end -->';
export const STATUS_KINDS = ['E only', 'not applicable', 'open'] as const;

export type Kind = 'unit' | 'integration' | 'browser e2e' | 'Electron e2e' | 'static';
const KINDS: readonly Kind[] = ['unit', 'integration', 'browser e2e', 'Electron e2e', 'static'];

export interface Citation {
  readonly id: string;
  readonly file: string;
  /** The test's (or describe block's) title; for a file-level comment the file's only top-level title. */
  readonly title: string;
  readonly kind: Kind;
}

export interface Requirement {
  readonly id: string;
  readonly name: string;
  /** The text after `_Status:_` in the requirement, e.g. "E only: needs the Electron binary". */
  readonly status?: string | undefined;
}

export interface Figure {
  readonly ids: readonly string[];
  readonly text: string;
}

export const idsIn = (text: string): string[] => [...text.matchAll(ID_PATTERN)].map((m) => m[0]);

/** Files whose tests prove something: vitest unit and integration tests, Playwright specs. */
export const isTestFile = (file: string): boolean =>
  file !== 'scripts/security-matrix.test.ts' && (/\.test\.tsx?$/.test(file) || /^e2e\/.*\.spec\.ts$/.test(file));

export function kindOf(file: string): Kind {
  if (file.endsWith('.int.test.ts')) return 'integration';
  if (/\.test\.tsx?$/.test(file)) return 'unit';
  if (file.startsWith('e2e/') && file.endsWith('.spec.ts')) return 'browser e2e';
  return 'static';
}

const TEST_CALLS = new Set(['it', 'test', 'describe', 'suite']);
const NOT_A_TEST = new Set(['step', 'extend', 'use', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll', 'info']);
const NOT_RUN = new Set(['skip', 'todo', 'fixme', 'only']);

interface TestNode {
  readonly title: string;
  readonly from: number;
  readonly to: number;
  readonly topLevel: boolean;
  /** `it.skip`, `test.fixme` …: proves nothing, nor does what is cited inside it. */
  readonly skipped: boolean;
}

/** `it`, `test.describe`, `describe.skipIf(x)`, `it.each(rows)` …: the root name and the member names on the way. */
function calleeChain(expr: ts.Expression): { root: string; members: string[] } | undefined {
  const members: string[] = [];
  let e: ts.Expression = expr;
  for (;;) {
    if (ts.isIdentifier(e)) return { root: e.text, members };
    if (ts.isPropertyAccessExpression(e)) {
      members.push(e.name.text);
      e = e.expression;
    } else if (ts.isCallExpression(e)) e = e.expression;
    else return undefined;
  }
}

const titleOf = (arg: ts.Expression | undefined, source: ts.SourceFile): string | undefined => {
  if (arg === undefined) return undefined;
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return arg.text;
  if (ts.isTemplateExpression(arg)) return arg.getText(source).slice(1, -1);
  return undefined;
};

function testNodes(file: string, text: string): TestNode[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: TestNode[] = [];
  const visit = (node: ts.Node, depth: number): void => {
    let inner = depth;
    if (ts.isCallExpression(node)) {
      const chain = calleeChain(node.expression);
      const title = titleOf(node.arguments[0], source);
      const hasBody = node.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
      if (
        chain !== undefined &&
        TEST_CALLS.has(chain.root) &&
        !chain.members.some((m) => NOT_A_TEST.has(m)) &&
        title !== undefined &&
        hasBody
      ) {
        // Leading comments belong to the test they stand above.
        const from = ts.isExpressionStatement(node.parent) ? node.parent.getFullStart() : node.getFullStart();
        found.push({ title, from, to: node.getEnd(), topLevel: depth === 0, skipped: chain.members.some((m) => NOT_RUN.has(m)) });
        inner = depth + 1;
      }
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(source, 0);
  return found;
}

/** Every requirement ID in a test file, each credited to the innermost test or describe block around it. */
export function citationsInTests(file: string, text: string): Citation[] {
  const nodes = testNodes(file, text);
  const topLevel = nodes.filter((n) => n.topLevel);
  const fileTitle = topLevel.length === 1 && topLevel[0] ? topLevel[0].title : 'every test in the file';
  const kind = kindOf(file);
  const out: Citation[] = [];
  for (const match of text.matchAll(ID_PATTERN)) {
    const at = match.index;
    const around = nodes.filter((n) => n.from <= at && at < n.to).sort((a, b) => b.from - a.from)[0];
    if (around?.skipped !== true) out.push({ id: match[0], file, title: around?.title ?? fileTitle, kind });
  }
  return dedupe(out);
}

/** The static gate: each rule of scripts/check-security.mjs (its `id:`), and the checks its comments name. */
export function citationsInSecurityRules(file: string, text: string): Citation[] {
  const out: Citation[] = [];
  for (const line of text.split('\n')) {
    const rule = /\bid:\s*'([^']+)'/.exec(line)?.[1] ?? /^\s*\/\/\s*(.+)$/.exec(line)?.[1];
    if (rule !== undefined) for (const id of idsIn(rule)) out.push({ id, file, title: rule, kind: 'static' });
  }
  return dedupe(out);
}

/** The e2e fixture's teardown asserts after every spec, so what its comments cite holds for every spec. */
export function citationsInFixture(file: string, text: string): Citation[] {
  const out: Citation[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*\/\//.test(line))
      for (const id of idsIn(line)) out.push({ id, file, title: 'after every spec (openHost teardown)', kind: 'browser e2e' });
  }
  return dedupe(out);
}

function dedupe(citations: Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => {
    const key = `${c.id}\0${c.file}\0${c.title}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Requirement definitions: list items that start with `- **ID Name.**`; a `_Status:_` line inside one sets its status. */
export function requirementsIn(doc: string): Requirement[] {
  const outside = doc.replace(new RegExp(`${START}[\\s\\S]*?${END}`), '');
  const out: { id: string; name: string; status?: string }[] = [];
  let current: { id: string; name: string; status?: string } | undefined;
  for (const line of outside.split('\n')) {
    const def = /^- \*\*((?:EL|SS|OA|DS|SH)-[PL]?\d+) ([^*]+?)\.?\*\*/.exec(line);
    if (def?.[1] !== undefined && def[2] !== undefined) {
      current = { id: def[1], name: def[2] };
      out.push(current);
    } else if (/^(#|- |\S)/.test(line)) current = undefined;
    const status = /[*_]Status:[*_]\s*(.+)$/.exec(line)?.[1];
    if (status !== undefined && current !== undefined) current.status = status.trim();
  }
  return out;
}

/** Rows of the "Figures" table: first cell the IDs, second the figure. */
export function figuresIn(doc: string): Figure[] {
  const section = /^## Figures[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(doc)?.[1] ?? '';
  return section
    .split('\n')
    .map((line) => line.split('|').map((c) => c.trim()))
    .filter((cells) => cells.length >= 4 && idsIn(cells[1] ?? '').length > 0)
    .map((cells) => ({ ids: idsIn(cells[1] ?? ''), text: cells[2] ?? '' }));
}

const escape = (s: string): string => s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
const statusKind = (status: string | undefined): string | undefined =>
  STATUS_KINDS.find((k) => status?.toLowerCase().startsWith(k.toLowerCase()));

/** The generated part of the doc: a summary table, the tests per ID, and what is open. */
export function renderMatrix(
  requirements: readonly Requirement[],
  citations: readonly Citation[],
  figures: readonly Figure[],
): string {
  const byId = (id: string) => citations.filter((c) => c.id === id);
  const lines: string[] = [
    START,
    '',
    '_Generated by `npx tsx scripts/security-matrix.ts` from the IDs that tests cite; do not edit by hand._ Counts are',
    'citing tests per kind. Every browser e2e spec also runs in Playwright project `electron`, which skips here (no',
    'binary); the Electron e2e column counts checks that exist only there.',
    '',
    `| ID | ${KINDS.join(' | ')} | status |`,
    `| --- | ${KINDS.map(() => '---').join(' | ')} | --- |`,
  ];
  for (const r of requirements) {
    const mine = byId(r.id);
    const counts = KINDS.map((k) => mine.filter((c) => c.kind === k).length || '–');
    const state = [mine.length > 0 ? 'tested' : undefined, statusKind(r.status)].filter((s) => s !== undefined).join(' + ');
    lines.push(`| ${r.id} | ${counts.join(' | ')} | ${state === '' ? 'MISSING' : state} |`);
  }
  lines.push('', '### Tests per requirement', '');
  for (const r of requirements) {
    lines.push(`- **${r.id}** ${r.name}`);
    const mine = [...byId(r.id)].sort(
      (a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || a.file.localeCompare(b.file) || a.title.localeCompare(b.title),
    );
    for (const c of mine) lines.push(`  - ${c.kind}: \`${c.file}\` › ${escape(c.title)}`);
    for (const f of figures.filter((f) => f.ids.includes(r.id))) lines.push(`  - figure (last run): ${f.text}`);
    if (r.status !== undefined) lines.push(`  - status: ${r.status}`);
  }
  const open = requirements.filter((r) => statusKind(r.status) !== undefined);
  for (const kind of STATUS_KINDS) {
    const these = open.filter((r) => statusKind(r.status) === kind);
    if (these.length === 0) continue;
    lines.push('', `### ${kind === 'open' ? 'Open' : kind === 'E only' ? 'Electron only (skipped here)' : 'Not applicable'}`, '');
    for (const r of these) lines.push(`- **${r.id}** ${r.status ?? ''}`);
  }
  lines.push('', END);
  return lines.join('\n');
}

export function replaceMatrix(doc: string, matrix: string): string {
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${DOC}: markers ${START} … ${END} missing`);
  return doc.slice(0, from) + matrix + doc.slice(to + END.length);
}

/** Tracked and new (not ignored) files, as check-security.mjs sees them. */
export function repoFiles(root: string): string[] {
  return execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f !== '' && !f.startsWith('node_modules/') && !f.startsWith('dist/'));
}

const read = (root: string, file: string): string | undefined => {
  try {
    return readFileSync(join(root, file), 'utf8');
  } catch {
    return undefined; // deleted in the working tree
  }
};

export function collectCitations(root: string, files: readonly string[] = repoFiles(root)): Citation[] {
  const out: Citation[] = [];
  for (const file of files) {
    const text =
      isTestFile(file) || file === 'scripts/check-security.mjs' || file === 'e2e/fixtures.ts' ? read(root, file) : undefined;
    if (text === undefined) continue;
    if (file === 'scripts/check-security.mjs') out.push(...citationsInSecurityRules(file, text));
    else if (file === 'e2e/fixtures.ts') out.push(...citationsInFixture(file, text));
    else out.push(...citationsInTests(file, text));
  }
  return out;
}

/** Every ID cited anywhere in source, tests and config (not in docs/), with where: all must be defined in the doc. */
export function citedInSources(root: string, files: readonly string[] = repoFiles(root)): { id: string; where: string }[] {
  const out: { id: string; where: string }[] = [];
  for (const file of files) {
    if (!/\.(ts|tsx|js|mjs|cjs|ya?ml|html)$/.test(file) || file.startsWith('scripts/security-matrix')) continue;
    const text = read(root, file);
    if (text === undefined) continue;
    text.split('\n').forEach((line, i) => {
      for (const id of idsIn(line)) out.push({ id, where: `${file}:${i + 1}` });
    });
  }
  return out;
}

/** The doc with a freshly generated matrix, formatted as prettier would leave it. */
export async function regenerate(root: string): Promise<{ current: string; next: string }> {
  const current = readFileSync(join(root, DOC), 'utf8');
  const matrix = renderMatrix(requirementsIn(current), collectCitations(root), figuresIn(current));
  const options = (await prettier.resolveConfig(join(root, DOC))) ?? {};
  const next = await prettier.format(replaceMatrix(current, matrix), { ...options, filepath: join(root, DOC) });
  return { current, next };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  const root = join(import.meta.dirname, '..');
  const { current, next } = await regenerate(root);
  if (process.argv.includes('--check')) {
    if (current !== next) {
      process.stderr.write(`${DOC}: the matrix is stale; run npx tsx scripts/security-matrix.ts\n`);
      process.exitCode = 1;
    }
  } else if (current !== next) {
    writeFileSync(join(root, DOC), next);
    process.stdout.write(`${DOC}: matrix regenerated\n`);
  } else process.stdout.write(`${DOC}: matrix up to date\n`);
}
