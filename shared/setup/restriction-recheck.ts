import type { SetupProgress } from './setup-progress';

/** Microsoft: a new RBAC for Applications assignment takes effect after 30 minutes to 2 hours. */
export const RECHECK_AFTER_MS = [30 * 60_000, 2 * 60 * 60_000] as const;

export type RestrictionState =
  | { kind: 'none' }
  | { kind: 'verified'; at: string }
  /** `due`: the check the admin is offered now (30 min / 2 h), null while waiting for the first; `nextAt`: when the next one is offered. */
  | { kind: 'pending'; since: string; due: '30m' | '2h' | null; nextAt: string | null };

/** Where the restriction stands for `now` (the caller's clock: the core's, or a test's). */
export function restrictionState(setup: SetupProgress | undefined, now: Date): RestrictionState {
  if (!setup?.restrictionDoneAt) return { kind: 'none' };
  const since = setup.restrictionDoneAt;
  if (setup.restrictionVerifiedAt && Date.parse(setup.restrictionVerifiedAt) >= Date.parse(since))
    return { kind: 'verified', at: setup.restrictionVerifiedAt };
  const elapsed = now.getTime() - new Date(since).getTime();
  const [first, second] = RECHECK_AFTER_MS;
  const at = (ms: number) => new Date(new Date(since).getTime() + ms).toISOString();
  if (elapsed >= second) return { kind: 'pending', since, due: '2h', nextAt: null };
  if (elapsed >= first) return { kind: 'pending', since, due: '30m', nextAt: at(second) };
  return { kind: 'pending', since, due: null, nextAt: at(first) };
}
