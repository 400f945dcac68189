/**
 * How the worker waits per mailbox. The per-mailbox pacing module plugs in here; this one keeps a small
 * in-flight limit per mailbox and honours a Retry-After for the whole mailbox.
 */
export interface RelayPacer {
  /** Earliest time (ms) the mailbox may be sent to; <= now means now. */
  readyAt(mailbox: string): number;
  /** A slot for one send; false when the mailbox already has its limit in flight. */
  tryAcquire(mailbox: string): (() => void) | null;
  /** Graph answered with Retry-After: nothing to this mailbox before then. */
  pause(mailbox: string, untilMs: number): void;
}

export class SimpleRelayPacer implements RelayPacer {
  private readonly inFlight = new Map<string, number>();
  private readonly paused = new Map<string, number>();
  // Outlook allows 4 concurrent requests per app and mailbox; the relay leaves room for the window's own tests.
  constructor(private readonly perMailbox = 2) {}

  readyAt(mailbox: string): number {
    return this.paused.get(mailbox.toLowerCase()) ?? 0;
  }

  tryAcquire(mailbox: string): (() => void) | null {
    const key = mailbox.toLowerCase();
    const n = this.inFlight.get(key) ?? 0;
    if (n >= this.perMailbox) return null;
    this.inFlight.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
    };
  }

  pause(mailbox: string, untilMs: number): void {
    const key = mailbox.toLowerCase();
    this.paused.set(key, Math.max(this.paused.get(key) ?? 0, untilMs));
  }
}
