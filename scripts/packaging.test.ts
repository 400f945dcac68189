// The installer config, read and validated by electron-builder's own loader and schema (electron-builder
// itself is never run here: it would download Electron), plus what ends up in the package and its size.
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ELECTRON_BUILDS } from '../electron/build-entries';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

interface LockEntry {
  readonly version?: string;
  readonly dev?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}
interface PackageJson {
  readonly productName?: string;
  readonly author?: { readonly name?: string; readonly email?: string } | string;
  readonly homepage?: string;
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
}
type LoadConfig = (request: {
  packageKey: string;
  configFilename: string;
  projectDir: string;
  packageMetadata: null;
}) => Promise<{ result: Configuration; configFile: string | null } | null>;
type ValidateConfiguration = (config: Configuration, debugLogger: { isEnabled: boolean; add: () => void }) => Promise<void>;

// electron-builder's own modules: the yml is read and checked exactly as `electron-builder` would.
const { findAndReadConfig } = require('app-builder-lib/out/util/config/load') as { findAndReadConfig: LoadConfig };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration: ValidateConfiguration;
};

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
const lock = (JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> })
  .packages;
const RUNTIME_DEPENDENCIES = ['@azure/msal-node', '@microsoft/microsoft-graph-client', 'electron-store'];
const MAX_UNPACKED_BYTES = 40 * 1024 * 1024;
const distDir = join(root, 'dist');
const builtMain = join(distDir, 'electron/main/index.js');

/** Node's lookup: node_modules/a/node_modules/b first, then up to node_modules/b. */
function resolveInLock(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock[key]) return key;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/** The production closure of package.json `dependencies`, as lock keys (node_modules/…). */
function productionClosure(): { keys: Set<string>; unresolved: string[] } {
  const keys = new Set<string>();
  const unresolved: string[] = [];
  const queue = Object.keys(pkg.dependencies).map((name) => ({ from: '', name }));
  for (let next = queue.pop(); next; next = queue.pop()) {
    const key = resolveInLock(next.from, next.name);
    if (!key) {
      unresolved.push(`${next.from || '.'} -> ${next.name}`);
      continue;
    }
    if (keys.has(key)) continue;
    keys.add(key);
    const entry = lock[key];
    for (const name of Object.keys({ ...entry?.dependencies, ...entry?.optionalDependencies })) {
      queue.push({ from: key, name });
    }
  }
  return { keys, unresolved };
}

/** Bytes of regular files under dir; nested node_modules are their own closure entries, so skipped. */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') total += sizeOf(path);
    } else if (entry.isFile()) {
      total += lstatSync(path).size;
    }
  }
  return total;
}

const targetNames = (target: unknown): string[] =>
  (Array.isArray(target) ? target : [target]).map((t: unknown) =>
    typeof t === 'string' ? t : String((t as { target?: unknown }).target),
  );

/** The `external` list of the main process build (electron/build-entries.ts, used by vite.config.ts). */
function mainExternals(): (string | RegExp)[] {
  const main = ELECTRON_BUILDS.find((b) => b.entry === 'electron/main/index.ts');
  const external = main?.vite?.build?.rolldownOptions?.external;
  if (!Array.isArray(external)) throw new Error('electron/build-entries.ts: no external list for electron/main/index.ts');
  return external.filter((e): e is string | RegExp => typeof e === 'string' || e instanceof RegExp);
}

const packageName = (specifier: string): string =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);

describe('packaging (electron-builder.yml)', () => {
  let config: Configuration;

  beforeAll(async () => {
    const loaded = await findAndReadConfig({
      packageKey: 'build',
      configFilename: 'electron-builder',
      projectDir: root,
      packageMetadata: null,
    });
    if (!loaded) throw new Error('electron-builder found no config');
    expect(loaded.configFile).toBe(join(root, 'electron-builder.yml'));
    config = loaded.result;
  });

  it("passes electron-builder 26's own schema check", async () => {
    await expect(validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined();
    // the schema rejects unknown keys, so a misspelt option fails here rather than at release time
    await expect(
      validateConfiguration(
        { ...config, nsis: { ...config.nsis, perMachin: true } as never },
        {
          isEnabled: false,
          add: () => undefined,
        },
      ),
    ).rejects.toThrow(/configuration\.nsis/);
  });

  it('package.json carries the metadata the deb target requires (author with e-mail, homepage)', () => {
    const author = typeof pkg.author === 'object' ? pkg.author : {};
    expect(author.name).toBe('Absender');
    expect(author.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/); // else FpmTarget throws for deb
    expect(pkg.homepage).toMatch(/^https:\/\/\S+$/);
  });

  it('names the app', () => {
    expect(config.appId).toBe('de.absender.app');
    expect(config.productName).toBe('Absender');
    expect(pkg.productName).toBe(config.productName);
  });

  it('Windows: per-machine NSIS that installs silently with /S, plus MSI and portable', () => {
    expect(targetNames(config.win?.target).sort()).toEqual(['msi', 'nsis', 'portable']);
    // oneClick false + perMachine true: no per-user page, always Program Files; /S skips every page
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true });
    expect(config.msi).toMatchObject({ perMachine: true });
  });

  it('macOS: dmg for Apple silicon and Intel, ad-hoc signature reset after the fuses are flipped', () => {
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
    expect(config.mac?.target).toEqual([{ target: 'dmg', arch: ['arm64', 'x64'] }]);
    expect(config.electronFuses?.resetAdHocDarwinSignature).toBe(true);
    // the option exists in the installed app-builder-lib and reaches @electron/fuses
    const source = readFileSync(require.resolve('app-builder-lib/out/platformPackager.js'), 'utf8');
    expect(source).toContain('resetAdHocDarwinSignature: fuses.resetAdHocDarwinSignature');
  });

  it('Linux: deb and AppImage', () => {
    expect(targetNames(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
  });

  it('keeps the security fuses (EL-19)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
  });

  it('packs dist/** (without the demo entry) and package.json only, into an asar; nothing added beside it', () => {
    expect(config.files).toEqual(['dist/**', '!dist/electron/demo/**', 'package.json']);
    expect(config.asar).toBe(true);
    for (const key of ['extraFiles', 'extraResources', 'asarUnpack', 'extraMetadata'] as const) {
      expect(config[key], key).toBeUndefined();
    }
  });

  it('signing credentials are not in the config (they come from CSC_LINK, WIN_CSC_LINK, APPLE_* at build time)', () => {
    const text = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    expect(text).not.toMatch(/^\s*(cscLink|cscKeyPassword|certificatePassword|certificateFile|identity)\s*:/m);
  });
});

describe('packaging: what the main process loads at run time', () => {
  const closure = productionClosure();

  it('dependencies are exactly the main-process runtime packages, all resolvable as production packages', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(RUNTIME_DEPENDENCIES);
    expect(closure.unresolved).toEqual([]);
    const devOnly = [...closure.keys].filter((key) => lock[key]?.dev === true);
    expect(devOnly).toEqual([]);
    for (const key of closure.keys) expect(existsSync(join(root, key, 'package.json')), key).toBe(true);
    expect(closure.keys.size).toBeGreaterThan(RUNTIME_DEPENDENCIES.length); // the closure is transitive
  });

  it('every external of the main bundle (besides electron) is a runtime dependency', () => {
    const externals = mainExternals();
    expect(externals).toContain('electron');
    const deps = Object.keys(pkg.dependencies);
    const devOnly = Object.keys(pkg.devDependencies).filter((name) => !deps.includes(name));
    for (const external of externals) {
      if (external === 'electron') continue;
      if (typeof external === 'string') {
        expect(deps, `external '${external}'`).toContain(external);
      } else {
        expect(
          deps.filter((d) => external.test(d)),
          String(external),
        ).not.toEqual([]);
        // a dev-only package matched by the pattern would stay external yet not be shipped
        expect(
          devOnly.filter((d) => external.test(d)),
          String(external),
        ).toEqual([]);
      }
    }
  });

  it.skipIf(!existsSync(builtMain))(
    'every bare import left in the built main is electron, a Node built-in or a runtime dependency',
    () => {
      const code = readFileSync(builtMain, 'utf8');
      // rolldown turns bundled CJS require() into calls of createRequire(import.meta.url) under a short name
      const alias = /createRequire as (\w+)/.exec(code)?.[1];
      const requireNames = ['require'];
      if (alias) {
        for (const m of code.matchAll(new RegExp(`(\\w+) = (?:/\\* @__PURE__ \\*/ )?${alias}\\(import\\.meta\\.url\\)`, 'g'))) {
          if (m[1]) requireNames.push(m[1]);
        }
      }
      const patterns = [
        /^\s*(?:import|export)\b[^;"']*?\bfrom\s*["']([^"'\s]+)["']/gm,
        /^\s*import\s*["']([^"'\s]+)["']/gm,
        /\bimport\s*\(\s*["']([^"'\s]+)["']\s*\)/g,
        new RegExp(`\\b(?:${requireNames.join('|')})\\(\\s*["']([^"'\\s]+)["']\\s*\\)`, 'g'),
      ];
      const specifiers = new Set(patterns.flatMap((re) => [...code.matchAll(re)].map((m) => m[1] ?? '')));
      const bare = [...specifiers].filter((s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:'));
      const allowed = new Set(['electron', ...builtinModules, ...Object.keys(pkg.dependencies)]);
      expect(specifiers.size).toBeGreaterThan(0);
      expect(bare.map(packageName).filter((name) => !allowed.has(name))).toEqual([]);
      expect(bare.map(packageName)).toEqual(expect.arrayContaining(RUNTIME_DEPENDENCIES));
    },
  );

  const withDist = existsSync(builtMain);
  it(`stays under 40 MB unpacked (${withDist ? 'dist + runtime node_modules' : 'runtime node_modules only: dist not built'})`, () => {
    const modules = [...closure.keys].reduce((sum, key) => sum + sizeOf(join(root, key)), 0);
    const dist = withDist ? sizeOf(distDir) : 0;
    const total = modules + dist + lstatSync(join(root, 'package.json')).size;
    expect(modules).toBeGreaterThan(0);
    expect(total, `node_modules ${(modules / 1e6).toFixed(1)} MB + dist ${(dist / 1e6).toFixed(1)} MB`).toBeLessThan(
      MAX_UNPACKED_BYTES,
    );
  });
});
