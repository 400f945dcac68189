import { timingSafeEqual } from 'node:crypto';
import { CLOUDS } from '../../../shared/clouds';

// Pure checks around the embedded sign-in window (OA-P3, OA-P4, OA-3). Everything is compared as
// parsed URLs: a string prefix test would let "https://login.microsoftonline.com.evil.test/" or
// "https://login.microsoftonline.com@evil.test/" through.

/**
 * Microsoft's own identity hosts a sign-in may pass through besides the authority host: the MSA
 * and Entra login hosts, device registration and seamless SSO (interrupt flows such as MFA
 * registration go there). Not "any https host": the window's title vouches for the page, so an
 * open redirect on the way must not turn it into a phishing window. A federated IdP (AD FS, Okta…)
 * is added per configuration; a block names the host so the admin knows what to add.
 */
export const MICROSOFT_SIGN_IN_HOSTS: readonly string[] = CLOUDS.global.signInHosts;

/**
 * The hosts the window may show for a cloud: its authority host, that cloud's Microsoft hosts (never
 * another cloud's), configured extras.
 */
export function signInAllowedHosts(
  authorityHost: string,
  extraHosts: readonly string[] = [],
  cloudHosts: readonly string[] = MICROSOFT_SIGN_IN_HOSTS,
): string[] {
  const hosts = [new URL(authorityHost).host, ...cloudHosts, ...extraHosts].map((h) => h.toLowerCase());
  return [...new Set(hosts)];
}

export { LOOPBACK_REDIRECT_URI, nativeClientRedirectUri } from '../../../shared/redirect-uris';

export type NavigationDecision =
  | { kind: 'redirect'; url: string }
  | { kind: 'allow' }
  | { kind: 'block'; host: string; reason: 'unparseable' | 'credentials' | 'scheme' | 'host' };

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Same scheme, host, port and path; query and fragment do not take part (the reply is in the query). */
function isRedirectTarget(candidate: URL, redirect: URL): boolean {
  return (
    candidate.protocol === redirect.protocol &&
    candidate.hostname === redirect.hostname &&
    candidate.port === redirect.port &&
    candidate.pathname === redirect.pathname
  );
}

/**
 * For a URL the sign-in window is about to load: `redirect` = the redirect URI (capture it, never
 * load it); `allow` = an https page on an allowed host; `block` = anything else. The redirect is
 * checked first, so a custom scheme (msal{clientId}://auth) or http://localhost redirect is caught.
 */
export function classifyPopupNavigation(
  url: string,
  options: { redirectUri: string; allowedHosts: readonly string[] },
): NavigationDecision {
  const target = parse(url);
  if (target === undefined) return { kind: 'block', host: '', reason: 'unparseable' };
  // userinfo has no business in a sign-in URL; it is the classic way to dress up a foreign host.
  if (target.username !== '' || target.password !== '') return { kind: 'block', host: target.host, reason: 'credentials' };
  const redirect = parse(options.redirectUri);
  if (redirect !== undefined && isRedirectTarget(target, redirect)) return { kind: 'redirect', url };
  if (target.protocol !== 'https:') return { kind: 'block', host: target.host || target.protocol, reason: 'scheme' };
  const allowed = options.allowedHosts.map((h) => h.toLowerCase());
  if (!allowed.includes(target.host)) return { kind: 'block', host: target.host, reason: 'host' };
  return { kind: 'allow' };
}

/** The window title: the host of the page shown, so the admin sees where credentials go (OA-P6). */
export function signInWindowTitle(url: string, prefix: string): string {
  const parsed = parse(url);
  return parsed === undefined || parsed.host === '' ? prefix : `${prefix} – ${parsed.host}`;
}

export type RedirectReply =
  | { kind: 'code'; code: string; state: string; clientInfo: string | undefined }
  | { kind: 'error'; params: URLSearchParams }
  | { kind: 'state-mismatch' }
  | { kind: 'not-redirect' };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Reads the captured redirect (response_mode=query). A missing or wrong `state` refuses the reply
 * before anything is redeemed, error replies included: a forged error could otherwise end a real
 * attempt. Error replies carry Entra's `error`, `error_description`, `error_uri` for the classifier.
 */
export function parseRedirect(url: string, expected: { redirectUri: string; state: string }): RedirectReply {
  const target = parse(url);
  const redirect = parse(expected.redirectUri);
  if (target === undefined || redirect === undefined || !isRedirectTarget(target, redirect)) return { kind: 'not-redirect' };
  const params = target.searchParams;
  const state = params.get('state');
  if (state === null || expected.state === '' || !sameSecret(state, expected.state)) return { kind: 'state-mismatch' };
  if (params.has('error')) return { kind: 'error', params };
  const code = params.get('code');
  if (code === null || code === '') return { kind: 'error', params: new URLSearchParams({ error: 'invalid_request' }) };
  return { kind: 'code', code, state, clientInfo: params.get('client_info') ?? undefined };
}

/** MSAL compares the nonce too; we re-check it ourselves so a library change cannot silently drop it. */
export function nonceMatches(idTokenClaims: unknown, expected: string): boolean {
  if (typeof idTokenClaims !== 'object' || idTokenClaims === null) return false;
  const nonce = (idTokenClaims as Record<string, unknown>)['nonce'];
  return typeof nonce === 'string' && expected !== '' && sameSecret(nonce, expected);
}

/** Account names are e-mail-like; Entra compares them case-insensitively. */
export function sameAccount(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
