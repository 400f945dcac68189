import { AppError } from '../../../shared/errors';

/**
 * DS-5: our own versioned migrations instead of conf's `migrations` option. conf runs those inside its
 * constructor, writes the file between steps and keys them on the app version; ours key on a schema
 * version stored in the file, run on a copy in memory, and the caller writes the result once (after
 * writing `.bak`), so a failing step leaves the file byte-identical.
 */

export const SCHEMA_VERSION_KEY = 'schemaVersion';

/** A store file as JSON: conf keeps top-level keys (e.g. `profiles`) plus our `schemaVersion`. */
export type StoreData = Record<string, unknown>;

export interface MigrationStep {
  readonly from: number;
  readonly to: number;
  /** For logs and the error: what the step changes. */
  readonly describe: string;
  /**
   * Gets a private deep copy and returns the data at version `to`; the framework stamps `schemaVersion`.
   * Must be idempotent (running it on its own output changes nothing), because a crash after the
   * write but before the app noticed can hand the same data to the step again on a restored `.bak`.
   */
  run(data: StoreData): StoreData;
}

export interface MigrationPlan {
  readonly current: number;
  readonly steps: readonly MigrationStep[];
}

export interface MigrationResult {
  readonly data: StoreData;
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

/** A step threw, or the file is from a newer app; names both versions so support can tell which. */
export class StorageMigrationError extends AppError {
  constructor(
    readonly file: string,
    readonly fromVersion: number,
    readonly toVersion: number,
    reason: 'step-failed' | 'no-step' | 'newer-version',
    cause?: unknown,
  ) {
    super('storage-corrupt', {
      params: { file, fromVersion: String(fromVersion), toVersion: String(toVersion), reason },
      message: `Cannot migrate ${file} from schema version ${fromVersion} to ${toVersion} (${reason}); the file was left unchanged.`,
      ...(cause === undefined ? {} : { cause }),
    });
    this.name = 'StorageMigrationError';
  }
}

/** Checks the plan once, at definition: a gap or a loop would otherwise only show on a user's old file. */
export function definePlan(plan: MigrationPlan): MigrationPlan {
  let version = 0;
  for (const step of [...plan.steps].sort((a, b) => a.from - b.from)) {
    if (step.from !== version || step.to <= step.from) {
      throw new Error(`Migration plan: expected a step from version ${version}, got ${step.from} → ${step.to}.`);
    }
    version = step.to;
  }
  if (version !== plan.current) throw new Error(`Migration plan: steps end at ${version}, current is ${plan.current}.`);
  return plan;
}

/** A file written before versioning has no `schemaVersion`: version 0. `undefined` means not a valid version. */
export function schemaVersionOf(data: StoreData): number | undefined {
  const raw = data[SCHEMA_VERSION_KEY];
  if (raw === undefined) return 0;
  return typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
}

/** Runs the steps from the data's version up to `plan.current` on a copy; the input is never changed. */
export function migrate(file: string, data: StoreData, plan: MigrationPlan): MigrationResult {
  const from = schemaVersionOf(data);
  if (from === undefined) throw new StorageMigrationError(file, Number.NaN, plan.current, 'no-step');
  if (from > plan.current) throw new StorageMigrationError(file, from, plan.current, 'newer-version');
  let working: StoreData = structuredClone(data);
  let version = from;
  const applied: string[] = [];
  while (version < plan.current) {
    const step = plan.steps.find((s) => s.from === version);
    if (!step) throw new StorageMigrationError(file, from, plan.current, 'no-step');
    try {
      // Typed as StoreData, but a step is code written years later against old data: check what it returns.
      const next: unknown = step.run(working);
      if (next === null || typeof next !== 'object' || Array.isArray(next)) throw new TypeError('step returned no object');
      working = { ...(next as StoreData), [SCHEMA_VERSION_KEY]: step.to };
    } catch (cause) {
      throw new StorageMigrationError(file, from, plan.current, 'step-failed', cause);
    }
    applied.push(`${step.from}→${step.to}: ${step.describe}`);
    version = step.to;
  }
  return { data: working, from, to: plan.current, applied };
}
