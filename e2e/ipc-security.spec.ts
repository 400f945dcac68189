import { readdir } from 'node:fs/promises';
import { DEMO } from './emulator';
import { expect, probesOf, test } from './fixtures';

type Invoke = (channel: string, arg: unknown) => Promise<unknown>;

// SH-2: junk through the real binding is refused and stores nothing.
test('junk sent over the IPC bridge is refused before it reaches the core, and nothing is stored', async ({ openHost }) => {
  const host = await openHost({ locale: 'en' });
  const { page, dataDir } = host;
  probesOf(host); // the raw binding exists only in the browser test host
  const call = (channel: string, arg: unknown) =>
    page.evaluate(
      async ([c, a]) => {
        const invoke = (globalThis as unknown as { __absenderInvoke: Invoke }).__absenderInvoke;
        try {
          return { reply: await invoke(c, a) };
        } catch (e) {
          return { thrown: String(e) };
        }
      },
      [channel, arg] as const,
    );
  const junk = [
    ['absender:profiles.save', { draft: { name: 'x' }, extra: '<script>' }],
    ['absender:profiles.save', 'DROP TABLE'],
    ['absender:profiles.delete', { id: '../../etc/passwd', revision: 1 }],
    ['absender:settings.update', { language: 'fr' }],
    ['absender:tests.run', { profileId: 'a', testMessageTo: 'not-an-address' }],
  ] as const;
  for (const [channel, arg] of junk) {
    expect(await call(channel, arg), `${channel} ${JSON.stringify(arg)}`).toMatchObject({
      reply: { ok: false, error: { code: 'invalid-request' } },
    });
  }
  // No generic pass-through: an unknown channel is not answered at all.
  expect(await call('absender:app.eval', 'process.exit()')).toMatchObject({
    thrown: expect.stringContaining('Unknown IPC channel'),
  });
  expect(await call('absender:profiles.list', undefined)).toEqual({ reply: { ok: true, value: [] } });
  expect((await readdir(dataDir)).filter((f) => f.startsWith('secrets'))).toEqual([]);
  // The window's API object cannot be swapped by page code.
  expect(await page.evaluate(() => Object.isFrozen((globalThis as unknown as { absender: object }).absender))).toBe(true);
});

test('the renderer can reach no network: a fetch to the login host is blocked by the CSP (EL-7)', async ({
  openHost,
  emulator,
}) => {
  const host = await openHost({ locale: 'en', withEmulator: true });
  const probes = probesOf(host);
  const outcome = await host.page.evaluate(async (url) => {
    try {
      await fetch(url);
      return 'reached';
    } catch {
      return 'blocked';
    }
  }, `${emulator.authorityHost}/${DEMO.tenantId}/v2.0/.well-known/openid-configuration`);
  expect(outcome).toBe('blocked');
  expect(emulator.requests()).toEqual([]);
  await expect.poll(() => probes.cspViolations.some((v) => v.startsWith('connect-src'))).toBe(true);
  probes.cspViolations.length = 0; // this violation was the point; any other still fails the spec
});

// EL-17: the browser host applies the product's sender rule (isTrustedFrame), not a prefix test of its own.
test('only the app page as top-level frame may call the API: a sub-frame, a look-alike host and another page are refused', async ({
  openHost,
}) => {
  const host = await openHost({ locale: 'en' });
  const { page } = host;
  probesOf(host); // the raw binding exists only in the browser test host
  const list = async (target: 'top' | 'sub-frame') =>
    page.evaluate(async (where) => {
      interface Win {
        __absenderInvoke: Invoke;
        document: { createElement(tag: 'iframe'): { contentWindow: unknown }; body: { append(el: unknown): void } };
      }
      let win = globalThis as unknown as Win;
      if (where === 'sub-frame') {
        // about:blank inherits the app's origin: only "no sub-frames" keeps it out.
        const frame = win.document.createElement('iframe');
        win.document.body.append(frame);
        win = frame.contentWindow as Win;
      }
      try {
        return { reply: await win.__absenderInvoke('absender:profiles.list', undefined) };
      } catch (e) {
        return { thrown: String(e) };
      }
    }, target);
  expect(await list('top')).toEqual({ reply: { ok: true, value: [] } });
  expect(await list('sub-frame')).toEqual({ thrown: expect.stringContaining('IPC sender refused') });

  // Top-level pages that are not the app page: a host that merely starts like the app's, another page of
  // the app's origin (a prefix test let that one through). The binding is there; the rule refuses both.
  for (const foreign of ['http://absender.localhost.evil.example/index.html', 'http://absender.localhost/other.html']) {
    await page.route(foreign, (route) => route.fulfill({ contentType: 'text/html', body: '<p>not the app</p>' }));
    await page.goto(foreign);
    expect(page.url()).toBe(foreign);
    expect(await list('top'), foreign).toEqual({ thrown: expect.stringContaining('IPC sender refused') });
  }
});
