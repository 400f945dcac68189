import { ESLint, type Linter } from 'eslint';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Proves each layer rule of eslint.config.js fires: sample code is linted in memory as if it lived at
// the given path (type information off: no-restricted-imports needs none, and the files do not exist).
const root = join(import.meta.dirname, '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    overrideConfigFile: join(root, 'eslint.config.js'),
    overrideConfig: tseslint.configs.disableTypeChecked as Linter.Config,
  });
});

/** The messages of no-restricted-imports for `import … from '<from>'` in a file at `filePath`. */
async function restricted(filePath: string, from: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${from}';\nexport const y = x;\n`, {
    filePath: join(root, filePath),
  });
  if (!result) throw new Error(`nothing linted for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal === true);
  if (fatal.length > 0) throw new Error(fatal.map((m) => m.message).join('\n'));
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules (no-restricted-imports)', { timeout: 60_000 }, () => {
  it.each([
    ['renderer/features/x/Sample.ts', '../../../electron/core/ports', 'renderer/ imports only shared/'],
    ['renderer/Sample.tsx', '../electron/main/startup', 'renderer/ imports only shared/'],
    ['renderer/features/x/Sample.ts', '../../../e2e/emulator', 'renderer/ imports only shared/'],
    ['electron/core/profiles/sample.ts', '../../main/open-stores', 'electron/core never imports'],
    ['electron/core/sample.ts', '../preload/bridge', 'electron/core never imports'],
    ['electron/core/profiles/sample.ts', '../../../renderer/api', 'electron/core never imports'],
    ['electron/core/profiles/sample.ts', '../../../e2e/emulator', 'Product code never imports e2e/'],
    ['electron/core/profiles/sample.test.ts', '../../main/startup', 'electron/core never imports'],
    ['electron/core/auth/sample.ts', '../connection-test/connection-tests', 'auth must not import connection-test'],
    ['electron/core/auth/sample.int.test.ts', '../connection-test/step-recorder', 'auth must not import connection-test'],
    ['shared/ipc/sample.ts', '../../electron/core/ports', 'shared/ imports nothing above it'],
    ['shared/sample.ts', '../renderer/api', 'shared/ imports nothing above it'],
    ['shared/sample.ts', '../e2e/emulator', 'shared/ imports nothing above it'],
    ['electron/main/sample.ts', '../../e2e/hosts/browser-host', 'Product code never imports e2e/'],
    ['electron/main/adapters/electron-store-kv.ts', '../../../e2e/emulator', 'Product code never imports e2e/'],
    ['electron/preload/sample.ts', '../../e2e/emulator', 'Product code never imports e2e/'],
    ['electron/demo/sample.ts', 'electron', 'Only electron/main and electron/preload may import electron'],
    ['electron/main/index.ts', '../demo/demo-session', 'The host never imports the demo entry'],
  ])('%s may not import %s', async (filePath, from, message) => {
    const messages = await restricted(filePath, from);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
  });

  it.each([
    ['renderer/features/x/Sample.ts', '../../../shared/domain'],
    ['renderer/features/x/Sample.ts', '../../components/CopyButton'],
    ['electron/core/profiles/sample.ts', '../ports'],
    ['electron/core/profiles/sample.ts', '../../../shared/domain'],
    // Core tests start the emulator and drive the hosts' Playwright windows: test infrastructure.
    ['electron/core/profiles/sample.int.test.ts', '../../../e2e/emulator'],
    ['electron/core/testing/sample.ts', '../../../e2e/hosts/chromium'],
    ['electron/main/sample.ts', '../core/compose-core'],
    ['shared/ipc/sample.ts', '../domain'],
    ['e2e/hosts/sample.ts', '../../electron/core/compose-core'],
    // The demo entry hands the emulator to the host: it may import e2e/, the host may not.
    ['electron/demo/sample.ts', '../../e2e/emulator'],
  ])('%s may import %s', async (filePath, from) => {
    expect(await restricted(filePath, from)).toEqual([]);
  });
});
