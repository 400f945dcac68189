// "Will tonight's batch job work?" — the rules behind the list's badges and the test steps, one definition each; the caller passes its clock.

const DAY_MS = 86_400_000;

export type ExpiryState = 'ok' | 'soon' | 'urgent' | 'critical' | 'expired' | 'unknown';

/** Warnings at 60, 30 and 7 days before a client secret expires. */
export function secretExpiry(expiresOn: string | null, now: Date): { state: ExpiryState; daysLeft: number | null } {
  if (expiresOn === null || expiresOn === '') return { state: 'unknown', daysLeft: null };
  // The date Entra shows is the last valid day: the secret works until that day ends (UTC).
  const end = Date.parse(`${expiresOn}T23:59:59Z`);
  if (Number.isNaN(end)) return { state: 'unknown', daysLeft: null };
  return expiryAt(end, now);
}

/** The 60/30/7-day rule against an end instant (ms). */
function expiryAt(end: number, now: Date): { state: ExpiryState; daysLeft: number } {
  const daysLeft = Math.floor((end - now.getTime()) / DAY_MS);
  if (end < now.getTime()) return { state: 'expired', daysLeft };
  const state: ExpiryState = daysLeft <= 7 ? 'critical' : daysLeft <= 30 ? 'urgent' : daysLeft <= 60 ? 'soon' : 'ok';
  return { state, daysLeft };
}

/** The expiry as the list shows it: Entra's own "expired" (AADSTS7000222) wins over a date that says otherwise or is missing. */
export function secretState(
  secret: { secretExpiresOn: string | null; issue?: { kind: string } | undefined },
  now: Date,
): { state: ExpiryState; daysLeft: number | null } {
  const byDate = secretExpiry(secret.secretExpiresOn, now);
  if (secret.issue?.kind !== 'expired' || byDate.state === 'expired') return byDate;
  // Sorted with the expired ones: no day count is known, only that it is past.
  return { state: 'expired', daysLeft: Math.min(byDate.daysLeft ?? -1, -1) };
}

/** The same warnings for a certificate: it ends at its notAfter instant (ISO), not at the end of a day. */
export function certificateExpiry(
  notAfter: string | null | undefined,
  now: Date,
): { state: ExpiryState; daysLeft: number | null } {
  const end = notAfter === null || notAfter === undefined ? NaN : Date.parse(notAfter);
  if (Number.isNaN(end)) return { state: 'unknown', daysLeft: null };
  return expiryAt(end, now);
}

/**
 * The app credential's expiry for the cockpit and `check`: the secret's date as the admin entered it, the
 * certificate's notAfter as the certificate says; null for Modern Authentication (it has none).
 */
export function credentialExpiry(
  profile: {
    accountType: string;
    secret: { secretExpiresOn: string | null; issue?: { kind: string } | undefined };
    certificate?: { notAfter: string } | undefined;
  },
  now: Date,
): { state: ExpiryState; daysLeft: number | null; expiresOn: string | null } | null {
  if (profile.accountType === 'client-secret') {
    return { ...secretState(profile.secret, now), expiresOn: profile.secret.secretExpiresOn };
  }
  if (profile.accountType === 'client-certificate') {
    const notAfter = profile.certificate?.notAfter ?? null;
    return { ...certificateExpiry(notAfter, now), expiresOn: notAfter === null ? null : notAfter.slice(0, 10) };
  }
  return null;
}

/** Whole days since a moment (never negative, e.g. with a skewed clock). */
export function daysSince(iso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS));
}

/** Microsoft ends a refresh token after 90 days without use; warn 14 days before. */
export const REFRESH_WINDOW_DAYS = 90;
export const SIGN_IN_WARNING_DAYS = 14;

/** Where `days` stand in the 90-day window: both sign-in rules below count against it. */
function windowAfter(days: number): { state: 'ok' | 'soon' | 'expired'; daysLeft: number } {
  const daysLeft = REFRESH_WINDOW_DAYS - days;
  if (daysLeft <= 0) return { state: 'expired', daysLeft: 0 };
  return { state: daysLeft <= SIGN_IN_WARNING_DAYS ? 'soon' : 'ok', daysLeft };
}

type Session = { lastInteractiveSignIn: string; lastSilentRefresh: string | null };

/** When the session was last used: the interactive sign-in or a later silent refresh (each restarts the window). */
export function lastSessionUse(session: Session): string {
  const { lastInteractiveSignIn: signIn, lastSilentRefresh: refresh } = session;
  return refresh !== null && Date.parse(refresh) > Date.parse(signIn) ? refresh : signIn;
}

/**
 * Rule 1, the refresh window (the list's badge, the keep-alive): the refresh token lapses after 90
 * days without use, counted from the session's last use.
 */
export function refreshWindow(
  lastActivity: string | null,
  now: Date,
): { state: 'ok' | 'soon' | 'expired' | 'none'; daysLeft: number | null } {
  if (lastActivity === null) return { state: 'none', daysLeft: null };
  return windowAfter(daysSince(lastActivity, now));
}

/**
 * Rule 2, the sign-in age (the connection test's last step): days since the admin last signed in
 * interactively, against the same 90/14 days, because a silent refresh does not renew the sign-in itself.
 */
export function signInAge(
  lastInteractiveSignIn: string,
  now: Date,
): { days: number; state: 'ok' | 'soon' | 'due'; daysLeft: number } {
  const days = daysSince(lastInteractiveSignIn, now);
  const { state, daysLeft } = windowAfter(days);
  return { days, state: state === 'expired' ? 'due' : state, daysLeft };
}

/**
 * Diagnoses of a failed refresh that only a new interactive sign-in heals (expired, revoked, a policy
 * asking for the user). Anything else (network, outage) may pass by itself: the keep-alive tries again.
 */
const SIGN_IN_REQUIRED_DIAGNOSES: ReadonlySet<string> = new Set([
  'aad-refresh-token-inactive',
  'aad-grant-revoked',
  'aad-grant-expired',
  'aad-mfa-required',
  'aad-conditional-access',
  'aad-consent-missing',
  'aad-password-expired',
  'aad-user-disabled',
  'aad-user-not-found',
  'oauth-invalid-grant',
  'oauth-interaction-required',
  'oauth-consent-required',
  'oauth-login-required',
  'msal-no-account',
]);

export function refreshNeedsSignIn(diagnosisId: string): boolean {
  return SIGN_IN_REQUIRED_DIAGNOSES.has(diagnosisId);
}
