import { describe, expect, it, vi } from 'vitest';
import { quitGuard } from './quit-guard';

const event = () => ({ preventDefault: vi.fn() });

/** A close the test ends by hand, and a sleep the test fires by hand. */
function harness(timeoutMs = 10_000) {
  let finishClose!: () => void;
  let failClose!: (e: Error) => void;
  let fireTimeout!: () => void;
  const order: string[] = [];
  const close = vi.fn(
    () =>
      new Promise<void>((resolve, reject) => {
        order.push('close');
        finishClose = () => {
          order.push('closed');
          resolve();
        };
        failClose = reject;
      }),
  );
  const sleep = vi.fn(
    (ms: number) => new Promise<void>((resolve) => (fireTimeout = () => (expect(ms).toBe(timeoutMs), resolve()))),
  );
  const exit = vi.fn(() => order.push('exit'));
  const guard = quitGuard({ close, timeoutMs, exit, sleep });
  return {
    guard,
    close,
    exit,
    order,
    finish: () => finishClose(),
    fail: (e: Error) => failClose(e),
    timeout: () => fireTimeout(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('quitGuard', () => {
  it('holds the first will-quit until the relay closed, then exits once', async () => {
    const h = harness();
    const first = event();
    h.guard.willQuit(first);
    expect(first.preventDefault).toHaveBeenCalledTimes(1);
    await tick();
    expect(h.close).toHaveBeenCalledTimes(1);
    expect(h.exit).not.toHaveBeenCalled();
    // A second quit request while closing is held too, and does not close twice.
    const second = event();
    h.guard.willQuit(second);
    expect(second.preventDefault).toHaveBeenCalledTimes(1);
    h.finish();
    await expect(h.guard.closing).resolves.toBe('closed');
    await tick();
    expect(h.order).toEqual(['close', 'closed', 'exit']);
    expect(h.close).toHaveBeenCalledTimes(1);
    // After exit a will-quit passes: the app must stay quittable.
    const after = event();
    h.guard.willQuit(after);
    expect(after.preventDefault).not.toHaveBeenCalled();
  });

  it('is bounded: a close that never ends exits at the timeout', async () => {
    const h = harness(10_000);
    h.guard.willQuit(event());
    await tick();
    h.timeout();
    await expect(h.guard.closing).resolves.toBe('timeout');
    await tick();
    expect(h.exit).toHaveBeenCalledTimes(1);
  });

  it('a close that throws still exits', async () => {
    const h = harness();
    h.guard.willQuit(event());
    await tick();
    h.fail(new Error('EIO'));
    await expect(h.guard.closing).resolves.toBe('failed');
    await tick();
    expect(h.exit).toHaveBeenCalledTimes(1);
  });

  it("Windows' session-end starts the close at once without exiting; a later will-quit shares it", async () => {
    const h = harness();
    h.guard.sessionEnd();
    await tick();
    expect(h.close).toHaveBeenCalledTimes(1);
    expect(h.exit).not.toHaveBeenCalled();
    const quit = event();
    h.guard.willQuit(quit);
    expect(quit.preventDefault).toHaveBeenCalledTimes(1);
    h.finish();
    await h.guard.closing;
    await tick();
    expect(h.close).toHaveBeenCalledTimes(1);
    // The will-quit that arrived during a session-end close is not left hanging.
    expect(h.exit).toHaveBeenCalledTimes(1);
  });
});
