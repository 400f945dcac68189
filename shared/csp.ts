// The renderer's Content-Security-Policy, in one place: the Electron host sends it as a header, the
// built index.html carries it as <meta>, and the browser test host serves it the same way (EL-7).
// No 'unsafe-eval', no 'unsafe-inline', no network at all (every Microsoft call is made by main).
// Fluent UI v9 (Griffel) and FluentProvider's theme insert <style> elements at run time: they carry a
// nonce that the app:// handler draws afresh for every index.html it serves (withCspNonce).

/**
 * Vite's html.cspNonce (base64 characters only, as CSP evaluators expect): the build writes this on its own <script>/<link>/<style> tags and into a
 * <meta property="csp-nonce" nonce="…">; the handler replaces every occurrence per response. A valid
 * nonce token, but the renderer refuses to use it unreplaced (a known nonce is no nonce).
 */
export const CSP_NONCE_PLACEHOLDER = 'AbsenderCspNoncePlaceholder';

/** A nonce as CSP's base64-value grammar allows it; anything else would break out of the header or the attribute. */
const NONCE_RE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

/** Every directive, for a given style nonce (or none, for responses that are not a page). */
export function cspDirectives(styleNonce?: string): string[] {
  if (styleNonce !== undefined && !NONCE_RE.test(styleNonce)) throw new Error('invalid CSP nonce');
  return [
    "default-src 'none'",
    "script-src 'self'",
    styleNonce === undefined ? "style-src 'self'" : `style-src 'self' 'nonce-${styleNonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
}

/** As an HTTP header (frame-ancestors only works there). */
export const contentSecurityPolicy = (styleNonce?: string): string =>
  [...cspDirectives(styleNonce), "frame-ancestors 'none'"].join('; ');
/** The header for every response that is not index.html: no nonce at all. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();
/** The built <meta> tag, which ignores frame-ancestors; its nonce is the placeholder until served. */
export const CONTENT_SECURITY_POLICY_META = cspDirectives(CSP_NONCE_PLACEHOLDER).join('; ');

/** index.html as served: the placeholder replaced everywhere (meta CSP, Vite's tags) by this load's nonce. */
export function withCspNonce(html: string, nonce: string): string {
  if (!NONCE_RE.test(nonce) || nonce === CSP_NONCE_PLACEHOLDER) throw new Error('invalid CSP nonce');
  return html.split(CSP_NONCE_PLACEHOLDER).join(nonce);
}
