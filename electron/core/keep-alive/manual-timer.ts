import type { Timer } from '../ports';

/**
 * A Timer that only moves when told: for the scheduler's unit tests and the browser test host, where
 * a real hourly timer would make runs depend on wall-clock time.
 */
export class ManualTimer implements Timer {
  private readonly pending = new Map<number, { at: number; fn: () => Promise<void> | void }>();
  private nextId = 0;
  private elapsed = 0;

  after(ms: number, fn: () => Promise<void> | void): () => void {
    const id = this.nextId++;
    this.pending.set(id, { at: this.elapsed + ms, fn });
    return () => this.pending.delete(id);
  }

  /** Fake milliseconds since construction: a fake clock can follow it, so callbacks see their own time. */
  get elapsedMs(): number {
    return this.elapsed;
  }

  /** Delays of the callbacks waiting now, relative to the current fake time. */
  delays(): number[] {
    return [...this.pending.values()].map((p) => p.at - this.elapsed).sort((a, b) => a - b);
  }

  /** Moves fake time forward, running (and awaiting) each callback that falls due, in order. */
  async advance(ms: number): Promise<void> {
    const until = this.elapsed + ms;
    for (;;) {
      const next = [...this.pending.entries()].filter(([, p]) => p.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (next === undefined) break;
      const [id, entry] = next;
      this.pending.delete(id);
      this.elapsed = entry.at;
      await entry.fn();
    }
    this.elapsed = until;
  }

  /** Runs whatever waits next, however far away (e.g. "the next keep-alive check"). */
  async runNext(): Promise<void> {
    const delays = this.delays();
    if (delays[0] !== undefined) await this.advance(delays[0]);
  }
}
