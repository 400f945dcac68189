import { describe, expect, it } from 'vitest';
import { runStartup, StartupDeclined, startupLanguage, type StartupLanguage, type StartupStep } from './startup';

const LOG_PATH = '/home/admin/.config/Absender/logs/absender.log';

function fakeShell(language: StartupLanguage) {
  const events: string[] = [];
  const errors: Array<{ title: string; content: string }> = [];
  const logs: Array<{ message: string; data: Record<string, unknown> }> = [];
  const windows = { destroyed: false };
  return {
    events,
    errors,
    logs,
    windows,
    deps: {
      language,
      logPath: LOG_PATH,
      showError: (title: string, content: string) => void (events.push('showError'), errors.push({ title, content })),
      exit: (code: number) => void events.push(`exit ${code}`),
      log: (message: string, data: Record<string, unknown>) => void (events.push('log'), logs.push({ message, data })),
      destroyWindows: () => void (events.push('destroyWindows'), (windows.destroyed = true)),
    },
  };
}

const STEP_NAMES = ['window', 'stores', 'keychain', 'core', 'load'] as const;

describe('runStartup', () => {
  it('runs every step in order and neither shows nor exits when all succeed', async () => {
    const shell = fakeShell('de');
    const ran: string[] = [];
    const steps: StartupStep[] = STEP_NAMES.map((name) => ({ name, run: () => Promise.resolve(void ran.push(name)) }));
    await expect(runStartup(steps, shell.deps)).resolves.toBe(true);
    expect(ran).toEqual([...STEP_NAMES]);
    expect(shell.events).toEqual([]);
  });

  describe.each(STEP_NAMES)('when step "%s" rejects', (failing) => {
    const steps = (ran: string[]): StartupStep[] =>
      STEP_NAMES.map((name) => ({
        name,
        run: () => {
          ran.push(name);
          return name === failing ? Promise.reject(new Error(`${name} broke`)) : Promise.resolve();
        },
      }));

    it.each([
      ['de', 'Absender konnte nicht gestartet werden', 'Einzelheiten stehen in der Protokolldatei'],
      ['en', 'Absender could not start', 'Details are in the log file'],
    ] as const)('(%s) logs it, shows the error with the log path, destroys the windows, exits 1', async (lang, title, hint) => {
      const shell = fakeShell(lang);
      const ran: string[] = [];
      await expect(runStartup(steps(ran), shell.deps)).resolves.toBe(false);
      expect(ran).toEqual(STEP_NAMES.slice(0, STEP_NAMES.indexOf(failing) + 1));
      expect(shell.logs).toEqual([{ message: 'start-up failed', data: { step: failing, error: `${failing} broke` } }]);
      expect(shell.errors).toHaveLength(1);
      expect(shell.errors[0]?.title).toBe(title);
      expect(shell.errors[0]?.content).toContain(hint);
      expect(shell.errors[0]?.content).toContain(LOG_PATH);
      expect(shell.errors[0]?.content).toContain(`${failing} broke`);
      expect(shell.windows.destroyed).toBe(true);
      expect(shell.events).toEqual(['log', 'showError', 'destroyWindows', 'exit 1']);
    });
  });

  it('a step that throws synchronously is reported the same way', async () => {
    const shell = fakeShell('en');
    const ok = await runStartup(
      [
        {
          name: 'core',
          run: () => {
            throw new TypeError('bad deps');
          },
        },
      ],
      shell.deps,
    );
    expect(ok).toBe(false);
    expect(shell.errors[0]?.content).toContain('bad deps');
    expect(shell.events.at(-1)).toBe('exit 1');
  });

  // SH-3: the start-up error box is redacted too.
  it('never puts a secret into the error box', async () => {
    const shell = fakeShell('en');
    const secret = 'client_secret=Abc8Q~verysecretvalue1234567890abcdEFGH';
    await runStartup([{ name: 'core', run: () => Promise.reject(new Error(`token request failed: ${secret}`)) }], shell.deps);
    expect(shell.errors[0]?.content).not.toContain('verysecretvalue');
  });

  it('the admin declining (Quit) exits 1 without an error box', async () => {
    const shell = fakeShell('de');
    await runStartup([{ name: 'stores', run: () => Promise.reject(new StartupDeclined('profiles.json')) }], shell.deps);
    expect(shell.errors).toEqual([]);
    expect(shell.events).toEqual(['log', 'destroyWindows', 'exit 1']);
  });

  it('still exits when showing the error itself fails', async () => {
    const shell = fakeShell('de');
    const deps = {
      ...shell.deps,
      showError: () => {
        throw new Error('no display');
      },
    };
    await expect(runStartup([{ name: 'window', run: () => Promise.reject(new Error('x')) }], deps)).rejects.toThrow('no display');
    expect(shell.events).toEqual(['log', 'destroyWindows', 'exit 1']);
  });
});

describe('startupLanguage', () => {
  it('takes the first German or English system language, then the app locale, else English', () => {
    expect(startupLanguage(['de-CH', 'en-US'], 'en-US')).toBe('de');
    expect(startupLanguage(['fr-FR', 'en-GB', 'de-DE'], 'de')).toBe('en');
    expect(startupLanguage(['fr-FR'], 'de')).toBe('de');
    expect(startupLanguage([], 'de_AT')).toBe('de');
    expect(startupLanguage(['ja-JP'], 'ja')).toBe('en');
  });
});
