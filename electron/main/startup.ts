import { redactText } from '../core/logging/redact';
import { t } from '../../shared/i18n/translate';

/** One named piece of start-up; its name goes into the log line. */
export interface StartupStep {
  name: string;
  run: () => unknown;
}

export type StartupLanguage = 'de' | 'en';

/** The admin ended start-up on purpose (e.g. chose "Quit" for a damaged file): no error box after that. */
export class StartupDeclined extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupDeclined';
  }
}

/** What a failed start-up needs from Electron; index.ts passes dialog.showErrorBox, app.exit and the logger. */
export interface StartupDeps {
  /** dialog.showErrorBox: synchronous, and safe before 'ready' (docs/api/dialog.md). */
  showError: (title: string, content: string) => void;
  /** app.exit: immediate, with a code (app.quit has none and can be cancelled by a window). */
  exit: (code: number) => void;
  log: (message: string, data: Record<string, unknown>) => void;
  /** Destroys every window, so no hidden window outlives a failed start. */
  destroyWindows: () => void;
  /** Asked when the box is shown: the admin's choice once the settings are open, the OS language before. */
  language: () => StartupLanguage;
  logPath: string;
}

/** German if the admin's first matching language is German, else English (the app's two languages). */
export function startupLanguage(preferred: readonly string[], locale: string): StartupLanguage {
  for (const tag of [...preferred, locale]) {
    const lang = tag.toLowerCase().split(/[-_]/)[0];
    if (lang === 'de') return 'de';
    if (lang === 'en') return 'en';
  }
  return 'en';
}

/** The error box's title and text; the reason is redacted and cut, as in every error text. */
export function startupErrorText(language: StartupLanguage, error: unknown, logPath: string): { title: string; content: string } {
  const reason = redactText(error instanceof Error ? error.message : String(error)).slice(0, 500);
  return { title: t(language, 'host:startup.title'), content: t(language, 'host:startup.body', { reason, logPath }) };
}

/**
 * Runs the start-up steps in order. The first failure is logged, shown to the admin with the log
 * file's path, every window is destroyed and the process exits with 1: a start never fails silently.
 * Resolves true when every step succeeded.
 */
export async function runStartup(steps: readonly StartupStep[], deps: StartupDeps): Promise<boolean> {
  for (const step of steps) {
    try {
      await step.run();
    } catch (error) {
      fail(step.name, error, deps);
      return false;
    }
  }
  return true;
}

function fail(step: string, error: unknown, deps: StartupDeps): void {
  const declined = error instanceof StartupDeclined;
  try {
    deps.log(declined ? 'start-up ended by the admin' : 'start-up failed', {
      step,
      error: error instanceof Error ? error.message : String(error),
    });
    if (!declined) {
      const { title, content } = startupErrorText(deps.language(), error, deps.logPath);
      deps.showError(title, content);
    }
  } finally {
    // Whatever else failed on the way, no window and no process stays behind.
    try {
      deps.destroyWindows();
    } finally {
      deps.exit(1);
    }
  }
}
