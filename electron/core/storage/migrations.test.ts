import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { definePlan, migrate, StorageMigrationError, type MigrationPlan, type StoreData } from './migrations';
import { openStoreFiles, type StoreFileSpec } from './store-bootstrap';
import { PROFILES_PLAN, ProfilesFile, STORE_FILES } from './store-files';
import { asFile, fixtureId, jsonFileStore, profilesOf } from './testing/fixtures';

const v0File = { profiles: profilesOf('p1') };

describe('migrate', () => {
  it('v0 → v1 stamps a file without schemaVersion whose profiles already parse, and is idempotent', () => {
    const first = migrate('profiles.json', v0File, PROFILES_PLAN);
    expect(first).toMatchObject({ from: 0, to: 1, data: { schemaVersion: 1, profiles: v0File.profiles } });
    expect(first.applied).toHaveLength(1);
    expect(ProfilesFile.safeParse(first.data).success).toBe(true);
    const again = migrate('profiles.json', first.data, PROFILES_PLAN);
    expect(again).toEqual({ data: first.data, from: 1, to: 1, applied: [] });
    // The step itself, run twice, changes nothing either.
    const step = PROFILES_PLAN.steps[0];
    expect(step?.run(step.run(structuredClone(v0File)))).toEqual(v0File);
    expect(v0File).not.toHaveProperty('schemaVersion'); // input untouched
  });

  it('definePlan refuses gaps and a plan that stops short', () => {
    const noop = (d: StoreData): StoreData => d;
    expect(() => definePlan({ current: 2, steps: [{ from: 1, to: 2, describe: '', run: noop }] })).toThrow(/from version 0/);
    expect(() => definePlan({ current: 3, steps: [{ from: 0, to: 2, describe: '', run: noop }] })).toThrow(/end at 2/);
  });
});

/** Synthetic v2: the hint moves out of `secret` into its own field. Idempotent by construction. */
const renameHint = (data: StoreData): StoreData => {
  const profiles = (data['profiles'] ?? {}) as Record<string, Record<string, unknown>>;
  return {
    ...data,
    profiles: Object.fromEntries(
      Object.entries(profiles).map(([id, p]) => {
        if (!('secret' in p)) return [id, p];
        const { secret, ...rest } = p as { secret: { secretHint: string | null } };
        return [id, { ...rest, hint: secret.secretHint }];
      }),
    ),
  };
};
const V2: MigrationPlan = definePlan({
  current: 2,
  steps: [...PROFILES_PLAN.steps, { from: 1, to: 2, describe: 'move secret hint', run: renameHint }],
});
const failingV2: MigrationPlan = definePlan({
  current: 2,
  steps: [
    ...PROFILES_PLAN.steps,
    {
      from: 1,
      to: 2,
      describe: 'always fails',
      run: (d) => {
        (d as { profiles: unknown }).profiles = 'half-done'; // mutates its copy, then fails
        throw new Error('boom');
      },
    },
  ],
});

describe('migrate with a synthetic v1 → v2 step', () => {
  it('chains v0 → v1 → v2 and is idempotent on its own output', () => {
    const result = migrate('profiles.json', v0File, V2);
    expect(result.from).toBe(0);
    expect(result.data['schemaVersion']).toBe(2);
    expect((result.data['profiles'] as Record<string, Record<string, unknown>>)[fixtureId('p1')]).toMatchObject({ hint: 'abc' });
    expect(migrate('profiles.json', result.data, V2).data).toEqual(result.data);
    expect(renameHint(renameHint(v0File))).toEqual(renameHint(v0File));
  });

  it('a failing step throws a typed error naming both versions and leaves the input unchanged', () => {
    const input = { schemaVersion: 1, profiles: profilesOf('p1') };
    const before = structuredClone(input);
    let error: unknown;
    try {
      migrate('profiles.json', input, failingV2);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StorageMigrationError);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'storage-corrupt',
      params: { file: 'profiles.json', fromVersion: '1', toVersion: '2', reason: 'step-failed' },
    });
    expect((error as Error).message).toMatch(/version 1 to 2/);
    expect(input).toEqual(before);
  });
});

describe('migrations in openStoreFiles (DS-5, on real files)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'absender-mig-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const V2File = (d: unknown): boolean => typeof d === 'object' && d !== null && (d as StoreData)['schemaVersion'] === 2;
  const run = (profiles: StoreFileSpec) =>
    openStoreFiles({ dir, files: { profiles }, open: (n) => jsonFileStore(dir, n), now: () => new Date() });

  it('writes the pre-migration bytes to `.bak` first, then the migrated file', () => {
    const original = asFile({ schemaVersion: 1, profiles: profilesOf('p1') });
    writeFileSync(join(dir, 'profiles.json'), original);
    const b = run({ validate: V2File, migrations: V2 });
    expect(b.results[0]).toMatchObject({ state: 'ok', migratedFrom: 1 });
    expect(readFileSync(join(dir, 'profiles.bak.json'))).toEqual(original);
    expect(JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8'))).toMatchObject({
      schemaVersion: 2,
      profiles: { [fixtureId('p1')]: { hint: 'abc' } },
    });
    // Second start: nothing left to migrate; the backup now follows the migrated file.
    expect(run({ validate: V2File, migrations: V2 }).results[0]?.migratedFrom).toBeUndefined();
    expect(readFileSync(join(dir, 'profiles.bak.json'))).toEqual(readFileSync(join(dir, 'profiles.json')));
  });

  it('a failing step leaves the file byte-identical, writes no backup and names both versions', () => {
    const original = asFile({ schemaVersion: 1, profiles: profilesOf('p1') });
    writeFileSync(join(dir, 'profiles.json'), original);
    expect(() => run({ validate: V2File, migrations: failingV2 })).toThrow(/schema version 1 to 2/);
    expect(readFileSync(join(dir, 'profiles.json'))).toEqual(original);
    expect(existsSync(join(dir, 'profiles.bak.json'))).toBe(false);
  });

  it('the real v0 → v1 step on a pre-versioning file', () => {
    const original = asFile(v0File);
    writeFileSync(join(dir, 'profiles.json'), original);
    const b = openStoreFiles({
      dir,
      files: { profiles: STORE_FILES.profiles },
      open: (n) => jsonFileStore(dir, n),
      now: () => new Date(),
    });
    expect(b.results[0]).toMatchObject({ state: 'ok', migratedFrom: 0 });
    expect(readFileSync(join(dir, 'profiles.bak.json'))).toEqual(original);
    expect(b.store('profiles').get('schemaVersion')).toBe(1);
  });
});
