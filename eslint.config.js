import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = { name: 'electron', message: 'Only electron/main and electron/preload may import electron (layers).' };
const noElectronStore = {
  name: 'electron-store',
  message: 'Only electron/main/adapters/electron-store-kv.ts may use electron-store.',
};

const noNodeBuiltins = nodeBuiltins.map((name) => ({ name, message: 'No Node built-ins in renderer/ or shared/.' }));

// Relative imports that leave a layer for one above it (or for the test harness). Matched on the import text.
// The host loads dist/electron/demo at run time with --demo only; a static import would bundle the emulator into it.
const noDemoImport = {
  regex: String.raw`^\.{1,2}/(.*/)?demo(/|$)`,
  message: 'The host never imports the demo entry (it loads it at run time: electron/main/demo-handoff.ts).',
};
const noE2e = {
  regex: String.raw`^\.{1,2}/(.*/)?e2e(/|$)`,
  message: 'Product code never imports e2e/ (test infrastructure; only *.test.ts and testing/ in electron/core may).',
};
const coreUpward = {
  regex: String.raw`^\.{1,2}/(.*/)?(main|preload|renderer)(/|$)`,
  message: 'electron/core never imports electron/main, electron/preload or renderer/ (layers).',
};
const sharedUpward = {
  regex: String.raw`^\.{1,2}/(.*/)?(electron|renderer|e2e)(/|$)`,
  message: 'shared/ imports nothing above it: no electron/, renderer/ or e2e/ (layers).',
};
const rendererOutside = {
  regex: String.raw`^\.{1,2}/(.*/)?(electron|e2e|scripts|bench)(/|$)`,
  message: 'renderer/ imports only shared/ and itself (layers); it talks to the core through window.absender.',
};
const authNotConnectionTest = {
  group: ['**/connection-test/**'],
  message: 'auth must not import connection-test (layers).',
};
/** Test code, which may reach test infrastructure that product code must not. */
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/testing/**'];

function restrictImports({ paths = [], patterns = [] }) {
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      'no-console': 'error',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  // Layers (docs/architecture.md): each folder imports only what lies below it. A later block replaces an
  // earlier one's no-restricted-imports for the same file, so each block spells out its full list.
  {
    files: ['e2e/**'],
    rules: restrictImports({ paths: [noElectron, noElectronStore] }),
  },
  {
    files: ['electron/core/**'],
    rules: restrictImports({ paths: [noElectron, noElectronStore], patterns: [coreUpward, noE2e] }),
  },
  {
    // The demo entry may use the emulator (that is its job) but no Electron: the host hands it nothing but data.
    files: ['electron/demo/**'],
    rules: restrictImports({ paths: [noElectron, noElectronStore] }),
  },
  {
    // The connection test builds on auth, never the other way round (a failed sign-in's step comes from diagnostics/).
    files: ['electron/core/auth/**'],
    rules: restrictImports({ paths: [noElectron, noElectronStore], patterns: [coreUpward, noE2e, authNotConnectionTest] }),
  },
  {
    // Core tests may start the emulator and drive the hosts' Playwright windows (test infrastructure in e2e/).
    files: TEST_FILES.map((glob) => `electron/core/${glob}`),
    rules: restrictImports({ paths: [noElectron, noElectronStore], patterns: [coreUpward] }),
  },
  {
    files: TEST_FILES.map((glob) => `electron/core/auth/${glob}`),
    rules: restrictImports({ paths: [noElectron, noElectronStore], patterns: [coreUpward, authNotConnectionTest] }),
  },
  {
    files: ['renderer/**', 'shared/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['shared/**'],
    rules: restrictImports({ paths: [noElectron, noElectronStore, ...noNodeBuiltins], patterns: [sharedUpward] }),
  },
  {
    files: ['renderer/**'],
    rules: restrictImports({ paths: [noElectron, noElectronStore, ...noNodeBuiltins], patterns: [rendererOutside] }),
  },
  {
    files: ['electron/preload/**'],
    ignores: TEST_FILES.map((glob) => `electron/preload/${glob}`),
    rules: restrictImports({ patterns: [noE2e] }),
  },
  {
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['electron/main/**'],
    ignores: TEST_FILES.map((glob) => `electron/main/${glob}`),
    rules: restrictImports({ paths: [noElectronStore], patterns: [noE2e, noDemoImport] }),
  },
  {
    files: ['electron/main/adapters/electron-store-kv.ts'],
    rules: restrictImports({ patterns: [noE2e] }),
  },
  {
    files: TEST_FILES.map((glob) => `electron/main/${glob}`),
    rules: restrictImports({ paths: [noElectronStore] }),
  },
  {
    // Raw ipcMain/ipcRenderer only where the contract is wired.
    files: ['electron/main/**', 'electron/preload/**'],
    ignores: ['electron/main/index.ts', 'electron/main/ipc/**', 'electron/preload/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportSpecifier[imported.name=/^ipc(Main|Renderer)$/]', message: 'Use the typed IPC wiring.' },
      ],
    },
  },
  { files: ['e2e/emulator/cli.ts', 'scripts/**', 'bench/**'], rules: { 'no-console': 'off' } },
);
