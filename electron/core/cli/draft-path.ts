import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { TestReport } from '../../../shared/ipc/contract';
import { RelayCredentials } from '../relay/relay-credentials';
import { ensurePrivateDir, nodeFsSeam, writeFileAtomic } from '../storage/fs-seam';

/** What drafts and upload sessions need besides Mail.Send (application or delegated, by account type). */
export const DRAFT_PERMISSION = 'Mail.ReadWrite';

/** Mail.ReadWrite as the token shows it; unknown when the token lists nothing (RBAC for Applications grants are invisible). */
export type DraftPermission = 'granted' | 'missing' | 'unknown';

/** Why a profile is known to send through drafts: `send` took the draft path (since when), or the relay logs in with it. */
export interface DraftPathUse {
  sendSince: string | null;
  relay: boolean;
}

const markerDir = (dataDir: string): string => join(dataDir, 'draft-path');
// By hash like the journal's entries: the file name says nothing about the profile.
const markerFile = (dataDir: string, profileId: string): string =>
  join(markerDir(dataDir), `${createHash('sha256').update(profileId).digest('hex').slice(0, 32)}.json`);

/**
 * `send` is about to create a draft for the profile (--idempotency-key, attachments over 3 MB, a 413): remembered once,
 * so `check` can tell whether the profile needs Mail.ReadWrite. Best effort: the send itself does not depend on it.
 */
export function markDraftPath(dataDir: string, profileId: string, now: Date): void {
  const file = markerFile(dataDir, profileId);
  try {
    if (nodeFsSeam.existsSync(file)) return;
    ensurePrivateDir(markerDir(dataDir));
    writeFileAtomic(file, `${JSON.stringify({ profileId, since: now.toISOString() })}\n`);
  } catch {
    // A read-only data directory loses only this hint; the journal (when used) reports its own failure.
  }
}

/** The profile was deleted: its marker goes with it (a missing marker is the normal case). */
export function forgetDraftPath(dataDir: string, profileId: string): void {
  const file = markerFile(dataDir, profileId);
  if (nodeFsSeam.existsSync(file)) nodeFsSeam.unlinkSync(file);
}

/**
 * Whether a profile sends through drafts, read without changing anything (a check runs beside the relay and sends).
 * The relay's logins (credentials.json) are read once, when the reader is made: a check of many profiles asks it
 * per profile, and the file is the same for all of them within one run.
 */
export function draftPathReader(dataDir: string): (profileId: string) => DraftPathUse | null {
  const relayProfiles = relayLoginProfiles(dataDir);
  return (profileId) => {
    const sendSince = draftSendSince(dataDir, profileId);
    const relay = relayProfiles.has(profileId);
    return sendSince === null && !relay ? null : { sendSince, relay };
  };
}

function draftSendSince(dataDir: string, profileId: string): string | null {
  try {
    const file = markerFile(dataDir, profileId);
    if (!nodeFsSeam.existsSync(file)) return null;
    const parsed = JSON.parse(nodeFsSeam.readFileSync(file).toString('utf8')) as { profileId?: unknown; since?: unknown };
    if (parsed.profileId !== profileId) return null;
    return typeof parsed.since === 'string' ? parsed.since : '';
  } catch {
    return null;
  }
}

/** A damaged credentials file is the relay's to report: here it only means "no profile is known to be a relay profile". */
function relayLoginProfiles(dataDir: string): ReadonlySet<string> {
  // Read only: a check beside the relay must not set its damaged logins file aside (the relay does that); peek()
  // answers a damaged or unreadable file with no logins.
  return new Set(new RelayCredentials(dataDir).peek().map((c) => c.profileId));
}

/** The token's grants as the test's claims step (roles) or scopes step (scp) recorded them. */
export function grantedInToken(report: TestReport | null): string[] | null {
  const step = report?.steps.find((s) => (s.id === 'claims' || s.id === 'scopes') && s.status !== 'skipped');
  const listed = step?.params['roles'] ?? step?.params['scopes'];
  if (listed === undefined) return null;
  const names = listed
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name !== '—');
  return names.length === 0 ? null : names;
}

export function draftPermission(report: TestReport | null): DraftPermission {
  const granted = grantedInToken(report);
  if (granted === null) return 'unknown';
  return granted.includes(DRAFT_PERMISSION) ? 'granted' : 'missing';
}
