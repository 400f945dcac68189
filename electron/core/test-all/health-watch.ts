import type { Language } from '../../../shared/domain';
import type { TestAllResult, TestAllRow } from '../../../shared/ipc/contract';
import { t } from '../../../shared/i18n/translate';
import type { Clock, Logger, Notifier, Timer } from '../ports';

const HOUR_MS = 3_600_000;
export const HEALTH_CHECK_INTERVAL_MS = 24 * HOUR_MS;
/** Wakes hourly and runs when a day has passed: a laptop that slept catches up within the hour. */
export const HEALTH_WAKE_MS = HOUR_MS;
/** The first check a while after start: the window and the keep-alive come first. */
export const HEALTH_FIRST_CHECK_MS = 5 * 60_000;

const RANK: Record<TestAllRow['state'], number> = { ok: 0, warning: 1, failed: 2 };

export interface HealthWatchDeps {
  timer: Timer;
  clock: Clock;
  logger: Logger;
  notifier: Notifier;
  language: () => Language;
  /** The same batch as the toolbar's "Test all" (no test message). */
  testAll: () => Promise<TestAllResult>;
  /** The last known outcome per profile before this app run (the profiles' stored last test). */
  baseline: () => Map<string, TestAllRow['state']>;
}

/**
 * The running app's daily check: tests every profile once a day and notifies about each one that got
 * worse since the last check (ok → warning, warning → failed), never twice for the same state.
 */
export class HealthWatch {
  private cancel: (() => void) | undefined;
  private stopped = true;
  private lastRunAt: number | null = null;
  private known: Map<string, TestAllRow['state']> | null = null;

  constructor(private readonly deps: HealthWatchDeps) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(HEALTH_FIRST_CHECK_MS);
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
  }

  /** Runs the check now; returns the rows that were notified. */
  async check(): Promise<TestAllRow[]> {
    const known = this.known ?? this.deps.baseline();
    this.lastRunAt = this.deps.clock.now().getTime();
    const result = await this.deps.testAll();
    const worse = result.rows.filter((row) => RANK[row.state] > RANK[known.get(row.profileId) ?? 'ok']);
    this.known = new Map(result.rows.map((r) => [r.profileId, r.state]));
    const language = this.deps.language();
    for (const row of worse) {
      const key = row.state === 'failed' ? 'health.failed' : 'health.warning';
      this.deps.notifier.notify({
        title: t(language, `host:${key}.title`, { name: row.name }),
        body: t(language, `host:${key}.body`, { name: row.name, step: row.failedStep ?? '–' }),
        profileId: row.profileId,
      });
    }
    if (worse.length > 0) this.deps.logger.info('health check: profiles got worse', { count: worse.length });
    return worse;
  }

  private schedule(ms: number): void {
    this.cancel = this.deps.timer.after(ms, async () => {
      this.cancel = undefined;
      try {
        const now = this.deps.clock.now().getTime();
        if (this.lastRunAt === null || now - this.lastRunAt >= HEALTH_CHECK_INTERVAL_MS) await this.check();
      } catch (error) {
        this.deps.logger.warn('health check failed', { error: error instanceof Error ? error.name : 'Error' });
      } finally {
        if (!this.stopped) this.schedule(HEALTH_WAKE_MS);
      }
    });
  }
}
