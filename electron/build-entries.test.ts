import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveViteConfig, type ElectronOptions } from 'vite-plugin-electron';
import { describe, expect, it } from 'vitest';
import { ELECTRON_BUILDS } from './build-entries';

// The config vite-plugin-electron hands to Vite for each build, resolved as the plugin does it (no build).
const resolved = (options: ElectronOptions) => resolveViteConfig(options).build;
const [main, preload, demo] = ELECTRON_BUILDS.map((o) => resolved(o));

describe('Electron build entries', () => {
  it('builds the preload once, as CommonJS only (sandboxed preloads cannot be ES modules)', () => {
    expect(preload?.lib && preload.lib.formats).toEqual(['cjs']);
    expect(preload?.outDir).toBe('dist/electron/preload');
  });

  it('would write the preload twice with a top-level entry (the plugin adds its own format)', () => {
    const withEntry = { ...ELECTRON_BUILDS[1], entry: 'electron/preload/index.ts' };
    const lib = resolved(withEntry)?.lib;
    expect(lib && lib.formats).toEqual(['es', 'cjs']);
  });

  it('builds the main process as one ES module (package.json "type": "module")', () => {
    expect(main?.lib && main.lib.formats).toEqual(['es']);
    expect(main?.outDir).toBe('dist/electron/main');
  });

  it('builds the demo entry on its own, so the host loads it only at run time', () => {
    expect(demo?.outDir).toBe('dist/electron/demo');
    expect(ELECTRON_BUILDS[2]?.entry).toBe('electron/demo/index.ts');
  });

  const dist = join(import.meta.dirname, '../dist/electron');
  it.skipIf(!existsSync(join(dist, 'demo/index.js')) || !existsSync(join(dist, 'main/index.js')))(
    'the built host has no emulator in it; the demo bundle has (the demo tenant is the marker)',
    () => {
      const tenant = 'c40d1b4f-110d-4247-9f76-9827d07f27e3';
      expect(readFileSync(join(dist, 'main/index.js'), 'utf8')).not.toContain(tenant);
      expect(readFileSync(join(dist, 'demo/index.js'), 'utf8')).toContain(tenant);
    },
  );
});
