// npm run preview: the real renderer and core, joined as in the browser test host, against the demo emulator.
// An evaluation tool only: it always brings its own demo world, a fresh temp data dir and the test cipher, and
// refuses anything else, so it can never become a way around safeStorage for real secrets.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { DEMO_INFO, DEMO_PROFILE_NAMES, startDemoSession, type DemoSession } from '../../electron/demo/demo-session';
import { DEMO } from '../emulator';
import { channelOf } from '../../shared/ipc/manifest';
import { launchBrowserHost, type BrowserHost } from './browser-host';

export interface PreviewOptions {
  readonly screenshot: string | null;
  readonly lang: 'de' | 'en';
}

export const PREVIEW_DIR_PREFIX = 'absender-preview-';

/** The command line: `--screenshot FILE` and `--lang de|en` only; a data dir, a profile file or a world are refused. */
export function parsePreviewArgs(args: readonly string[]): PreviewOptions | { error: string } {
  let screenshot: string | null = null;
  let lang: 'de' | 'en' = 'de';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '--screenshot' && value !== undefined && !value.startsWith('-')) {
      screenshot = value;
      i++;
    } else if (arg === '--lang' && (value === 'de' || value === 'en')) {
      lang = value;
      i++;
    } else {
      return {
        error: `unknown or incomplete argument "${String(arg)}": the preview takes only --screenshot FILE and --lang de|en (it always runs the demo world)`,
      };
    }
  }
  return { screenshot, lang };
}

/** The only world the preview serves: the emulator's demo tenant on localhost, a fresh empty dir under the temp dir. */
export async function assertDemoOnly(session: Pick<DemoSession, 'emulator'>, dataDir: string): Promise<void> {
  const { emulator } = session;
  if (emulator.world.tenant(DEMO.tenantId) === undefined) throw new Error('preview refused: the demo tenant is missing');
  for (const url of [emulator.authorityHost, emulator.graphRoot]) {
    if (new URL(url).hostname !== 'localhost') throw new Error(`preview refused: ${url} is not the local emulator`);
  }
  const inTemp = resolve(dataDir).startsWith(resolve(tmpdir()) + sep);
  const fresh = inTemp && resolve(dataDir).split(sep).at(-1)?.startsWith(PREVIEW_DIR_PREFIX) === true;
  if (!fresh || (await readdir(dataDir)).length > 0) throw new Error(`preview refused: ${dataDir} is not a fresh preview dir`);
}

export interface ScreenshotResult {
  readonly screenshot: string;
  readonly width: number;
  readonly height: number;
  readonly profile: string;
  readonly outcome: 'ok' | 'warning' | 'failed' | 'none';
  /** The demo banner's title as the window shows it (the preview is labelled an evaluation tool). */
  readonly banner: string;
}

export interface RunningPreview {
  readonly host: BrowserHost;
  readonly session: DemoSession;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** Starts the demo world and the app on it (headed when a display exists), with the demo profiles seeded. */
export async function openPreview(options: PreviewOptions & { headless: boolean }): Promise<RunningPreview> {
  const session = await startDemoSession();
  const dataDir = await mkdtemp(join(tmpdir(), PREVIEW_DIR_PREFIX));
  try {
    await assertDemoOnly(session, dataDir);
    const host = await launchBrowserHost({
      emulator: session.emulator,
      dataDir,
      locale: options.lang,
      headless: options.headless,
      demo: DEMO_INFO,
      prepare: (api) => session.seed(api, options.lang),
    });
    return {
      host,
      session,
      dataDir,
      close: async () => {
        await host.close();
        await session.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await session.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** --screenshot: selects the seeded client-secret profile, runs its connection test, waits, shoots 1280×800. */
export async function screenshotPreview(preview: RunningPreview, file: string, lang: 'de' | 'en'): Promise<ScreenshotResult> {
  const { page, ipcLog } = preview.host;
  const profile = DEMO_PROFILE_NAMES.clientSecret[lang];
  await page.getByRole('navigation').getByText(profile, { exact: true }).click();
  await page
    .getByRole('toolbar')
    .getByRole('button', { name: lang === 'de' ? 'Verbindung testen' : 'Test connection', exact: true })
    .click();
  const outcome = await waitForOutcome(ipcLog);
  // Steps finish in order: the last row in its final state means the window shows the whole report (a locator,
  // not waitForFunction: the page's CSP forbids evaluating strings).
  await page.locator('[data-step="probe"]:not([data-status="pending"]):not([data-status="running"])').waitFor();
  // The mask scrolls inside <main>: bring the finished steps into the picture.
  await page.locator('[data-step]').last().scrollIntoViewIfNeeded();
  await page.screenshot({ path: file });
  const size = page.viewportSize() ?? { width: 0, height: 0 };
  const banner = (await page.locator('[data-demo-banner] .fui-MessageBarTitle').textContent()) ?? '';
  return { screenshot: resolve(file), width: size.width, height: size.height, profile, outcome, banner };
}

/** The tests.run reply as the renderer received it (the same report the window shows). */
async function waitForOutcome(ipcLog: readonly unknown[], timeoutMs = 60_000): Promise<ScreenshotResult['outcome']> {
  const channel = channelOf('tests', 'run');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const entry of ipcLog) {
      const e = entry as { channel?: string; reply?: { ok?: boolean; value?: { outcome?: ScreenshotResult['outcome'] } } };
      if (e.channel === channel && e.reply) return e.reply.ok === true ? (e.reply.value?.outcome ?? 'none') : 'failed';
    }
    if (Date.now() > deadline) return 'none';
    await new Promise((r) => setTimeout(r, 100));
  }
}
