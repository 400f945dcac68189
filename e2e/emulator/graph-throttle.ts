/** Outlook's per-mailbox limits (Graph throttling-limits, Exchange Online sending limits), switchable per test. */

export interface MailboxThrottling {
  /** Exchange Online: messages a mailbox may send in a sliding minute (30); null = off. */
  messagesPerMinute: number | null;
  /** Outlook service limit: concurrent requests per app per mailbox (4); null = off. */
  concurrentRequests: number | null;
  /** Outlook service limit: uploaded bytes per app per mailbox in 5 minutes (150 MB); null = off. */
  uploadBytesPer5Minutes: number | null;
  /** Simulated Exchange processing time per mailbox request (ms), so concurrency can be provoked in tests. */
  serviceTimeMs: number;
}

/** Graph's documented values. */
export const REALISTIC_THROTTLING: MailboxThrottling = {
  messagesPerMinute: 30,
  concurrentRequests: 4,
  uploadBytesPer5Minutes: 150 * 1024 * 1024,
  serviceTimeMs: 0,
};

/** Default: off, because existing suites send more than 30 messages a minute to the sender mailbox. */
export const NO_THROTTLING: MailboxThrottling = {
  messagesPerMinute: null,
  concurrentRequests: null,
  uploadBytesPer5Minutes: null,
  serviceTimeMs: 0,
};

export type ThrottleLimit = 'MailboxConcurrency' | 'MessageRate' | 'MailboxUploadVolume';

export interface ThrottleVerdict {
  limit: ThrottleLimit;
  retryAfterSeconds: number;
}

const MINUTE = 60_000;
const FIVE_MINUTES = 5 * MINUTE;

export class MailboxThrottle {
  settings: MailboxThrottling = { ...NO_THROTTLING };
  private inFlight = new Map<string, number>();
  private sends = new Map<string, number[]>();
  private uploads = new Map<string, { at: number; bytes: number }[]>();

  constructor(private readonly now: () => number) {}

  configure(s: Partial<MailboxThrottling> | 'realistic' | 'off'): void {
    if (s === 'realistic') this.settings = { ...REALISTIC_THROTTLING };
    else if (s === 'off') this.settings = { ...NO_THROTTLING };
    else this.settings = { ...this.settings, ...s };
  }

  reset(): void {
    this.inFlight.clear();
    this.sends.clear();
    this.uploads.clear();
  }

  /** Enters a concurrency slot for app × mailbox; undefined = admitted (call the returned release later). */
  enter(appId: string, mailboxId: string): { verdict?: ThrottleVerdict; release: () => void } {
    const key = `${appId}|${mailboxId}`;
    const limit = this.settings.concurrentRequests;
    const current = this.inFlight.get(key) ?? 0;
    if (limit !== null && current >= limit) {
      return { verdict: { limit: 'MailboxConcurrency', retryAfterSeconds: 1 }, release: () => undefined };
    }
    this.inFlight.set(key, current + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const n = (this.inFlight.get(key) ?? 1) - 1;
        if (n <= 0) this.inFlight.delete(key);
        else this.inFlight.set(key, n);
      },
    };
  }

  /** Counts uploaded bytes (request bodies on mailbox routes) against the 5-minute volume. */
  upload(appId: string, mailboxId: string, bytes: number): ThrottleVerdict | undefined {
    const limit = this.settings.uploadBytesPer5Minutes;
    if (limit === null || bytes === 0) return undefined;
    const key = `${appId}|${mailboxId}`;
    const now = this.now();
    const list = (this.uploads.get(key) ?? []).filter((u) => u.at > now - FIVE_MINUTES);
    const used = list.reduce((s, u) => s + u.bytes, 0);
    this.uploads.set(key, list);
    if (used + bytes > limit) {
      const oldest = list[0]?.at ?? now;
      return { limit: 'MailboxUploadVolume', retryAfterSeconds: Math.max(1, Math.ceil((oldest + FIVE_MINUTES - now) / 1000)) };
    }
    list.push({ at: now, bytes });
    return undefined;
  }

  /** Counts one submitted message for the mailbox (sendMail or message send). */
  send(mailboxId: string): ThrottleVerdict | undefined {
    const limit = this.settings.messagesPerMinute;
    if (limit === null) return undefined;
    const now = this.now();
    const list = (this.sends.get(mailboxId) ?? []).filter((t) => t > now - MINUTE);
    this.sends.set(mailboxId, list);
    if (list.length >= limit) {
      const oldest = list[0] ?? now;
      return { limit: 'MessageRate', retryAfterSeconds: Math.max(1, Math.ceil((oldest + MINUTE - now) / 1000)) };
    }
    list.push(now);
    return undefined;
  }
}
