import type { ElectronOptions } from 'vite-plugin-electron';

/**
 * The main process and preload builds for vite-plugin-electron. The preload has no top-level `entry`
 * on purpose: with one, the plugin adds its own `lib.formats` (['es'] in a "type": "module" package)
 * and Vite's mergeConfig concatenates arrays, so ['es', 'cjs'] wrote index.cjs twice, once as ESM.
 */
export const ELECTRON_BUILDS: ElectronOptions[] = [
  {
    entry: 'electron/main/index.ts',
    vite: {
      root: '.',
      build: {
        outDir: 'dist/electron/main',
        emptyOutDir: true,
        rolldownOptions: { external: ['electron', 'electron-store', /^@azure\//, /^@microsoft\//] },
      },
    },
  },
  {
    vite: {
      root: '.',
      build: {
        outDir: 'dist/electron/preload',
        emptyOutDir: true,
        // Sandboxed preloads must be CommonJS: one format, one file.
        lib: { entry: 'electron/preload/index.ts', formats: ['cjs'], fileName: () => 'index.cjs' },
        rolldownOptions: { external: ['electron'] },
      },
    },
  },
  {
    // The demo entry (emulator + demo world), its own bundle: the host loads it at run time with --demo only,
    // so the emulator never ends up in dist/electron/main; installers leave it out (electron-builder.yml).
    entry: 'electron/demo/index.ts',
    vite: {
      root: '.',
      build: { outDir: 'dist/electron/demo', emptyOutDir: true, rolldownOptions: { external: ['electron'] } },
    },
  },
];
