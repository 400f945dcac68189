import { describe, expect, it } from 'vitest';
import type { DemoHandoff } from './demo-handoff';
import { launch, type LaunchDeps } from './launch-order';

function fakes(over: Partial<LaunchDeps> & { lock?: boolean; demoOpens?: boolean } = {}) {
  const calls: string[] = [];
  const handoff = { demo: {} } as unknown as DemoHandoff;
  const deps: LaunchDeps = {
    command: null,
    demo: false,
    runCommand: (argv) => calls.push(`command ${argv.join(' ')}`),
    useDemoDataDir: () => calls.push('demo-data-dir'),
    requestSingleInstanceLock: (data) => (calls.push(`lock ${data.argv.join(' ')}`), over.lock ?? true),
    onSecondInstance: () => calls.push('second-instance-listener'),
    openDemo: () => (calls.push('emulator'), Promise.resolve(over.demoOpens === false ? undefined : handoff)),
    startWindow: (demo) => calls.push(demo === handoff ? 'window demo' : 'window'),
    quit: () => calls.push('quit'),
    exit: (code) => calls.push(`exit ${code}`),
    ...over,
  };
  return { deps, calls };
}

describe('launch order', () => {
  it('a headless command takes no single-instance lock and starts no window or emulator', async () => {
    const { deps, calls } = fakes({ command: ['check', '--json'], demo: true });
    await expect(launch(deps, ['absender', 'check', '--json'])).resolves.toBe('command');
    expect(calls).toEqual(['command check --json']);
  });

  it('the window takes the lock before anything else', async () => {
    const { deps, calls } = fakes();
    await expect(launch(deps, ['absender'])).resolves.toBe('window');
    expect(calls).toEqual(['lock absender', 'second-instance-listener', 'window']);
  });

  it('demo: its data dir, then the lock, and only then the emulator', async () => {
    const { deps, calls } = fakes({ demo: true });
    await expect(launch(deps, ['absender', '--demo'])).resolves.toBe('window');
    expect(calls).toEqual(['demo-data-dir', 'lock absender --demo', 'second-instance-listener', 'emulator', 'window demo']);
  });

  it('a second demo instance hands its argv to the first and quits without binding the emulator', async () => {
    const { deps, calls } = fakes({ demo: true, lock: false });
    await expect(launch(deps, ['absender', '--demo'])).resolves.toBe('second-instance');
    expect(calls).toEqual(['demo-data-dir', 'lock absender --demo', 'quit']);
  });

  it('a second window instance quits before stores or window', async () => {
    const { deps, calls } = fakes({ lock: false });
    await expect(launch(deps, ['absender'])).resolves.toBe('second-instance');
    expect(calls).toEqual(['lock absender', 'quit']);
  });

  it('a build without the demo exits 1 and starts no window in its place', async () => {
    const { deps, calls } = fakes({ demo: true, demoOpens: false });
    await expect(launch(deps, ['absender', '--demo'])).resolves.toBe('demo-unavailable');
    expect(calls).toEqual(['demo-data-dir', 'lock absender --demo', 'second-instance-listener', 'emulator', 'exit 1']);
  });
});
