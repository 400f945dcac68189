import type { ProfileView } from '../../../shared/domain';

/** One lower-cased haystack per profile, built once per list (not per keystroke). */
export interface FilterIndex {
  readonly profiles: readonly ProfileView[];
  readonly haystacks: readonly string[];
}

export function buildFilterIndex(profiles: readonly ProfileView[]): FilterIndex {
  return { profiles, haystacks: profiles.map((p) => `${p.name} ${p.senderAddress}`.toLowerCase()) };
}

/** The profiles whose name or sender address contains the query (case-insensitive, trimmed). */
export function filterProfiles(index: FilterIndex, query: string): readonly ProfileView[] {
  const q = query.trim().toLowerCase();
  if (q === '') return index.profiles;
  return index.profiles.filter((_p, i) => index.haystacks[i]?.includes(q) === true);
}
