// The renderer's weight: mask interactive vs a minimal React page (same Vite config, same Chromium, same
// run), and the gzipped JavaScript the window loads.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { build, loadConfigFromFile, type PluginOption } from 'vite';
import { APP_ORIGIN as ELECTRON_APP_ORIGIN, appFileResponder } from '../../electron/main/app-protocol';
import { launchBrowserHost } from '../../e2e/hosts/browser-host';
import { ensureBuilt, RENDERER_DIST, ROOT } from '../build';
import { atMost, median, seededDataDir } from '../support';
import type { BenchCase } from '../types';

export const ids = ['renderer.ready_ratio', 'renderer.js_gzip_kb'] as const;

interface PageGlobal {
  document: { querySelector(selector: string): unknown };
}

const MINIMAL_ORIGIN = 'http://minimal.localhost';

/** Builds bench/minimal-page with the project's vite.config.ts: same plugins and options, minus the Electron entries. */
async function buildMinimalPage(outDir: string): Promise<void> {
  const loaded = await loadConfigFromFile({ command: 'build', mode: 'production' }, join(ROOT, 'vite.config.ts'), ROOT, 'silent');
  if (!loaded) throw new Error('vite.config.ts not found');
  const isElectron = (p: PluginOption): boolean =>
    typeof p === 'object' && p !== null && !Array.isArray(p) && 'name' in p && p.name.includes('electron');
  const plugins = (loaded.config.plugins ?? []).flat(3).filter((p) => !isElectron(p));
  await build({
    ...loaded.config,
    configFile: false,
    logLevel: 'silent',
    plugins,
    root: join(ROOT, 'bench/minimal-page'),
    build: { ...loaded.config.build, outDir, emptyOutDir: true },
  });
}

async function jsGzipKb(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true })) {
    if (entry.endsWith('.js')) bytes += gzipSync(await readFile(join(dir, entry))).length;
  }
  return bytes / 1024;
}

/** Navigation until `ready` holds, polled every frame; the same Playwright overhead for both pages. */
async function timeToReady(page: Page, url: string, ready: () => boolean): Promise<number> {
  const t = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(ready, null, { polling: 'raf', timeout: 30_000 });
  return performance.now() - t;
}

export const run: BenchCase = async ({ small }) => {
  ensureBuilt();
  const minimalDir = await mkdtemp(join(tmpdir(), 'absender-minimal-'));
  const { dir } = await seededDataDir(10);
  const host = await launchBrowserHost({ dataDir: dir, locale: 'en' });
  try {
    await buildMinimalPage(minimalDir);
    const browser = host.page.context().browser();
    if (!browser) throw new Error('no browser');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const respond = appFileResponder(minimalDir, readFile);
    // Served exactly as the app's files are (same responder as app://), not from disk: same path for both.
    await context.route(`${MINIMAL_ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      const response = await respond({ url: `${ELECTRON_APP_ORIGIN}${url.pathname}` });
      await route.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: Buffer.from(await response.arrayBuffer()),
      });
    });
    const minimal = await context.newPage();
    const appUrl = host.page.url();
    // Mask interactive: the list is filled and the mask's fields exist.
    // Run in the page (no DOM types in the Node project, hence the cast).
    const maskReady = (): boolean =>
      (globalThis as unknown as PageGlobal).document.querySelector('nav li button') !== null &&
      (globalThis as unknown as PageGlobal).document.querySelector('main input') !== null;
    const minimalReady = (): boolean => (globalThis as unknown as PageGlobal).document.querySelector('#root button') !== null;
    const ratios: number[] = [];
    for (let i = 0; i < (small ? 1 : 9); i++) {
      const mask = await timeToReady(host.page, appUrl, maskReady);
      const base = await timeToReady(minimal, `${MINIMAL_ORIGIN}/index.html`, minimalReady);
      if (i > 0 || small) ratios.push(mask / base); // the first round warms the caches of both
    }
    await context.close();
    return [atMost(ids[0], median(ratios), 'ratio', 1.5), atMost(ids[1], await jsGzipKb(RENDERER_DIST), 'kb', 400)];
  } finally {
    await host.close();
    await rm(minimalDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
};
