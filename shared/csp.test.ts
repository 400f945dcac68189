import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_META,
  CSP_NONCE_PLACEHOLDER,
  contentSecurityPolicy,
  withCspNonce,
} from './csp';

const NONCE = 'q5Ud0kx2m1Yc7x4Hn0Qm1g==';
const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('Content-Security-Policy (EL-7)', () => {
  it('is the requirement text, with the network closed and a per-load style nonce', () => {
    expect(contentSecurityPolicy(NONCE)).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'nonce-q5Ud0kx2m1Yc7x4Hn0Qm1g=='; img-src 'self' data:; " +
        "font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(directives(CONTENT_SECURITY_POLICY).get('style-src')).toEqual(["'self'"]);
  });

  it.each([
    ['header', contentSecurityPolicy(NONCE)],
    ['header without nonce', CONTENT_SECURITY_POLICY],
    ['meta', CONTENT_SECURITY_POLICY_META],
  ])('%s: no unsafe-*, no inline, no Microsoft host, no wildcard', (_name, policy) => {
    expect(policy).not.toMatch(/unsafe-|'strict-dynamic'|\*|https?:|microsoft|login\.|graph\./i);
    expect(directives(policy).get('connect-src')).toEqual(["'none'"]);
    expect(directives(policy).get('script-src')).toEqual(["'self'"]);
  });

  it('keeps frame-ancestors out of the meta tag (a meta CSP ignores it) and carries the placeholder nonce there', () => {
    expect(CONTENT_SECURITY_POLICY_META).not.toContain('frame-ancestors');
    expect(directives(CONTENT_SECURITY_POLICY_META).get('style-src')).toEqual(["'self'", `'nonce-${CSP_NONCE_PLACEHOLDER}'`]);
  });

  it('refuses a nonce that could break out of the header or the attribute', () => {
    for (const bad of ['', 'short', `${NONCE}'; script-src *`, `${NONCE}" onload="x`, 'a b c d e f g h i j k']) {
      expect(() => contentSecurityPolicy(bad), bad).toThrow();
      expect(() => withCspNonce('<html></html>', bad), bad).toThrow();
    }
  });

  it('withCspNonce replaces every placeholder and refuses the placeholder itself', () => {
    const page = `<meta content="style-src 'nonce-${CSP_NONCE_PLACEHOLDER}'"><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}">`;
    expect(withCspNonce(page, NONCE)).toBe(
      `<meta content="style-src 'nonce-${NONCE}'"><meta property="csp-nonce" nonce="${NONCE}">`,
    );
    expect(() => withCspNonce(page, CSP_NONCE_PLACEHOLDER)).toThrow();
  });
});
