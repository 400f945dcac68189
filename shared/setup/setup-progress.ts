import { z } from 'zod';
import { SETUP_STEP_IDS } from './setup-step-ids';

// Kept free of ../domain imports: the profile record (domain.ts) embeds this schema.

export { SETUP_STEP_IDS };
export const SetupStepId = z.enum(SETUP_STEP_IDS);
export type SetupStepId = z.infer<typeof SetupStepId>;

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const Iso = z.iso.datetime({ offset: true });

/**
 * What the admin has ticked in the setup assistant of one profile, and what the core learned:
 * `completedAt` the first successful test (the assistant folds to "done"), `restrictionDoneAt` when the
 * admin said the RBAC commands ran, `restrictionVerifiedAt` when a restriction probe then passed.
 * Nothing here is secret: object IDs and addresses are visible to every admin of the tenant.
 */
export const SetupProgress = z
  .object({
    ticked: z.array(SetupStepId).max(SETUP_STEP_IDS.length),
    servicePrincipalObjectId: z.union([z.literal(''), z.string().max(36).regex(GUID_RE)]),
    controlMailbox: z.string().max(320),
    completedAt: Iso.nullable(),
    restrictionDoneAt: Iso.nullable(),
    restrictionVerifiedAt: Iso.nullable(),
  })
  .strict();
export type SetupProgress = z.infer<typeof SetupProgress>;

export const EMPTY_SETUP: SetupProgress = {
  ticked: [],
  servicePrincipalObjectId: '',
  controlMailbox: '',
  completedAt: null,
  restrictionDoneAt: null,
  restrictionVerifiedAt: null,
};
