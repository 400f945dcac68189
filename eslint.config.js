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
  {
    files: ['electron/core/**', 'shared/**', 'e2e/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron, noElectronStore] }] },
  },
  {
    // The connection test builds on auth, never the other way round (a failed sign-in's step comes from diagnostics/).
    files: ['electron/core/auth/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, noElectronStore],
          patterns: [{ group: ['**/connection-test/**'], message: 'auth must not import connection-test (layers).' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**', 'shared/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            noElectron,
            noElectronStore,
            ...nodeBuiltins.map((name) => ({ name, message: 'No Node built-ins in renderer/ or shared/.' })),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['electron/main/**'],
    ignores: ['electron/main/adapters/electron-store-kv.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectronStore] }] },
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
