import type { Timer } from '../ports';

/** Why an attempt's wait ended before its work did. */
export type DeadlineEnd = 'timeout' | 'cancel';

/**
 * The end of one sign-in attempt: the overall timeout (OA-9) or the admin's "Cancel", whichever comes
 * first. Created before the attempt's first await, so neither can fire into a listener not yet there;
 * the timeout runs only once armed (when the page is shown). Its signal is aborted at the same moment.
 */
export class AttemptDeadline {
  private readonly controller = new AbortController();
  private stopTimer: (() => void) | null = null;
  private endedBy: DeadlineEnd | null = null;
  private resolveEnded: (why: DeadlineEnd) => void = () => undefined;
  /** Resolves once, with the first of timeout and cancel. */
  readonly ended: Promise<DeadlineEnd> = new Promise((resolve) => (this.resolveEnded = resolve));

  constructor(
    private readonly timer: Timer,
    private readonly timeoutMs: number,
  ) {}

  /** Aborted on timeout or cancel: the window port closes its window. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Null while the attempt may go on. */
  get reason(): DeadlineEnd | null {
    return this.endedBy;
  }

  /** Starts the timeout (once; not after the end). */
  arm(): void {
    if (this.stopTimer !== null || this.endedBy !== null) return;
    this.stopTimer = this.timer.after(this.timeoutMs, () => this.end('timeout'));
  }

  cancel(): void {
    this.end('cancel');
  }

  /** The attempt is over: the timer must not keep anything alive. */
  dispose(): void {
    this.stopTimer?.();
  }

  /** The work's value, or how the deadline ended it first (an end already reached wins). */
  async race<T>(work: Promise<T>): Promise<{ kind: 'done'; value: T } | { kind: DeadlineEnd }> {
    if (this.endedBy !== null) return { kind: this.endedBy };
    const outcome = await Promise.race([work.then((value) => ({ kind: 'done' as const, value })), this.ended]);
    if (outcome === 'timeout' || outcome === 'cancel') return { kind: outcome };
    return outcome;
  }

  private end(why: DeadlineEnd): void {
    if (this.endedBy !== null) return;
    this.endedBy = why;
    this.stopTimer?.();
    this.controller.abort();
    this.resolveEnded(why);
  }
}
