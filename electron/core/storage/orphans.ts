import type { StoreFileState } from './store-bootstrap';
import { guardedWrite } from './write-guard';

export type OrphanCollection = { removed: number } | { skipped: 'profiles-not-loaded-cleanly' };

/**
 * DS-6, load-time half: ciphertexts whose profile is gone (a crash between the secret write and the
 * profile write) are deleted. Only when the profile file loaded as it was: after a restore from `.bak`
 * or an empty start, profiles newer than the backup are missing but their secrets are not orphans —
 * the admin may still recover the quarantined file, so their secrets are kept.
 */
export function collectOrphanSecrets(deps: {
  profilesState: StoreFileState | 'journal-damaged';
  liveProfileIds: () => Iterable<string>;
  vault: { collectOrphans(liveProfileIds: ReadonlySet<string>): number };
}): OrphanCollection {
  if (deps.profilesState !== 'ok') return { skipped: 'profiles-not-loaded-cleanly' };
  const live = new Set(deps.liveProfileIds());
  let removed = 0;
  guardedWrite(() => {
    removed = deps.vault.collectOrphans(live);
  });
  return { removed };
}
