import { describe, expect, it } from 'vitest';
import { ManualTimer } from '../keep-alive/manual-timer';
import { AttemptDeadline } from './attempt-deadline';

const never = new Promise<string>(() => undefined);

describe('AttemptDeadline (timeout + cancel of one sign-in attempt)', () => {
  it('does not run the timeout before it is armed; armed, the timer ends it and aborts the signal', async () => {
    const timer = new ManualTimer();
    const deadline = new AttemptDeadline(timer, 1000);
    await timer.advance(5000);
    expect(deadline.reason).toBeNull();
    deadline.arm();
    deadline.arm(); // once only
    expect(timer.delays()).toEqual([1000]);
    const raced = deadline.race(never);
    await timer.advance(1000);
    expect(await raced).toEqual({ kind: 'timeout' });
    expect(deadline.signal.aborted).toBe(true);
  });

  it('a cancel before anything waits is not lost: the next race ends at once', async () => {
    const timer = new ManualTimer();
    const deadline = new AttemptDeadline(timer, 1000);
    deadline.cancel();
    expect(await deadline.race(Promise.resolve('late'))).toEqual({ kind: 'cancel' });
    deadline.arm();
    expect(timer.delays()).toEqual([]); // nothing left to time
    expect(deadline.signal.aborted).toBe(true);
  });

  it('the work that finishes first wins; the first end stays the reason; dispose stops the timer', async () => {
    const timer = new ManualTimer();
    const deadline = new AttemptDeadline(timer, 1000);
    deadline.arm();
    expect(await deadline.race(Promise.resolve('code'))).toEqual({ kind: 'done', value: 'code' });
    deadline.dispose();
    expect(timer.delays()).toEqual([]);
    const other = new AttemptDeadline(timer, 1000);
    other.arm();
    await timer.advance(1000);
    other.cancel();
    expect(other.reason).toBe('timeout');
  });
});
