import { retryAfterSeconds } from '../net/retry-after';

const MiB = 1024 * 1024;
const MINUTE = 60_000;
const FIVE_MINUTES = 5 * MINUTE;

/** Exchange Online's per-mailbox limits and Graph's per-app concurrency for Outlook (throttling-limits). */
export interface PacingLimits {
  /** Messages a mailbox submits in a sliding minute. */
  messagesPerMinute: number;
  /** Bytes uploaded to one mailbox in a sliding 5 minutes (attachments, upload chunks). */
  uploadBytesPer5Minutes: number;
  /** Requests of one app under way at once (a fifth gets 429 MailboxConcurrency). */
  concurrentRequestsPerApp: number;
}

export const MAILBOX_LIMITS: PacingLimits = {
  messagesPerMinute: 30,
  uploadBytesPer5Minutes: 150 * MiB,
  concurrentRequestsPerApp: 4,
};

/** Time as the pacer sees it: the real clock and setTimeout in the app, a fake that advances on sleep in tests. */
export interface PacingClock {
  now(): number;
  /** May end early when `signal` aborts (the pacer stops waiting then either way). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A timer that is cleared when `signal` aborts: a stopped worker leaves no long Retry-After timer behind. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The real clock: Date.now and a timer. */
export const systemPacingClock: PacingClock = {
  now: () => Date.now(),
  sleep: abortableSleep,
};

/** A wait in the pacer ended because its owner stops (the relay worker): the request was not made, nothing counted. */
export class PacerAborted extends Error {
  constructor() {
    super('pacer wait aborted');
    this.name = 'PacerAborted';
  }
}

const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

interface PacerShared {
  mailboxes: Map<string, MailboxState>;
  running: Map<string, number>;
  queued: Map<string, Array<{ grant: () => void; abort: () => void }>>;
}

interface MailboxState {
  sends: number[];
  uploads: Array<{ at: number; bytes: number }>;
  pausedUntil: number;
}

/**
 * Keeps one process's mail traffic under the mailbox limits, so Graph rarely has to say 429: callers wait
 * here instead (send command, SMTP relay worker). Usage per mailbox (the address or id Graph is called
 * with) and app (client id):
 *   await pacer.request(app, mailbox, () => call)   // ≤ 4 at once per app, after any Retry-After pause
 *   await pacer.message(mailbox)                    // before each send (30 a minute)
 *   await pacer.upload(mailbox, bytes)              // before each upload body (150 MB in 5 minutes)
 *   pacer.throttled(mailbox, response Retry-After)  // after a 429: the mailbox's next request waits
 * The counts live in memory: two processes sending from one mailbox each count only their own.
 */
export class MailPacer {
  private readonly mailboxes: PacerShared['mailboxes'];
  private readonly running: PacerShared['running'];
  private readonly queued: PacerShared['queued'];

  constructor(
    private readonly clock: PacingClock,
    private readonly limits: PacingLimits = MAILBOX_LIMITS,
    shared?: PacerShared,
    private readonly signal?: AbortSignal,
  ) {
    this.mailboxes = shared?.mailboxes ?? new Map<string, MailboxState>();
    this.running = shared?.running ?? new Map<string, number>();
    this.queued = shared?.queued ?? (new Map() as PacerShared['queued']);
  }

  /**
   * The same counts and slots, but every wait rejects with PacerAborted once `signal` aborts: a worker's stop() must
   * not wait out a Retry-After of minutes or the 30-a-minute pacing.
   */
  withSignal(signal: AbortSignal): MailPacer {
    return new MailPacer(
      this.clock,
      this.limits,
      { mailboxes: this.mailboxes, running: this.running, queued: this.queued },
      signal,
    );
  }

  /** After the abort nothing new starts through this view, waiting or not. */
  private refuseIfAborted(): void {
    if (isAborted(this.signal)) throw new PacerAborted();
  }

  private async wait(ms: number): Promise<void> {
    if (isAborted(this.signal)) throw new PacerAborted();
    await this.clock.sleep(ms, this.signal);
    // The sleep may have ended early for the abort.
    if (isAborted(this.signal)) throw new PacerAborted();
  }

  private state(mailbox: string): MailboxState {
    const key = mailbox.toLowerCase();
    let s = this.mailboxes.get(key);
    if (s === undefined) {
      s = { sends: [], uploads: [], pausedUntil: 0 };
      this.mailboxes.set(key, s);
    }
    return s;
  }

  /** How long a message would wait now (0 = it may go), without counting it: for a worker deciding to defer. */
  messageDelayMs(mailbox: string): number {
    const s = this.state(mailbox);
    const now = this.clock.now();
    s.sends = s.sends.filter((at) => at > now - MINUTE);
    const rate = s.sends.length < this.limits.messagesPerMinute ? 0 : (s.sends[0] ?? now) + MINUTE - now;
    return Math.max(rate, s.pausedUntil - now, 0);
  }

  /** Waits until the mailbox may submit one more message in its sliding minute, then counts it. */
  async message(mailbox: string): Promise<void> {
    this.refuseIfAborted();
    for (;;) {
      const wait = this.messageDelayMs(mailbox);
      if (wait === 0) break;
      await this.wait(wait);
    }
    this.state(mailbox).sends.push(this.clock.now());
  }

  /** How long an upload of `bytes` would wait now, without counting it. */
  uploadDelayMs(mailbox: string, bytes: number): number {
    const s = this.state(mailbox);
    const now = this.clock.now();
    s.uploads = s.uploads.filter((u) => u.at > now - FIVE_MINUTES);
    let used = s.uploads.reduce((sum, u) => sum + u.bytes, 0);
    let wait = 0;
    // Oldest first: the moment enough of the window has slid by for these bytes to fit.
    for (const u of s.uploads) {
      if (used + bytes <= this.limits.uploadBytesPer5Minutes) break;
      used -= u.bytes;
      wait = u.at + FIVE_MINUTES - now;
    }
    return Math.max(wait, s.pausedUntil - now, 0);
  }

  /** Waits until `bytes` more fit the mailbox's 5-minute upload volume, then counts them. */
  async upload(mailbox: string, bytes: number): Promise<void> {
    this.refuseIfAborted();
    for (;;) {
      const wait = this.uploadDelayMs(mailbox, bytes);
      if (wait === 0) break;
      await this.wait(wait);
    }
    this.state(mailbox).uploads.push({ at: this.clock.now(), bytes });
  }

  /**
   * A 429 from Graph: the mailbox's next request waits for Retry-After (seconds or an HTTP date, read by the
   * one Retry-After reader); `fallbackSeconds` when the answer had none. Returns the wait in seconds.
   */
  throttled(mailbox: string, retryAfter: string | null | undefined, fallbackSeconds = 1): number {
    const now = this.clock.now();
    const seconds = retryAfterSeconds(retryAfter, now) ?? fallbackSeconds;
    const s = this.state(mailbox);
    s.pausedUntil = Math.max(s.pausedUntil, now + seconds * 1000);
    return seconds;
  }

  /** Runs `call` in one of the app's request slots, after the mailbox's Retry-After pause (if any). */
  async request<T>(app: string, mailbox: string, call: () => Promise<T>): Promise<T> {
    this.refuseIfAborted();
    for (;;) {
      const wait = this.state(mailbox).pausedUntil - this.clock.now();
      if (wait <= 0) break;
      await this.wait(wait);
    }
    await this.acquire(app.toLowerCase());
    try {
      return await call();
    } finally {
      this.release(app.toLowerCase());
    }
  }

  /** Requests of the app under way now (for tests and a worker's status). */
  inFlight(app: string): number {
    return this.running.get(app.toLowerCase()) ?? 0;
  }

  private acquire(app: string): Promise<void> {
    const n = this.running.get(app) ?? 0;
    if (n < this.limits.concurrentRequestsPerApp) {
      this.running.set(app, n + 1);
      return Promise.resolve();
    }
    const signal = this.signal;
    if (signal?.aborted === true) return Promise.reject(new PacerAborted());
    return new Promise((resolve, reject) => {
      const queue = this.queued.get(app) ?? [];
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', waiter.abort);
          resolve();
        },
        // Out of the line without a slot: the count is not touched.
        abort: () => {
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          reject(new PacerAborted());
        },
      };
      // The slot passes straight to the next waiter: the count stays at the limit.
      queue.push(waiter);
      this.queued.set(app, queue);
      signal?.addEventListener('abort', waiter.abort, { once: true });
    });
  }

  private release(app: string): void {
    const next = this.queued.get(app)?.shift();
    if (next !== undefined) {
      next.grant();
      return;
    }
    const n = (this.running.get(app) ?? 1) - 1;
    if (n <= 0) this.running.delete(app);
    else this.running.set(app, n);
  }
}
