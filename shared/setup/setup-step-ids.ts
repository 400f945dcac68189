// The setup assistant's step ids without zod: setup-steps.ts (the list's setup badge, first paint) needs only
// these, while the SetupProgress schema of setup-progress.ts loads after the first paint (renderer.ready_ratio).
export const SETUP_STEP_IDS = [
  'mailbox',
  'app-registration',
  'platform',
  'api-permissions',
  'admin-consent',
  'client-secret',
  'certificate',
  'restriction',
] as const;
