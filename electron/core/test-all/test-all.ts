import { randomUUID } from 'node:crypto';
import type { ProfileView } from '../../../shared/domain';
import type { TestAllResult, TestAllRow, TestReport } from '../../../shared/ipc/contract';
import { lastSessionUse, refreshWindow, secretExpiry, signInAge, SIGN_IN_WARNING_DAYS } from '../../../shared/profile-health';
import { retryAfterSeconds } from '../net/retry-after';
import type { Clock } from '../ports';

/** Graph's Outlook limit: 4 concurrent requests per app and mailbox; a test runs its requests one after another. */
export const PER_MAILBOX_CONCURRENCY = 4;
/** A bound on open connections overall, whatever the number of apps and mailboxes. */
export const TOTAL_CONCURRENCY = 64;
/** A profile still throttled after this many waits is reported as it failed (the Retry-After is in its step). */
export const MAX_THROTTLE_WAITS = 2;
/** A Retry-After beyond this is not waited for inside a batch: the row says "throttled" and the admin retries. */
export const MAX_THROTTLE_WAIT_SECONDS = 120;
/** Same thresholds as `Absender check`: the secret warns 30 days ahead. */
const SECRET_WARNING_DAYS = 30;

export interface TestAllDeps {
  clock: Clock;
  profiles: () => ProfileView[];
  /** One connection test without a test message (the batch never sends mail). */
  test: (profileId: string) => Promise<TestReport>;
  /** Waits for a Retry-After; real setTimeout in the app, so tests can count the wait. */
  sleep: (ms: number) => Promise<void>;
  progress?: (p: { batchId: string; done: number; total: number; row: TestAllRow | null }) => void;
  perMailbox?: number;
  total?: number;
}

/** Requests of one test go to this app × mailbox: the unit Graph counts its 4 concurrent requests in. */
export const throttleKey = (p: ProfileView): string =>
  `${p.tenant.toLowerCase()}|${p.clientId.toLowerCase()}|${(p.mailboxAddress || p.senderAddress).toLowerCase()}`;

/** The Retry-After seconds of a throttled step (429), or null when no step was throttled. */
export function throttledFor(report: TestReport): number | null {
  const step = report.steps.find((s) => s.status === 'failed' && s.httpStatus === 429);
  if (!step) return null;
  return retryAfterSeconds(step.params['seconds']) ?? 1;
}

/** The summary line of one profile: outcome, failing step, secret expiry and sign-in age, never a secret. */
export function rowOf(profile: ProfileView, report: TestReport | null, now: Date, error?: string): TestAllRow {
  const current = report?.profile ?? profile;
  const failed = report?.steps.find((s) => s.status === 'failed') ?? null;
  const expiry = current.accountType === 'client-secret' ? secretExpiry(current.secret.secretExpiresOn, now) : null;
  const session = current.accountType === 'modern-auth' && current.delegated ? current.delegated : null;
  const window = session ? refreshWindow(lastSessionUse(session), now) : null;
  let state: TestAllRow['state'] = report === null ? 'failed' : report.outcome;
  if (expiry?.state === 'expired' || window?.state === 'expired') state = 'failed';
  const warnSecret = expiry?.daysLeft !== null && expiry?.daysLeft !== undefined && expiry.daysLeft <= SECRET_WARNING_DAYS;
  const warnSignIn = window?.daysLeft !== null && window?.daysLeft !== undefined && window.daysLeft <= SIGN_IN_WARNING_DAYS;
  if (state === 'ok' && (warnSecret || warnSignIn)) state = 'warning';
  return {
    profileId: current.id,
    name: current.name,
    accountType: current.accountType,
    state,
    outcome: report?.outcome ?? null,
    failedStep: failed?.id ?? null,
    failedMessageKey: failed?.messageKey ?? null,
    failedParams: failed?.params ?? {},
    code: failed?.code ?? null,
    secretExpiresOn: expiry ? current.secret.secretExpiresOn : null,
    secretDaysLeft: expiry?.daysLeft ?? null,
    signInAgeDays: session ? signInAge(session.lastInteractiveSignIn, now).days : null,
    signInDaysLeft: window?.daysLeft ?? null,
    error: error ?? null,
  };
}

/**
 * Tests every profile, at most `perMailbox` at once per app × mailbox (Graph's limit) and `total` overall.
 * A throttled test (429) holds back every test of its app × mailbox for the Retry-After, then runs again.
 */
export async function runTestAll(deps: TestAllDeps): Promise<TestAllResult> {
  const batchId = randomUUID();
  const startedAt = deps.clock.now().toISOString();
  const profiles = deps.profiles();
  const perKey = deps.perMailbox ?? PER_MAILBOX_CONCURRENCY;
  const totalLimit = deps.total ?? TOTAL_CONCURRENCY;
  const rows: (TestAllRow | undefined)[] = new Array<TestAllRow | undefined>(profiles.length);
  const inFlight = new Map<string, number>();
  const blockedUntil = new Map<string, Promise<void>>();
  let running = 0;
  let done = 0;
  deps.progress?.({ batchId, done, total: profiles.length, row: null });

  const waiting = profiles.map((profile, index) => ({ profile, index, key: throttleKey(profile) }));
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      if (done === profiles.length) return resolve();
      for (let i = 0; i < waiting.length && running < totalLimit;) {
        const job = waiting[i];
        if (!job || (inFlight.get(job.key) ?? 0) >= perKey || blockedUntil.has(job.key)) {
          i++;
          continue;
        }
        waiting.splice(i, 1);
        running++;
        inFlight.set(job.key, (inFlight.get(job.key) ?? 0) + 1);
        void runOne(job).then((row) => {
          running--;
          inFlight.set(job.key, (inFlight.get(job.key) ?? 1) - 1);
          rows[job.index] = row;
          done++;
          // A progress listener that throws (a window gone mid-batch) must not stall the batch: pump regardless.
          try {
            deps.progress?.({ batchId, done, total: profiles.length, row });
          } finally {
            pump();
          }
        });
      }
    };
    const runOne = async (job: (typeof waiting)[number]): Promise<TestAllRow> => {
      for (let attempt = 0; ; attempt++) {
        let report: TestReport;
        try {
          report = await deps.test(job.profile.id);
        } catch (error) {
          return rowOf(job.profile, null, deps.clock.now(), error instanceof Error ? error.name : 'Error');
        }
        const seconds = throttledFor(report);
        if (seconds === null || attempt >= MAX_THROTTLE_WAITS || seconds > MAX_THROTTLE_WAIT_SECONDS)
          return rowOf(job.profile, report, deps.clock.now());
        // Everyone on this app × mailbox waits, not only the one that was told to.
        let pause = blockedUntil.get(job.key);
        if (!pause) {
          pause = deps.sleep(Math.ceil(seconds * 1000)).finally(() => {
            blockedUntil.delete(job.key);
            pump();
          });
          blockedUntil.set(job.key, pause);
        }
        await pause;
      }
    };
    pump();
  });
  return { batchId, startedAt, finishedAt: deps.clock.now().toISOString(), rows: rows.filter((r) => r !== undefined) };
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
