import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { resolve } from 'node:path';
import electron from 'vite-plugin-electron';
import { ELECTRON_BUILDS } from './electron/build-entries';
import { CONTENT_SECURITY_POLICY_META, CSP_NONCE_PLACEHOLDER } from './shared/csp';

// vite-plugin-electron (not electron-vite): it keeps one vite.config.ts at the top level as the design
// card asks, and builds main + preload in the same `vite build` as the renderer.
const isVitest = process.env['VITEST'] !== undefined;

/**
 * The entry loads the app with a dynamic import (main.tsx: zod is configured first), so the browser would only
 * learn of those chunks once the entry ran: announce them as modulepreload in index.html and they download
 * and compile beside it (renderer.ready_ratio). Only fetched, not run: the evaluation order stays main.tsx's.
 * The per-language text chunks are left out: announced, both would be parsed, and one of them is never used.
 */
const ONE_LANGUAGE = /renderer\/i18n\/texts-[a-z]+\.ts$/;

function preloadDynamicEntry(): Plugin {
  return {
    name: 'absender-preload-dynamic-entry',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (_html, { bundle, chunk }) => {
        if (!bundle || !chunk) return [];
        const files = new Set<string>();
        const add = (fileName: string): void => {
          const next = bundle[fileName];
          if (files.has(fileName) || fileName === chunk.fileName || next?.type !== 'chunk') return;
          // One language's texts: only the admin's is needed, and main.tsx asks for it first thing.
          if (next.facadeModuleId !== null && ONE_LANGUAGE.test(next.facadeModuleId)) return;
          files.add(fileName);
          next.imports.forEach(add);
        };
        chunk.dynamicImports.forEach(add);
        chunk.imports.forEach((f) => files.delete(f)); // Vite links the entry's static imports itself
        return [...files].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

/** Every module reachable from `from` by static imports (the module graph as the chunker sees it). */
function staticGraph(from: string, info: (id: string) => { importedIds: readonly string[] } | null): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...(info(id)?.importedIds ?? []));
  }
  return seen;
}

const BOOT = resolve(import.meta.dirname, 'renderer/boot.tsx');
const ENTRY = resolve(import.meta.dirname, 'renderer/main.tsx');
const LAZY_ONLY =
  /node_modules\/@fluentui\/react-(spinbutton|textarea|progress|dialog|table|card|accordion|switch|select|checkbox|toast)\//;
type ModuleGraph = { getModuleInfo: (id: string) => { importedIds: readonly string[] } | null };
/** Per build (keyed by boot.tsx's module info): a watch rebuild gets a fresh graph. */
const firstPaintOf = new WeakMap<object, Set<string>>();

/**
 * One chunk for all the first paint imports (boot.tsx's static graph) instead of a dozen shared pieces split
 * off because a lazy panel uses them too: fewer requests before the mask, less gzip overhead
 * (renderer.js_gzip_kb). What main.tsx itself imports (zod, configured first) stays out of it.
 */
const firstPaintChunk = (id: string, ctx: ModuleGraph): string | null => {
  const boot = ctx.getModuleInfo(BOOT);
  if (!boot) return null; // another build with this config (bench/minimal-page, the Electron entries)
  let firstPaint = firstPaintOf.get(boot);
  if (!firstPaint) {
    const entry = staticGraph(ENTRY, (m) => ctx.getModuleInfo(m));
    firstPaint = new Set([...staticGraph(BOOT, (m) => ctx.getModuleInfo(m))].filter((m) => !entry.has(m)));
    firstPaintOf.set(boot, firstPaint);
  }
  // The barrel @fluentui/react-components reaches every Fluent package; these only the lazy dialogs and panels
  // draw, so the chunker keeps them there (were one drawn at the start too, it would land in a shared, preloaded
  // chunk). Every dialog is lazy (lazy-parts.tsx), so Dialog and Table are among them; the toaster too (AppToaster).
  if (LAZY_ONLY.test(id)) return null;
  return firstPaint.has(id) ? 'boot' : null;
};

export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron's Chromium knows modulepreload: the polyfill would be dead weight in the entry.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: firstPaintChunk, includeDependenciesRecursively: false }] } },
    },
  },
  // Vite puts this on its own tags and into <meta property="csp-nonce">; the app:// handler swaps in a fresh nonce per load.
  html: { cspNonce: CSP_NONCE_PLACEHOLDER },
  plugins: [
    react(),
    {
      // The CSP meta tag comes from the same constant as the Electron header.
      name: 'absender-csp',
      transformIndexHtml: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META },
          injectTo: 'head-prepend',
        },
      ],
    },
    preloadDynamicEntry(),
    ...(isVitest ? [] : [electron(ELECTRON_BUILDS)]),
  ],
  test: {
    root: '.',
    pool: 'forks',
    projects: [
      {
        extends: false,
        test: {
          name: 'unit',
          root: '.',
          include: ['{electron,shared,renderer,e2e,scripts}/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          // Some unit tests load heavy tools (electron-builder's schema, ESLint, the TypeScript parser): on a
          // loaded 2-core CI machine 5 s is not enough margin. A bound against hangs, not a speed assertion.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: false,
        test: {
          name: 'integration',
          root: '.',
          include: ['{electron,shared,e2e,bench}/**/*.int.test.ts'],
          globalSetup: ['e2e/emulator/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
