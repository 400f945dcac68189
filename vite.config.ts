import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import electron from 'vite-plugin-electron';
import { ELECTRON_BUILDS } from './electron/build-entries';
import { CONTENT_SECURITY_POLICY_META, CSP_NONCE_PLACEHOLDER } from './shared/csp';

// vite-plugin-electron (not electron-vite): it keeps one vite.config.ts at the top level as the design
// card asks, and builds main + preload in the same `vite build` as the renderer.
const isVitest = process.env['VITEST'] !== undefined;

export default defineConfig({
  root: 'renderer',
  base: './',
  build: { outDir: '../dist/renderer', emptyOutDir: true },
  // Vite puts this on its own tags and into <meta property="csp-nonce">; the app:// handler swaps in a fresh nonce per load.
  html: { cspNonce: CSP_NONCE_PLACEHOLDER },
  plugins: [
    react(),
    {
      // The CSP meta tag comes from the same constant as the Electron header.
      name: 'absender-csp',
      transformIndexHtml: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META },
          injectTo: 'head-prepend',
        },
      ],
    },
    ...(isVitest ? [] : [electron(ELECTRON_BUILDS)]),
  ],
  test: {
    root: '.',
    pool: 'forks',
    projects: [
      {
        extends: false,
        test: {
          name: 'unit',
          root: '.',
          include: ['{electron,shared,renderer,e2e,scripts}/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          // Some unit tests load heavy tools (electron-builder's schema, ESLint, the TypeScript parser): on a
          // loaded 2-core CI machine 5 s is not enough margin. A bound against hangs, not a speed assertion.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: false,
        test: {
          name: 'integration',
          root: '.',
          include: ['{electron,shared,e2e,bench}/**/*.int.test.ts'],
          globalSetup: ['e2e/emulator/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
