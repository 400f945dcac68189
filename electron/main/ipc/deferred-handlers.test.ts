import { describe, expect, it } from 'vitest';
import type { Handler } from '../../core/ipc/request-handlers';
import { API_METHODS } from '../../../shared/ipc/manifest';
import { handlersAwaiting, REQUEST_CHANNELS } from './deferred-handlers';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('handlersAwaiting (IPC before the core exists)', () => {
  it('covers every method of the manifest', () => {
    const count = Object.values(API_METHODS).reduce((n, methods) => n + methods.length, 0);
    expect(REQUEST_CHANNELS).toHaveLength(count);
    expect(REQUEST_CHANNELS).toContain('absender:app.info');
    expect(REQUEST_CHANNELS).toContain('absender:profiles.list');
  });

  it('a request made before the core is ready waits for it and gets the real answer', async () => {
    const core = deferred<ReadonlyMap<string, Handler>>();
    const handlers = handlersAwaiting(REQUEST_CHANNELS, core.promise);
    let answered = false;
    const pending = handlers
      .get('absender:app.info')?.('arg')
      .then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 5));
    expect(answered).toBe(false);
    const seen: unknown[] = [];
    core.resolve(
      new Map([['absender:app.info', (arg: unknown) => Promise.resolve({ ok: true as const, value: (seen.push(arg), 'v') })]]),
    );
    await expect(pending).resolves.toEqual({ ok: true, value: 'v' });
    expect(seen).toEqual(['arg']);
  });

  it('answers internal (never hangs, never rejects unhandled) when start-up failed', async () => {
    const core = deferred<ReadonlyMap<string, Handler>>();
    const handlers = handlersAwaiting(['absender:profiles.list'], core.promise);
    const pending = handlers.get('absender:profiles.list')?.(undefined);
    core.reject(new Error('keychain refused'));
    await expect(pending).resolves.toEqual({ ok: false, error: { code: 'internal', params: {} } });
  });
});
