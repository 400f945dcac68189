import { randomBytes } from 'node:crypto';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy, withCspNonce } from '../../shared/csp';

/** The renderer is served as app://absender/… : a privileged, secure scheme of our own instead of file:// (EL-18). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'absender';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Maps an app:// request to a file inside the bundle, or null. Parsed with URL, decoded once, then
 * checked to stay below the root: `..`, `%2e%2e`, encoded slashes and absolute paths all end outside.
 */
export function resolveAppFile(requestUrl: string, bundleRoot: string): { path: string; mime: string } | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const wanted = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  if (isAbsolute(wanted)) return null;
  const root = resolve(bundleRoot);
  const path = resolve(root, wanted);
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return { path, mime: MIME[extname(path)] ?? 'application/octet-stream' };
}

/** 128 bits from the OS CSPRNG, base64: a fresh style nonce for each page load (EL-7). */
export const newCspNonce = (): string => randomBytes(16).toString('base64');

/**
 * protocol.handle's handler for app://: a file of the bundle with the CSP header, or 404. Each
 * index.html gets its own nonce, in the header and in the page (its <meta> CSP and Vite's
 * csp-nonce tag, which the renderer hands to Griffel); every other file gets the nonce-less policy.
 * The browser test host serves through this same function.
 */
export function appFileResponder(
  bundleRoot: string,
  read: (path: string) => Promise<Uint8Array>,
  nonce: () => string = newCspNonce,
): (request: { url: string }) => Promise<Response> {
  return async (request) => {
    const file = resolveAppFile(request.url, bundleRoot);
    const body = file ? await read(file.path).catch(() => null) : null;
    if (!file || !body) return new Response('Not found', { status: 404 });
    if (extname(file.path) !== '.html') {
      return new Response(body as Uint8Array<ArrayBuffer>, {
        headers: { 'Content-Type': file.mime, 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      });
    }
    const pageNonce = nonce();
    return new Response(withCspNonce(new TextDecoder().decode(body), pageNonce), {
      headers: { 'Content-Type': file.mime, 'Content-Security-Policy': contentSecurityPolicy(pageNonce) },
    });
  };
}
