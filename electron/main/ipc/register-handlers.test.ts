import { describe, expect, it } from 'vitest';
import { isTrustedSender, registerHandlers } from './register-handlers';

const APP = 'file:///opt/absender/resources/app/dist/renderer/index.html';
const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } }) as never;

// EL-17: only the app page, as top-level frame, reaches a handler.
describe('IPC sender check', () => {
  it('accepts only the app page itself, as top-level frame', () => {
    expect(isTrustedSender(frame(APP), APP)).toBe(true);
    expect(isTrustedSender(frame(`${APP}#/x`), APP)).toBe(true);
    expect(isTrustedSender(frame(APP, {}), APP)).toBe(false);
    expect(isTrustedSender(frame('https://login.microsoftonline.com/common/oauth2/nativeclient'), APP)).toBe(false);
    expect(isTrustedSender(frame('file:///tmp/evil.html'), APP)).toBe(false);
    expect(isTrustedSender({ senderFrame: null }, APP)).toBe(false);
  });

  it('refuses a foreign sender before the handler runs', async () => {
    let called = 0;
    const registered = new Map<string, (event: unknown, arg: unknown) => Promise<unknown>>();
    registerHandlers(
      {
        handle: (channel: string, fn: (event: unknown, arg: unknown) => Promise<unknown>) => registered.set(channel, fn),
      } as never,
      new Map([['absender:app.info', () => Promise.resolve({ ok: true as const, value: (called += 1) })]]),
      APP,
    );
    await expect(registered.get('absender:app.info')?.(frame('https://evil.example/'), undefined)).rejects.toThrow('refused');
    expect(called).toBe(0);
    await expect(registered.get('absender:app.info')?.(frame(APP), undefined)).resolves.toEqual({ ok: true, value: 1 });
  });
});
