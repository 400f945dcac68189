import { describe, expect, it } from 'vitest';
import { abortableSleep, MailPacer, PacerAborted, systemPacingClock, type PacingClock } from './pacing';

/** Time moves only when the pacer sleeps: no test waits on the wall clock. */
function fakeClock(start = Date.parse('2026-12-01T08:00:00Z')) {
  let now = start;
  const sleeps: number[] = [];
  const clock: PacingClock = {
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
  return { clock, sleeps, advance: (ms: number) => (now += ms), elapsed: () => now - start };
}

const MiB = 1024 * 1024;

describe('MailPacer', () => {
  it('lets 30 messages a minute through per mailbox, the 31st waits for the oldest to leave the minute', async () => {
    const { clock, sleeps, advance, elapsed } = fakeClock();
    const pacer = new MailPacer(clock);
    for (let i = 0; i < 30; i += 1) {
      await pacer.message('versand@contoso.com');
      advance(1000);
    }
    expect(sleeps).toEqual([]);
    expect(pacer.messageDelayMs('versand@contoso.com')).toBe(30_000);
    // Another mailbox is not held up by this one's count.
    expect(pacer.messageDelayMs('lager@contoso.com')).toBe(0);
    await pacer.message('Versand@Contoso.com');
    expect(sleeps).toEqual([30_000]);
    expect(elapsed()).toBe(60_000);
  });

  it('keeps the upload volume at 150 MB per 5 minutes, sliding', async () => {
    const { clock, sleeps, advance } = fakeClock();
    const pacer = new MailPacer(clock);
    await pacer.upload('m', 100 * MiB);
    advance(60_000);
    await pacer.upload('m', 50 * MiB);
    expect(sleeps).toEqual([]);
    // 4 MB more do not fit until the first 100 MB are 5 minutes old.
    expect(pacer.uploadDelayMs('m', 4 * MiB)).toBe(240_000);
    await pacer.upload('m', 4 * MiB);
    expect(sleeps).toEqual([240_000]);
    expect(pacer.uploadDelayMs('m', 96 * MiB)).toBe(0);
    expect(pacer.uploadDelayMs('m', 97 * MiB)).toBe(60_000);
  });

  it('after a 429 the mailbox waits for Retry-After (seconds or HTTP date) before its next request', async () => {
    const { clock, sleeps } = fakeClock();
    const pacer = new MailPacer(clock);
    expect(pacer.throttled('m', '17')).toBe(17);
    let ran = 0;
    await pacer.request('app', 'm', () => Promise.resolve((ran += 1)));
    expect(sleeps).toEqual([17_000]);
    expect(ran).toBe(1);
    const at = new Date(clock.now() + 120_000).toUTCString();
    expect(pacer.throttled('m', at)).toBe(120);
    expect(pacer.messageDelayMs('m')).toBe(120_000);
    // No header: the fallback.
    expect(pacer.throttled('other', null, 5)).toBe(5);
  });

  it('runs at most 4 requests of one app at once; a fifth starts when one ends', async () => {
    const { clock } = fakeClock();
    const pacer = new MailPacer(clock);
    const gates: Array<() => void> = [];
    const started: number[] = [];
    const runs = Array.from({ length: 6 }, (_, i) =>
      pacer.request('app-1', `m${i}`, async () => {
        started.push(i);
        await new Promise<void>((resolve) => gates.push(resolve));
        return i;
      }),
    );
    const other = pacer.request('app-2', 'm0', () => Promise.resolve('other app'));
    await expect(other).resolves.toBe('other app');
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(pacer.inFlight('app-1')).toBe(4);
    gates[0]?.();
    await runs[0];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(pacer.inFlight('app-1')).toBe(4);
    for (let i = 1; i < 6; i += 1) {
      await new Promise((r) => setImmediate(r));
      gates[i]?.();
    }
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2, 3, 4, 5]);
    expect(pacer.inFlight('app-1')).toBe(0);
  });

  it('frees the slot when a request fails', async () => {
    const { clock } = fakeClock();
    const pacer = new MailPacer(clock, { messagesPerMinute: 30, uploadBytesPer5Minutes: 1, concurrentRequestsPerApp: 1 });
    await expect(pacer.request('a', 'm', () => Promise.reject(new Error('429')))).rejects.toThrow('429');
    await expect(pacer.request('a', 'm', () => Promise.resolve(1))).resolves.toBe(1);
  });

  it('a Retry-After wait of 120 s ends at once with PacerAborted when the owner aborts (real clock, no call made)', async () => {
    const pacer = new MailPacer(systemPacingClock);
    pacer.throttled('versand@contoso.com', '120');
    const stop = new AbortController();
    let called = false;
    const waiting = pacer
      .withSignal(stop.signal)
      .request('app', 'versand@contoso.com', () => ((called = true), Promise.resolve()));
    const message = pacer.withSignal(stop.signal).message('versand@contoso.com');
    setTimeout(() => stop.abort(), 20);
    await expect(waiting).rejects.toBeInstanceOf(PacerAborted);
    await expect(message).rejects.toBeInstanceOf(PacerAborted);
    expect(called).toBe(false);
    // The shared counts saw no send, and the pause still holds for the pacer itself.
    expect(pacer.messageDelayMs('versand@contoso.com')).toBeGreaterThan(100_000);
  });

  it('a request waiting for an app slot leaves the line on abort; the slot goes to the next, the count stays right', async () => {
    const { clock } = fakeClock();
    const pacer = new MailPacer(clock, { messagesPerMinute: 30, uploadBytesPer5Minutes: 1, concurrentRequestsPerApp: 1 });
    let release!: () => void;
    const first = pacer.request('a', 'm', () => new Promise<void>((resolve) => (release = resolve)));
    const stop = new AbortController();
    const aborted = pacer.withSignal(stop.signal).request('a', 'm', () => Promise.resolve('never'));
    const next = pacer.request('a', 'm', () => Promise.resolve('next'));
    stop.abort();
    await expect(aborted).rejects.toBeInstanceOf(PacerAborted);
    expect(pacer.inFlight('a')).toBe(1);
    release();
    await first;
    await expect(next).resolves.toBe('next');
    expect(pacer.inFlight('a')).toBe(0);
    // An aborted view refuses at once; the pacer without a signal is not affected.
    await expect(pacer.withSignal(stop.signal).message('m')).rejects.toBeInstanceOf(PacerAborted);
    await expect(pacer.message('m')).resolves.toBeUndefined();
  });

  it('abortableSleep clears its timer on abort', async () => {
    const stop = new AbortController();
    const slept = abortableSleep(120_000, stop.signal);
    stop.abort();
    await expect(slept).resolves.toBeUndefined();
  });
});
