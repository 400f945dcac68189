import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp, type RunResult, type StartAppDeps } from './start-app';

const root = '/repo';
const node = '/usr/local/bin/node24';
const pkg = join(root, 'node_modules/electron');
const vite = join(root, 'node_modules/vite/bin/vite.js');
const install = join(pkg, 'install.js');
const cli = join(pkg, 'cli.js');

interface Call {
  readonly command: string;
  readonly args: readonly string[];
}

/** A tiny file system plus a spawn fake; the install.js fake "downloads" by writing path.txt and the binary. */
function harness(opts: {
  files?: Record<string, string>;
  outcome?: Partial<Record<'build' | 'install' | 'app', RunResult>>;
  args?: string[];
  env?: Record<string, string>;
}) {
  const files = new Map(Object.entries({ [join(pkg, 'package.json')]: '{"version":"45.5.0"}', ...opts.files }));
  const calls: Call[] = [];
  const logs: string[] = [];
  const deps: StartAppDeps = {
    root,
    node,
    args: opts.args ?? [],
    env: opts.env ?? {},
    run: (command, args) => {
      calls.push({ command, args });
      const step = args[0] === vite ? 'build' : args[0] === install ? 'install' : args[0] === cli ? 'app' : undefined;
      if (step === undefined) throw new Error(`unexpected spawn ${command} ${args.join(' ')}`);
      const result = opts.outcome?.[step] ?? { status: 0 };
      if (step === 'install' && result.status === 0) {
        files.set(join(pkg, 'path.txt'), 'electron');
        files.set(join(pkg, 'dist/electron'), 'ELF');
      }
      return result;
    },
    exists: (path) => files.has(path),
    readText: (path) => files.get(path),
    log: (text) => logs.push(text),
  };
  return { deps, calls, logs, files };
}

const installed = { [join(pkg, 'path.txt')]: 'electron', [join(pkg, 'dist/electron')]: 'ELF' };

describe('startApp (npm start)', () => {
  it('binary already there: builds, skips the download, launches through cli.js with the extra args', () => {
    const h = harness({ files: installed, args: ['--demo'] });
    expect(startApp(h.deps)).toBe(0);
    expect(h.calls).toEqual([
      { command: node, args: [vite, 'build'] },
      { command: node, args: [cli, '.', '--demo'] },
    ]);
    expect(h.logs).toEqual([]);
  });

  it('binary missing and the download works: runs install.js once, then launches; the app exit code is returned', () => {
    const h = harness({ outcome: { app: { status: 3 } }, args: ['--demo', '--lang=de'] });
    expect(startApp(h.deps)).toBe(3);
    expect(h.calls).toEqual([
      { command: node, args: [vite, 'build'] },
      { command: node, args: [install] },
      { command: node, args: [cli, '.', '--demo', '--lang=de'] },
    ]);
    expect(h.files.has(join(pkg, 'dist/electron'))).toBe(true);
    expect(h.logs.join('\n')).toContain('Electron 45.5.0 is not downloaded yet');
  });

  it('binary missing and the download fails: explains the offline case, never launches, exits non-zero', () => {
    const h = harness({ outcome: { install: { status: 1 } } });
    expect(startApp(h.deps)).toBe(1);
    expect(h.calls.map((c) => c.args[0])).toEqual([vite, install]);
    const text = h.logs.join('\n');
    expect(text).toContain('install.js - it exited with code 1');
    expect(text).toContain('ELECTRON_MIRROR=');
    expect(text).toContain('ELECTRON_CUSTOM_DIR');
    expect(text).toContain('ELECTRON_GET_USE_PROXY=1');
    expect(text).toContain('electron-v45.5.0-<platform>-<arch>.zip');
    expect(text).toContain('"npm test"');
    expect(text).toContain('konnte nicht heruntergeladen werden');
    expect(text).not.toContain('install scripts');
  });

  it('install.js that cannot even be spawned counts as a failed download', () => {
    const h = harness({ outcome: { install: { status: null, error: new Error('spawn EACCES') } } });
    expect(startApp(h.deps)).toBe(1);
    expect(h.logs.join('\n')).toContain('could not be run (spawn EACCES)');
  });

  it('a path.txt whose binary is gone counts as missing (Electron would download again)', () => {
    const h = harness({ files: { [join(pkg, 'path.txt')]: 'electron' } });
    expect(startApp(h.deps)).toBe(0);
    expect(h.calls.map((c) => c.args[0])).toEqual([vite, install, cli]);
  });

  it('ELECTRON_OVERRIDE_DIST_PATH skips the download: Electron launches from that folder', () => {
    const h = harness({ env: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron-45' } });
    expect(startApp(h.deps)).toBe(0);
    expect(h.calls.map((c) => c.args[0])).toEqual([vite, cli]);
  });

  it('a failed build stops before Electron is touched', () => {
    const h = harness({ files: installed, outcome: { build: { status: 2 } } });
    expect(startApp(h.deps)).toBe(2);
    expect(h.calls).toHaveLength(1);
    expect(h.logs.join('\n')).toContain('vite build failed');
  });

  it('an app killed by a signal (no exit code) is a failure', () => {
    const h = harness({ files: installed, outcome: { app: { status: null } } });
    expect(startApp(h.deps)).toBe(1);
  });
});
