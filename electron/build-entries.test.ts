import { resolveViteConfig, type ElectronOptions } from 'vite-plugin-electron';
import { describe, expect, it } from 'vitest';
import { ELECTRON_BUILDS } from './build-entries';

// The config vite-plugin-electron hands to Vite for each build, resolved as the plugin does it (no build).
const resolved = (options: ElectronOptions) => resolveViteConfig(options).build;
const [main, preload] = ELECTRON_BUILDS.map((o) => resolved(o));

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
});
