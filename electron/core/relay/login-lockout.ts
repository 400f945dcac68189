/** Failed logins per client address: after `threshold` failures, each further try waits twice as long (capped). */
export interface LockoutPolicy {
  threshold: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { threshold: 5, baseMs: 30_000, maxMs: 15 * 60_000 };

interface Entry {
  failures: number;
  lockedUntil: number;
}

export class LoginLockout {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly policy: LockoutPolicy,
    private readonly now: () => number,
  ) {}

  /** Milliseconds the address must still wait; 0 when it may try. */
  lockedFor(address: string): number {
    const e = this.entries.get(address);
    return e === undefined ? 0 : Math.max(0, e.lockedUntil - this.now());
  }

  fail(address: string): void {
    const e = this.entries.get(address) ?? { failures: 0, lockedUntil: 0 };
    e.failures += 1;
    const over = e.failures - this.policy.threshold;
    if (over >= 0) e.lockedUntil = this.now() + Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** Math.min(over, 20));
    this.entries.set(address, e);
    // A scan of many addresses must not grow the map without bound.
    if (this.entries.size > 10_000) this.entries.delete(this.entries.keys().next().value ?? '');
  }

  succeed(address: string): void {
    this.entries.delete(address);
  }
}
