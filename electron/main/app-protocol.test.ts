import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_URL, appFileResponder, resolveAppFile } from './app-protocol';

const ROOT = '/opt/absender/resources/app.asar/dist/renderer';

describe('resolveAppFile (EL-18)', () => {
  it('serves files inside the bundle', () => {
    expect(resolveAppFile(APP_URL, ROOT)).toEqual({ path: join(ROOT, 'index.html'), mime: 'text/html; charset=utf-8' });
    expect(resolveAppFile('app://absender/', ROOT)?.path).toBe(join(ROOT, 'index.html'));
    expect(resolveAppFile('app://absender/assets/index-abc.js?x=1#y', ROOT)).toEqual({
      path: join(ROOT, 'assets/index-abc.js'),
      mime: 'text/javascript; charset=utf-8',
    });
  });

  it.each([
    'app://absender/../../../etc/passwd',
    'app://absender/%2e%2e/%2e%2e/etc/passwd',
    'app://absender/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://absender/%2fetc%2fpasswd',
    'app://absender/..\\..\\windows\\win.ini',
    'app://absender/assets/%00.js',
  ])('never leaves the bundle for %s', (url) => {
    const resolved = resolveAppFile(url, ROOT);
    if (resolved !== null) expect(resolved.path.startsWith(ROOT + sep)).toBe(true);
  });

  it.each(['app://absender/assets/..%2f..%2f..%2fetc%2fpasswd', 'app://absender/..\\x', 'app://absender/a%00b'])(
    'refuses encoded escapes %s',
    (url) => {
      expect(resolveAppFile(url, ROOT)).toBeNull();
    },
  );

  it.each(['app://absender/%E0%A4%A', 'app://evil/index.html', 'file:///etc/passwd', 'https://absender/index.html', 'not a url'])(
    'refuses %s',
    (url) => {
      expect(resolveAppFile(url, ROOT)).toBeNull();
    },
  );
});

describe('appFileResponder (protocol.handle)', () => {
  const files = new Map([[join(ROOT, 'index.html'), new TextEncoder().encode('<html></html>')]]);
  const read = (path: string) => {
    const body = files.get(path);
    return body ? Promise.resolve(body) : Promise.reject(new Error('ENOENT'));
  };
  const respond = appFileResponder(ROOT, read, "default-src 'none'");

  // EL-7: the app:// handler sends the CSP header.
  it('serves a bundle file with its type and the CSP header', async () => {
    const response = await respond({ url: APP_URL });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Content-Security-Policy')).toBe("default-src 'none'");
    expect(await response.text()).toBe('<html></html>');
  });

  // EL-18: nothing outside the bundle is served.
  it('answers 404 for a missing file and for a path outside the bundle', async () => {
    expect((await respond({ url: 'app://absender/missing.js' })).status).toBe(404);
    expect((await respond({ url: 'app://absender/%2e%2e/%2e%2e/etc/passwd' })).status).toBe(404);
  });
});
