import type { ProfileView } from '../../../shared/domain';
import { api } from '../../api';

let initial: Promise<ProfileView[]> | undefined;
let arrived: ProfileView[] | undefined;

/**
 * Started by boot() beside app info and settings, so the list's round trip no longer waits for theirs.
 * Resolves (never rejects) once the list is there or failed; a failure is met again by initialProfiles().
 */
export function prefetchProfiles(): Promise<void> {
  initial ??= api.profiles.list();
  return initial.then(
    (list) => {
      arrived = list;
    },
    () => undefined,
  );
}

/** The list the window starts with: the prefetched request when boot() started one, else a fresh one. */
export function initialProfiles(): Promise<ProfileView[]> {
  return initial ?? api.profiles.list();
}

/** The prefetched list when it has arrived, once: the editor's first render starts from it. */
export function takeStartProfiles(): ProfileView[] | undefined {
  const list = arrived;
  arrived = undefined;
  return list;
}
