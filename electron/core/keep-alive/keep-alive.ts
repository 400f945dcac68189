import type { ProfileView } from '../../../shared/domain';
import { lastSessionUse } from '../../../shared/profile-health';
import type { Clock, Logger, Timer } from '../ports';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The scheduler wakes up hourly and refreshes what is due, rather than sleeping a whole interval:
 * a laptop that slept through the due time catches up within the hour, and setTimeout cannot hold
 * more than ~24.8 days anyway.
 */
export const KEEP_ALIVE_CHECK_MS = HOUR_MS;
/** The first check soon after start, not during it: the app window comes first. */
export const KEEP_ALIVE_FIRST_CHECK_MS = 60_000;
/** After a failure: try again a day later (a network outage passes), never in a loop (OA-4). */
export const KEEP_ALIVE_RETRY_MS = DAY_MS;

export interface KeepAliveDeps {
  timer: Timer;
  clock: Clock;
  logger: Logger;
  /** Days between refreshes (settings, read at every check so a change applies without restart). */
  intervalDays: () => number;
  profiles: () => ProfileView[];
  /** One silent refresh; records its own success or failure on the profile and never throws. */
  refresh: (profileId: string) => Promise<void>;
}

/**
 * Due: a signed-in Modern Authentication profile whose session was last used `intervalDays` ago;
 * after a failure, again once a day (or sooner, if the interval is shorter).
 */
export function isKeepAliveDue(profile: ProfileView, now: Date, intervalDays: number): boolean {
  const delegated = profile.delegated;
  if (profile.accountType !== 'modern-auth' || delegated === null) return false;
  const interval = intervalDays * DAY_MS;
  const alive = Date.parse(lastSessionUse(delegated));
  const failedAt = delegated.lastRefreshError === null ? Number.NaN : Date.parse(delegated.lastRefreshError.at);
  if (failedAt > alive) return now.getTime() - failedAt >= Math.min(interval, KEEP_ALIVE_RETRY_MS);
  return now.getTime() - alive >= interval;
}

/**
 * Keeps Entra's 90-day inactivity window of each signed-in profile from lapsing while the app runs:
 * every refresh redeems the refresh token, which starts a new window. Profiles are refreshed one
 * after another (no burst of parallel token requests at start-up).
 */
export class KeepAliveScheduler {
  private cancel: (() => void) | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

  constructor(private readonly deps: KeepAliveDeps) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(KEEP_ALIVE_FIRST_CHECK_MS);
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
  }

  /** Refreshes every due profile once; a second call while one runs joins it. Returns how many were due. */
  runDue(): Promise<number> {
    this.running ??= this.refreshDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(ms: number): void {
    this.cancel = this.deps.timer.after(ms, async () => {
      this.cancel = undefined;
      try {
        await this.runDue();
      } finally {
        if (!this.stopped) this.schedule(KEEP_ALIVE_CHECK_MS);
      }
    });
  }

  private async refreshDue(): Promise<number> {
    const { clock, logger } = this.deps;
    let due: ProfileView[];
    try {
      const days = this.deps.intervalDays();
      due = this.deps.profiles().filter((p) => isKeepAliveDue(p, clock.now(), days));
    } catch (error) {
      // An unreadable store is reported where the admin works with it; the next check tries again.
      logger.warn('keep-alive: profiles unreadable', { error: error instanceof Error ? error.message : String(error) });
      return 0;
    }
    for (const profile of due) await this.deps.refresh(profile.id);
    return due.length;
  }
}
