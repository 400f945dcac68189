import type { ProfileView } from '../../../shared/domain';
import { api } from '../../api';

let initial: Promise<ProfileView[]> | undefined;

/** Started by boot() beside app info and settings: the list's round trip no longer waits for theirs. */
export function prefetchProfiles(): void {
  initial ??= api.profiles.list();
  // Handled where it is used; until then no "unhandled rejection" for a list that failed early.
  initial.catch(() => undefined);
}

/** The list the window starts with: the prefetched one when boot() started it, else a fresh request. */
export function initialProfiles(): Promise<ProfileView[]> {
  return initial ?? api.profiles.list();
}
