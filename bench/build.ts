// The bench builds what it measures: a fresh checkout has no dist/, and a stale one would measure old code.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const RENDERER_DIST = join(ROOT, 'dist/renderer');
// What `vite build` reads: the renderer and everything it or the Electron entries import.
const SOURCES = ['renderer', 'shared', 'electron', 'vite.config.ts', 'package.json'];
const BUILT_MARKERS = ['dist/renderer/index.html', 'dist/electron/main/index.js', 'dist/electron/preload/index.cjs'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when dist/ is missing or older than any source file. */
export function buildIsStale(): boolean {
  const markers = BUILT_MARKERS.map((m) => join(ROOT, m));
  if (!markers.every((m) => existsSync(m))) return true;
  const built = Math.min(...markers.map((m) => statSync(m).mtimeMs));
  return SOURCES.some((s) => existsSync(join(ROOT, s)) && newestMtime(join(ROOT, s)) > built);
}

let built = false;

/** Runs `vite build` (the project's own config) once per process when dist/ is missing or stale. */
export function ensureBuilt(log: (line: string) => void = (line) => console.log(line)): void {
  if (built) return;
  if (buildIsStale()) {
    log('bench: dist/ is missing or stale, running vite build …');
    const vite = join(ROOT, 'node_modules/.bin/vite');
    const result = spawnSync(vite, ['build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error(`vite build failed (exit ${String(result.status)})`);
  }
  built = true;
}
