import { describe, expect, it } from 'vitest';
import { commandArgv, runCommandMode } from './command-mode';

describe('commandArgv', () => {
  it.each([
    [['Absender.exe', 'check', '--all'], false, ['check', '--all']],
    [['/opt/Absender/absender', '--ozone-platform=headless', 'check', '--profile', 'ERP'], false, ['check', '--profile', 'ERP']],
    [['electron', '.', 'check', '--json'], true, ['check', '--json']],
    [['electron', '/work/app', '--no-sandbox', 'frobnicate'], true, ['frobnicate']],
    [['Absender.exe'], false, null],
    [['electron', '.'], true, null],
    [['Absender.exe', '--password-store=basic'], false, null],
    [['Absender.exe', 'C:\\Users\\me\\order.pdf'], false, null],
    // Under `electron .` the app path is not a command, even when it looks like a word.
    [['electron', 'app'], true, null],
  ] as const)('%j (defaultApp %s) → %j', (argv, defaultApp, expected) => {
    expect(commandArgv(argv, defaultApp)).toEqual(expected);
  });
});

describe('runCommandMode', () => {
  const base = (exit: (code: number) => void, order: string[]) => ({
    stdout: { write: () => undefined },
    stderr: { write: (s: string) => order.push(`stderr:${s.trim()}`) },
    osLanguage: () => 'en' as const,
    clock: { now: () => new Date() },
    exit,
  });

  it('waits for ready, then exits with the command’s code (usage error: 64)', async () => {
    const order: string[] = [];
    await runCommandMode(['check', '--bogus'], {
      ...base((code) => order.push(`exit:${code}`), order),
      whenReady: () => Promise.resolve(order.push('ready')),
      openCore: () => Promise.reject(new Error('not expected')),
    });
    expect(order[0]).toBe('ready');
    expect(order.at(-1)).toBe('exit:64');
  });

  it('exits even when ready fails', async () => {
    const order: string[] = [];
    await runCommandMode(['check', '--all'], {
      ...base((code) => order.push(`exit:${code}`), order),
      whenReady: () => Promise.reject(new Error('no ready')),
      openCore: () => Promise.reject(new Error('not expected')),
    });
    expect(order).toEqual(['stderr:no ready', 'exit:70']);
  });

  it('exits only after stdout and stderr were flushed (a piped report is not cut off)', async () => {
    const order: string[] = [];
    await runCommandMode(['check', '--bogus'], {
      ...base((code) => order.push(`exit:${code}`), order),
      whenReady: () => Promise.resolve(),
      openCore: () => Promise.reject(new Error('not expected')),
      flush: () => new Promise((resolve) => setTimeout(() => resolve(void order.push('flushed')), 20)),
    });
    expect(order.slice(-2)).toEqual(['flushed', 'exit:64']);
  });
});
