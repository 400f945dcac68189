import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_META,
  CSP_NONCE_PLACEHOLDER,
  contentSecurityPolicy,
  cspDirectives,
} from '../../shared/csp';
import { APP_URL, appFileResponder, newCspNonce, resolveAppFile } from './app-protocol';

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
  const PAGE = `<html><head><meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}"><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}"><script type="module" nonce="${CSP_NONCE_PLACEHOLDER}" src="./assets/index-abc.js"></script></head></html>`;
  const files = new Map([
    [join(ROOT, 'index.html'), new TextEncoder().encode(PAGE)],
    [join(ROOT, 'assets/index-abc.js'), new TextEncoder().encode('export {}')],
  ]);
  const read = (path: string) => {
    const body = files.get(path);
    return body ? Promise.resolve(body) : Promise.reject(new Error('ENOENT'));
  };
  const nonces = ['AAAAAAAAAAAAAAAAAAAAAA==', 'BBBBBBBBBBBBBBBBBBBBBB=='];
  const respond = appFileResponder(ROOT, read, () => nonces.shift() ?? 'exhausted');

  it('serves index.html with a fresh nonce in the CSP header and everywhere in the page (EL-7)', async () => {
    const first = await respond({ url: APP_URL });
    expect(first.status).toBe(200);
    expect(first.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(first.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicy('AAAAAAAAAAAAAAAAAAAAAA=='));
    expect(first.headers.get('Content-Security-Policy')).toContain("style-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA=='");
    const html = await first.text();
    expect(html).not.toContain(CSP_NONCE_PLACEHOLDER);
    expect(html).toContain(`content="${cspDirectives('AAAAAAAAAAAAAAAAAAAAAA==').join('; ')}"`);
    expect(html).toContain('<meta property="csp-nonce" nonce="AAAAAAAAAAAAAAAAAAAAAA==">');

    const second = await respond({ url: 'app://absender/' });
    expect(second.headers.get('Content-Security-Policy')).toContain("'nonce-BBBBBBBBBBBBBBBBBBBBBB=='");
    expect(await second.text()).toContain('nonce="BBBBBBBBBBBBBBBBBBBBBB=="');
  });

  it('serves other bundle files with their type and the nonce-less CSP', async () => {
    const response = await respond({ url: 'app://absender/assets/index-abc.js' });
    expect(response.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).toBe('export {}');
  });

  // EL-18: nothing outside the bundle is served.
  it('answers 404 for a missing file and for a path outside the bundle', async () => {
    expect((await respond({ url: 'app://absender/missing.js' })).status).toBe(404);
    expect((await respond({ url: 'app://absender/%2e%2e/%2e%2e/etc/passwd' })).status).toBe(404);
  });

  it('draws a new 128-bit nonce per load by default', () => {
    const drawn = new Set(Array.from({ length: 20 }, () => newCspNonce()));
    expect(drawn.size).toBe(20);
    for (const nonce of drawn) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
