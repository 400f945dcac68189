// A fresh clone must explain and build itself: no file may point at a path outside the repository (a design note
// beside it, a developer's home, this machine's /work), and every relative link in the docs must resolve inside it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const TEXT = new Set(['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.md', '.yml', '.yaml', '.html', '.css', '.txt', '.sh']);

// This machine's workspace (its shared notes, worktrees, library): never part of a clone.
const WORKSPACE = /(?<![\w.-])\/work\/(shared|main|wt|briefs|\.library|\.mirror)\b/;
// Someone's home directory (Linux, macOS, Windows). Tests may use such paths as sample data (a log path to show).
const HOME = [/(?<![\w.:/-])\/(home|Users)\/[\w.-]+\//, /\b[A-Za-z]:\\Users\\/];
const isTest = (file: string): boolean => /\.(test|spec|int\.test)\.tsx?$/.test(file);
// Module specifiers: resolved from the file's folder, they must stay in the repository.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/g;
// Markdown links and images to files (not URLs, not in-page anchors).
const MD_LINK = /\]\((?![a-z][a-z+.-]*:|#)([^)\s]+)\)/g;
// The samples below would trip the scan of this very file.
const SELF = 'scripts/self-contained.test.ts';

/** What in `text` (the file at repo-relative `file`) refers outside the repository or to a file that is not in it. */
export function outsideReferences(file: string, text: string): string[] {
  const found: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    if (WORKSPACE.test(line)) found.push(`${at} path of this workspace: ${line.trim().slice(0, 120)}`);
    if (!isTest(file) && HOME.some((re) => re.test(line))) found.push(`${at} home directory: ${line.trim().slice(0, 120)}`);
    if (!file.endsWith('.md')) {
      for (const m of line.matchAll(SPECIFIER)) {
        const target = resolve(root, dirname(file), m[1] ?? '');
        if (target !== root && !target.startsWith(root + sep)) found.push(`${at} import leaves the repository: ${m[1]}`);
      }
    }
    if (extname(file) === '.md') {
      for (const m of line.matchAll(MD_LINK)) {
        const path = decodeURI((m[1] ?? '').split('#')[0] ?? '');
        const target = resolve(root, dirname(file), path);
        if (!target.startsWith(root + sep) && target !== root) found.push(`${at} link leaves the repository: ${path}`);
        else if (!existsSync(target)) found.push(`${at} link to a missing file: ${path}`);
      }
    }
  });
  return found;
}

/** Tracked files plus new ones not ignored (so a file is checked before its first commit too). */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return [...new Set(out.split('\n').filter(Boolean))].filter(
    (f) => TEXT.has(extname(f)) && f !== 'package-lock.json' && f !== SELF && existsSync(join(root, f)),
  );
}

describe('the repository is self-contained', () => {
  it('finds what it should in samples (so a quiet run means something)', () => {
    // The samples are put together at run time, so this file holds no outside path itself.
    const sibling = ['..', 'shared'].join('/');
    const workspace = ['', 'work', 'shared'].join('/');
    expect(outsideReferences('README.md', `See [design](${sibling}/design.md).`)).toHaveLength(1);
    expect(outsideReferences('README.md', 'See [relay](docs/no-such-file.md).')[0]).toContain('missing file');
    expect(outsideReferences('docs/guide.md', '![x](images/none.png)')[0]).toContain('missing file');
    expect(outsideReferences('e2e/x.ts', "import a from '../../../elsewhere/a';")[0]).toContain('leaves the repository');
    expect(outsideReferences('e2e/x.ts', "const p = await import('../../design');")[0]).toContain('leaves the repository');
    expect(outsideReferences('e2e/x.test.ts', `const p = '${workspace}/reference/x.md';`)[0]).toContain('workspace');
    expect(outsideReferences('docs/x.md', 'open /home/erika/absender/notes.txt')[0]).toContain('home directory');
    expect(outsideReferences('docs/x.md', String.raw`C:\Users\erika\Desktop`)[0]).toContain('home directory');
    // Inside the repository, URLs and anchors are fine.
    expect(outsideReferences('e2e/hosts/x.ts', "import { DEMO } from '../../e2e/emulator';")).toEqual([]);
    expect(outsideReferences('docs/x.md', '[a](architecture.md#layers) [b](https://learn.microsoft.com/x) [c](#top)')).toEqual(
      [],
    );
  });

  it('no file refers to a path outside the repository, and every docs link resolves', () => {
    const files = repositoryFiles();
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => outsideReferences(f, readFileSync(join(root, f), 'utf8')));
    expect(found).toEqual([]);
    expect(relative(root, join(root, 'README.md'))).toBe('README.md');
  });
});
