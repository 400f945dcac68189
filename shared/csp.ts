// The renderer's Content-Security-Policy, in one place: the Electron host sends it as a header, the
// built index.html carries it as <meta>, and the browser test host serves it the same way (EL-7).
// No 'unsafe-eval', no inline script, no network at all (every Microsoft call is made by main).
// One knowing exception: style-src allows inline <style> elements, because Fluent UI v9 (Griffel) and
// FluentProvider's theme insert their CSS at run time; a nonce would need a per-load HTML rewrite.
// CSS cannot run code here, and the renderer shows no foreign HTML.
export const CSP_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
] as const;

/** As an HTTP header (frame-ancestors only works there). */
export const CONTENT_SECURITY_POLICY = [...CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');
/** As a <meta> tag, which ignores frame-ancestors. */
export const CONTENT_SECURITY_POLICY_META = CSP_DIRECTIVES.join('; ');
