import {
  ProfileDraft,
  type ProfileView,
  type CertificateMeta,
  type RefreshError,
  type SecretIssue,
} from '../../../shared/domain';
import type { SetupProgress } from '../../../shared/setup/setup-progress';
import { AppError } from '../../../shared/errors';
import type { Clock, KeyValueStore } from '../ports';
import { noBackupScrubber, type BackupScrubber } from '../storage/backup-scrubber';
import { ownValue } from '../storage/own-key';
import { mapProfileRecords, type ProfileRecords } from '../storage/profile-journal';

export const PROFILES_SCHEMA_VERSION = 1;
// localeCompare's order with one collator built once (a new one per comparison is slow with 1000 profiles).
const byName = new Intl.Collator(undefined, { sensitivity: 'base' });

/** What one test run leaves on its profile: the last test, and what it taught about the stored secret (undefined: nothing). */
export interface TestRecord {
  profileId: string;
  /** The revision the test ran on: an edit since (a new secret, another app) makes the result about the old values. */
  revision?: number;
  lastTest: NonNullable<ProfileView['lastTest']>;
  secretIssue?: SecretIssue | null;
}

/** The profile as `record` leaves it; a secret issue only on a client-secret profile with a stored secret, and only when it changes. */
export function withTestRecord(existing: ProfileView, record: TestRecord): ProfileView {
  const tested = { ...existing, lastTest: record.lastTest };
  const issue = record.secretIssue;
  if (issue === undefined || existing.accountType !== 'client-secret' || !existing.secret.hasSecret) return tested;
  if ((existing.secret.issue?.kind ?? null) === (issue?.kind ?? null)) return tested;
  const { hasSecret, secretHint, secretExpiresOn } = existing.secret;
  const rest = { hasSecret, secretHint, secretExpiresOn };
  return { ...tested, secret: issue === null ? rest : { ...rest, issue } };
}

/** Profiles without secrets, one record per id, validated on every read. */
export class ProfileRepository {
  private readonly records: ProfileRecords;

  constructor(
    store: KeyValueStore,
    private readonly clock: Clock,
    /** DS-7: a deleted profile goes from `profiles.bak.json` too. */
    private readonly backup: BackupScrubber = noBackupScrubber,
    /** The journaled files of a real data directory; without, the whole map in the store (in-memory tests). */
    records?: ProfileRecords,
  ) {
    this.records = records ?? mapProfileRecords(store);
  }

  list(): ProfileView[] {
    return Object.values(this.all()).sort((a, b) => byName.compare(a.name, b.name));
  }

  get(id: string): ProfileView {
    const profile = ownValue(this.all(), id);
    if (!profile) throw new AppError('not-found', { params: { id } });
    return profile;
  }

  /** The stored profile, or undefined when it is gone (no error: callers check whether it still exists). */
  find(id: string): ProfileView | undefined {
    return ownValue(this.all(), id);
  }

  /** Creates or updates from a validated draft; a stale revision is refused and overwrites nothing. */
  upsert(
    input: ProfileDraft,
    newId: string,
    /** `certificate`: the new one; undefined keeps the stored one (certificate profiles only), null removes it. `certificateNext`: null removes it. */
    secret: {
      hasSecret: boolean;
      secretHint: string | null;
      issue?: SecretIssue;
      certificate?: CertificateMeta | null;
      certificateNext?: CertificateMeta | null;
    },
  ): ProfileView {
    const draft = ProfileDraft.parse(input);
    const now = this.clock.now().toISOString();
    // The revision check and the write in one step: a test recorded by another process meanwhile is kept.
    const [saved] = this.update((current) => [this.edited(draft, newId, secret, now, this.checkRevision(current, draft))]);
    if (saved === undefined) throw new AppError('internal');
    return saved;
  }

  private edited(
    draft: ReturnType<typeof ProfileDraft.parse>,
    newId: string,
    secret: Parameters<ProfileRepository['upsert']>[2],
    now: string,
    existing: ProfileView | undefined,
  ): ProfileView {
    const isSecretType = draft.accountType === 'client-secret';
    const isCertificateType = draft.accountType === 'client-certificate';
    const appOnly = isSecretType || isCertificateType;
    const certificate = isCertificateType
      ? secret.certificate === null
        ? undefined
        : (secret.certificate ?? (existing?.accountType === 'client-certificate' ? existing.certificate : undefined))
      : undefined;
    // The successor belongs to the app registration: it stays across edits of an app-only profile.
    const certificateNext = !appOnly
      ? undefined
      : secret.certificateNext === null
        ? undefined
        : (secret.certificateNext ?? existing?.certificateNext);
    const profile: ProfileView = {
      id: existing?.id ?? newId,
      revision: (existing?.revision ?? 0) + 1,
      name: draft.name,
      accountType: draft.accountType,
      cloud: draft.cloud,
      senderAddress: draft.senderAddress,
      mailboxAddress: appOnly ? draft.mailboxAddress : '',
      clientId: draft.clientId,
      tenant: draft.tenant,
      signInMethod: appOnly ? 'popup' : draft.signInMethod,
      secret: {
        hasSecret: appOnly && secret.hasSecret,
        secretHint: isSecretType ? secret.secretHint : null,
        secretExpiresOn: isSecretType && draft.secretExpiresOn !== '' ? draft.secretExpiresOn : null,
        ...(isSecretType && secret.hasSecret && secret.issue ? { issue: secret.issue } : {}),
      },
      // Changing who signs in (cloud, app, tenant, account type) invalidates the delegated session: the
      // refresh token belongs to one cloud's Entra ID. A new
      // sender address keeps it on purpose: the signed-in mailbox may send as another one (Send As);
      // the connection test warns and explains ErrorSendAsDenied if it may not.
      delegated:
        existing &&
        existing.accountType === draft.accountType &&
        existing.cloud === draft.cloud &&
        existing.clientId === draft.clientId &&
        existing.tenant === draft.tenant
          ? existing.delegated
          : null,
      ...(certificate === undefined ? {} : { certificate }),
      ...(certificateNext === undefined ? {} : { certificateNext }),
      lastTest: existing?.lastTest ?? null,
      ...setupAfterEdit(existing, draft),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    return profile;
  }

  /**
   * A test result is not an admin's edit: it keeps the revision, so an open mask does not go stale.
   * Several runs' results in one write (test all: one fsync for the batch instead of one per profile on the event
   * loop). A profile deleted meanwhile is skipped: its result has nowhere to go; so is one edited since its test
   * ran (a secret saved during a batch must not get the old secret's "expired" badge).
   */
  recordTests(records: readonly TestRecord[]): ProfileView[] {
    if (records.length === 0) return [];
    return this.update((all) => {
      const updated = new Map<string, ProfileView>();
      for (const record of records) {
        const existing = updated.get(record.profileId) ?? ownValue(all, record.profileId);
        if (existing && (record.revision === undefined || record.revision === existing.revision))
          updated.set(record.profileId, withTestRecord(existing, record));
      }
      return [...updated.values()];
    });
  }

  /** The setup assistant's ticks are not an edit of the profile: no revision, an open mask stays current. */
  recordSetup(id: string, setup: SetupProgress): ProfileView {
    return this.recordState(id, () => ({ setup }));
  }

  /** A sign-in or sign-out is not an edit either: same reason as recordTests. */
  recordDelegated(id: string, delegated: ProfileView['delegated']): ProfileView {
    return this.recordState(id, () => ({ delegated }));
  }

  /**
   * `patch` sees the profile as it is on disk at the write (not an older read of this process), so a state write
   * never reverts another process's edit; null = nothing to write.
   */
  private recordState(
    id: string,
    patch: (existing: ProfileView) => Pick<Partial<ProfileView>, 'lastTest' | 'delegated' | 'secret' | 'setup'> | null,
  ): ProfileView {
    let found: ProfileView | undefined;
    const [updated] = this.update((all) => {
      found = ownValue(all, id);
      const change = found === undefined ? null : patch(found);
      return found === undefined || change === null ? [] : [{ ...found, ...change }];
    });
    if (found === undefined) throw new AppError('not-found', { params: { id } });
    return updated ?? found;
  }

  /** Each refresh restarts Entra's 90-day inactivity window; the list shows when it last happened. A success ends an earlier failure. */
  recordSilentRefresh(id: string, at: string): ProfileView {
    return this.recordState(id, (existing) =>
      existing.delegated ? { delegated: { ...existing.delegated, lastSilentRefresh: at, lastRefreshError: null } } : null,
    );
  }

  /** A failed keep-alive refresh: shown in the list until a refresh or sign-in succeeds (not an edit, no revision). */
  recordRefreshError(id: string, error: RefreshError): ProfileView {
    return this.recordState(id, (existing) =>
      existing.delegated ? { delegated: { ...existing.delegated, lastRefreshError: error } } : null,
    );
  }

  /** Returns the stored profile the draft edits (none for a new one); refuses a missing id or stale revision. */
  assertRevision(draft: ProfileDraft): ProfileView | undefined {
    return this.checkRevision(this.all(), draft);
  }

  private checkRevision(all: Readonly<Record<string, ProfileView>>, draft: ProfileDraft): ProfileView | undefined {
    if (draft.id === undefined) return undefined;
    const existing = ownValue(all, draft.id);
    if (!existing) throw new AppError('not-found', { params: { id: draft.id } });
    if (draft.revision !== existing.revision) throw new AppError('conflict', { params: { name: existing.name } });
    return existing;
  }

  remove(id: string, revision: number): void {
    const existing = ownValue(this.all(), id);
    if (!existing) throw new AppError('not-found', { params: { id } });
    if (existing.revision !== revision) throw new AppError('conflict', { params: { name: existing.name } });
    this.records.remove(id);
    this.backup.removeEntries('profiles', (key) => key === id);
  }

  private all(): Record<string, ProfileView> {
    return this.records.all();
  }

  /** The records' read-modify-write; records without one (a test double) read and put in two steps. */
  private update(change: (current: Readonly<Record<string, ProfileView>>) => readonly ProfileView[]): ProfileView[] {
    if (this.records.update) return this.records.update(change);
    const profiles = [...change(this.all())];
    if (profiles.length > 1 && this.records.putMany) this.records.putMany(profiles);
    else for (const profile of profiles) this.records.put(profile);
    return profiles;
  }
}

/**
 * The assistant's ticks survive an edit; "done" does not when the edit points the profile at another
 * app, tenant or account type: the first successful test of the new values folds it again.
 */
function setupAfterEdit(existing: ProfileView | undefined, draft: ProfileDraft): { setup?: SetupProgress } {
  const setup = existing?.setup;
  if (!existing || !setup) return {};
  const same =
    existing.accountType === draft.accountType && existing.clientId === draft.clientId && existing.tenant === draft.tenant;
  return { setup: same ? setup : { ...setup, completedAt: null } };
}
