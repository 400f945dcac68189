import { z } from 'zod';
import { ProfileView } from '../../../shared/domain';
import { PROFILES_SCHEMA_VERSION } from '../profiles/profile-repository';
import { definePlan, type MigrationPlan } from './migrations';
import type { StoreFileSpec } from './store-bootstrap';

/**
 * The three store files and what a good one looks like. Loose at the top level (conf may keep keys we
 * don't read), strict where the app reads: a profile record the repository would refuse is a corrupt file.
 */

export const PROFILES_PLAN: MigrationPlan = definePlan({
  current: PROFILES_SCHEMA_VERSION,
  steps: [
    {
      from: 0,
      to: 1,
      // Files from before `schemaVersion` already hold v1 records; the validator after the step decides
      // whether they really do (if not, the file is quarantined as corrupt, not half-migrated).
      describe: 'stamp schemaVersion on files written before it existed',
      run: (data) => data,
    },
  ],
});

export const ProfilesFile = z.looseObject({
  schemaVersion: z.number().int().nonnegative().optional(),
  profiles: z
    .record(z.string(), ProfileView)
    .refine((all) => Object.entries(all).every(([id, p]) => p.id === id), { error: 'profile stored under another id' })
    .optional(),
});

export const SecretsFile = z.looseObject({
  records: z
    .record(z.string(), z.object({ ciphertextB64: z.string(), backend: z.string(), v: z.number().int() }).strict())
    .optional(),
});

// SettingsService falls back to defaults on a bad value, so only an unreadable file is worth quarantining.
export const SettingsFile = z.looseObject({});

// ProfileHistory reads each entry on its own (an unknown one is skipped), so only the shape is checked here.
export const HistoryFile = z.looseObject({ profiles: z.record(z.string(), z.array(z.unknown())).optional() });

export type StoreName = 'profiles' | 'secrets' | 'settings';

export const STORE_FILES: Record<StoreName, StoreFileSpec> = {
  profiles: { validate: (d) => ProfilesFile.safeParse(d), migrations: PROFILES_PLAN },
  secrets: { validate: (d) => SecretsFile.safeParse(d) },
  settings: { validate: (d) => SettingsFile.safeParse(d) },
};

/** The change history (history.json): started after the three core files, with the same DS-3 checks. */
export const HISTORY_STORE_FILE: Record<'history', StoreFileSpec> = {
  history: { validate: (d) => HistoryFile.safeParse(d) },
};
