// The profile list with 1000 profiles in the real renderer (browser test host, Debian's Chromium):
// keystroke → list updated, select → mask shown, and app start with 1000 vs 10 profiles.
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Page } from '@playwright/test';
import type { ProfileView } from '../../shared/domain';
import { launchBrowserHost, type BrowserHost } from '../../e2e/hosts/browser-host';
import { ensureBuilt } from '../build';
import { atMost, median, quantile, seededDataDir } from '../support';
import type { BenchCase } from '../types';

export const ids = ['list.filter.p95_ms', 'list.select_ms', 'start.ratio_1000_vs_10'] as const;

interface Probe {
  t0?: number;
  t1?: number;
}
type ProbeWindow = typeof globalThis & { __probe?: Probe | null };

async function openWith(n: number): Promise<{ host: BrowserHost; ms: number; profiles: ProfileView[]; dir: string }> {
  const { dir, profiles } = await seededDataDir(n);
  const t = performance.now();
  const host = await launchBrowserHost({ dataDir: dir, locale: 'en' });
  await host.page.getByText(`${n} sender profiles`).waitFor();
  return { host, ms: performance.now() - t, profiles, dir };
}

async function close(opened: { host: BrowserHost; dir: string }): Promise<void> {
  await opened.host.close();
  await rm(opened.dir, { recursive: true, force: true });
}

// Page-side code as plain JavaScript text: tsx would wrap named inner functions in a helper the page lacks.
/** The event's own time stamp starts the clock (same time base as performance.now() in the page). */
const INSTALL_PROBE = `(() => {
  for (const type of ['keydown', 'click'])
    document.addEventListener(type, (e) => {
      if (window.__probe && window.__probe.t0 === undefined) window.__probe.t0 = e.timeStamp;
    }, true);
})()`;

/** Arms the probe: it stops at the first frame after the event in which the check holds. */
const ARM_PROBE = `((c) => {
  const probe = {};
  window.__probe = probe;
  const done = () => {
    if (c.kind === 'mask') return [...document.querySelectorAll('main input')].some((i) => i.value === c.name);
    const row = document.querySelector('nav li[aria-setsize]');
    const shown = row ? Number(row.getAttribute('aria-setsize')) : document.querySelector('nav ul') ? -1 : 0;
    return shown === c.count;
  };
  const frame = () => {
    if (probe.t0 !== undefined && done()) probe.t1 = performance.now();
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})`;

async function installProbe(page: Page): Promise<void> {
  await page.evaluate(INSTALL_PROBE);
}

async function arm(page: Page, check: { kind: 'count'; count: number } | { kind: 'mask'; name: string }): Promise<void> {
  await page.evaluate(`${ARM_PROBE}(${JSON.stringify(check)})`);
}

async function measured(page: Page): Promise<number> {
  // The probe times itself in the page; this poll only collects the figure, so it need not run every frame
  // (Playwright's default 'raf' polling would add its own work to each frame being measured).
  await page.waitForFunction(() => (globalThis as ProbeWindow).__probe?.t1 !== undefined, null, {
    timeout: 15_000,
    polling: 50,
  });
  return page.evaluate(() => {
    const probe = (globalThis as ProbeWindow).__probe;
    return (probe?.t1 ?? Number.NaN) - (probe?.t0 ?? Number.NaN);
  });
}

/** Keystrokes that each change how many profiles match (so "updated" is observable): type, then erase. */
function keystrokes(profiles: ProfileView[], rounds: number): { key: string; count: number }[] {
  const haystacks = profiles.map((p) => `${p.name} ${p.senderAddress}`.toLowerCase());
  const count = (q: string): number => (q.trim() === '' ? profiles.length : haystacks.filter((h) => h.includes(q)).length);
  const words = ['0123', '0456', '0789', 'r99@', '0042', '0815'];
  const strokes: { key: string; count: number }[] = [];
  let previous = profiles.length;
  for (let r = 0; r < rounds; r++) {
    const word = words[r % words.length] ?? '0';
    let q = '';
    const push = (key: string): void => {
      const c = count(q);
      if (c !== previous) strokes.push({ key, count: c });
      else strokes.push({ key, count: Number.NaN }); // typed, not timed
      previous = c;
    };
    for (const ch of word) {
      q += ch;
      push(ch);
    }
    for (let i = 0; i < word.length; i++) {
      q = q.slice(0, -1);
      push('Backspace');
    }
  }
  return strokes;
}

async function filterTimes(page: Page, profiles: ProfileView[], rounds: number): Promise<number[]> {
  await page.getByRole('textbox', { name: 'Search sender profiles' }).click();
  const times: number[] = [];
  for (const stroke of keystrokes(profiles, rounds)) {
    if (Number.isNaN(stroke.count)) {
      await page.keyboard.press(stroke.key);
      continue;
    }
    await arm(page, { kind: 'count', count: stroke.count });
    await page.keyboard.press(stroke.key);
    times.push(await measured(page));
  }
  return times;
}

async function selectTimes(page: Page, samples: number): Promise<number[]> {
  const rows = page.locator('nav li button');
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const row = rows.nth(1 + (i % 6));
    const name = (await row.locator('span').first().textContent()) ?? '';
    await arm(page, { kind: 'mask', name });
    await row.click();
    times.push(await measured(page));
  }
  return times;
}

export const run: BenchCase = async ({ small }) => {
  ensureBuilt();
  const starts = { 10: [] as number[], 1000: [] as number[] };
  let filter: number[] = [];
  let select: number[] = [];
  // Alternating sizes, so a machine that gets busier during the run weighs on both.
  for (let round = 0; round < (small ? 1 : 3); round++) {
    const few = await openWith(10);
    starts[10].push(few.ms);
    await close(few);
    const many = await openWith(1000);
    starts[1000].push(many.ms);
    try {
      if (round === 0) {
        await installProbe(many.host.page);
        filter = await filterTimes(many.host.page, many.profiles, small ? 1 : 6);
        await many.host.page.getByRole('textbox', { name: 'Search sender profiles' }).fill('');
        select = await selectTimes(many.host.page, small ? 2 : 12);
      }
    } finally {
      await close(many);
    }
  }
  return [
    atMost(ids[0], quantile(filter, 0.95), 'ms', 50),
    atMost(ids[1], median(select), 'ms', 100),
    atMost(ids[2], median(starts[1000]) / median(starts[10]), 'ratio', 1.5),
  ];
};
