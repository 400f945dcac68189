import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO } from '../emulator';
import { assertDemoOnly, parsePreviewArgs, PREVIEW_DIR_PREFIX } from './preview';

const demoEmulator = {
  emulator: {
    world: { tenant: (id: string) => (id === DEMO.tenantId ? {} : undefined) },
    authorityHost: 'https://localhost:4431',
    graphRoot: 'https://localhost:4432',
  },
} as unknown as Parameters<typeof assertDemoOnly>[0];

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('preview: the demo world only', () => {
  it('takes --screenshot FILE and --lang, and refuses anything that could point it at real data', () => {
    expect(parsePreviewArgs([])).toEqual({ screenshot: null, lang: 'de' });
    expect(parsePreviewArgs(['--screenshot', 'shot.png', '--lang', 'en'])).toEqual({ screenshot: 'shot.png', lang: 'en' });
    for (const args of [['--data-dir', '/home/a/.config/Absender'], ['--screenshot'], ['--lang', 'fr'], ['--world', 'w.json']]) {
      expect(parsePreviewArgs(args), args.join(' ')).toHaveProperty('error');
    }
  });

  it('runs in a fresh, empty preview dir under the temp dir only', async () => {
    const fresh = await mkdtemp(join(tmpdir(), PREVIEW_DIR_PREFIX));
    const other = await mkdtemp(join(tmpdir(), 'absender-other-'));
    dirs.push(fresh, other);
    await expect(assertDemoOnly(demoEmulator, fresh)).resolves.toBeUndefined();
    await expect(assertDemoOnly(demoEmulator, other)).rejects.toThrow('not a fresh preview dir');
    await expect(assertDemoOnly(demoEmulator, join(homedir(), '.config', 'Absender'))).rejects.toThrow('refused');
    await writeFile(join(fresh, 'profiles.json'), '{}');
    await expect(assertDemoOnly(demoEmulator, fresh)).rejects.toThrow('not a fresh preview dir');
  });

  it('refuses a world without the demo tenant or endpoints that are not the local emulator', async () => {
    const fresh = await mkdtemp(join(tmpdir(), PREVIEW_DIR_PREFIX));
    dirs.push(fresh);
    const noDemo = {
      emulator: { ...demoEmulator.emulator, world: { tenant: () => undefined } },
    } as unknown as typeof demoEmulator;
    await expect(assertDemoOnly(noDemo, fresh)).rejects.toThrow('demo tenant');
    const remote = {
      emulator: { ...demoEmulator.emulator, graphRoot: 'https://graph.microsoft.com' },
    } as unknown as typeof demoEmulator;
    await expect(assertDemoOnly(remote, fresh)).rejects.toThrow('not the local emulator');
  });
});
