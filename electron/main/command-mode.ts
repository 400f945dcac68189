import type { Language } from '../../shared/domain';
import type { CommandDeps } from '../core/cli/run-command';
import { runCommand } from '../core/cli/run-command';

/**
 * The command's argv, or null for the window. process.argv is [exe, ...args] in a packaged app and
 * [electron, appPath, ...args] under `electron .` (process.defaultApp, docs/api/process.md). Chromium
 * switches before the command (`--ozone-platform=headless check …`) are skipped; the first other word
 * is the command when it is a bare lower-case word, so a file path or a URL still opens the window. An unknown
 * word is a usage error (exit 64), not the window: a scheduled job with a typo must end, not wait on a GUI.
 */
export function commandArgv(argv: readonly string[], defaultApp: boolean | undefined): string[] | null {
  // Typed boolean, but undefined outside `electron .` (docs/api/process.md).
  const args = argv.slice(defaultApp === true ? 2 : 1);
  const first = args.findIndex((a) => !a.startsWith('-'));
  if (first < 0) return null;
  return /^[a-z][a-z-]*$/.test(args[first] ?? '') ? args.slice(first) : null;
}

export interface CommandModeDeps extends Omit<CommandDeps, 'openCore' | 'osLanguage'> {
  /** Asked after `ready`: app.getLocale() must not be called before it (docs/api/app.md). */
  osLanguage: () => Language;
  /** app.whenReady(): safeStorage and session.fetch work only after it (docs/api/safe-storage.md). */
  whenReady: () => Promise<unknown>;
  /** The real ports (SafeStorageCipher, NetFetchTransport) and the stores, composed without a window. */
  openCore: CommandDeps['openCore'];
  /** app.exit(code): immediate, with the code; no window and no keep-alive to wait for. */
  exit: (code: number) => void;
  /** Resolves once stdout and stderr have handed their data on: app.exit does not flush a piped stream. */
  flush?: () => Promise<void>;
}

/** Runs one command and ends the process with its exit code, whatever happens on the way. */
export async function runCommandMode(argv: readonly string[], deps: CommandModeDeps): Promise<void> {
  let code = 70;
  try {
    await deps.whenReady();
    code = (await runCommand(argv, { ...deps, osLanguage: deps.osLanguage() })).exitCode;
  } catch (error) {
    deps.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  } finally {
    await deps.flush?.().catch(() => undefined);
    deps.exit(code);
  }
}
