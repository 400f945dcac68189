import { describe, expect, it } from 'vitest';
import {
  classifyPopupNavigation,
  nativeClientRedirectUri,
  nonceMatches,
  parseRedirect,
  sameAccount,
  signInAllowedHosts,
  signInWindowTitle,
} from './redirect-guard';

const REDIRECT = 'https://login.microsoftonline.com/common/oauth2/nativeclient';
const allowedHosts = signInAllowedHosts('https://login.microsoftonline.com');
const classify = (url: string, redirectUri = REDIRECT) => classifyPopupNavigation(url, { redirectUri, allowedHosts });

// OA-P3, EL-1: https on Microsoft's sign-in hosts only, look-alikes refused.
describe('classifyPopupNavigation', () => {
  it.each([
    [`${REDIRECT}?code=abc&state=s`, 'redirect'],
    [`${REDIRECT}#code=abc`, 'redirect'],
    [`${REDIRECT}?error=access_denied#frag`, 'redirect'],
    ['HTTPS://LOGIN.MICROSOFTONLINE.COM/common/oauth2/nativeclient?code=1', 'redirect'], // host case is not identity
    ['https://login.microsoftonline.com:443/common/oauth2/nativeclient?code=1', 'redirect'], // default port
    ['https://login.microsoftonline.com/contoso.com/oauth2/v2.0/authorize?client_id=x', 'allow'],
    ['https://login.live.com/oauth20_authorize.srf', 'allow'],
    ['https://autologon.microsoftazuread-sso.com/x', 'allow'],
    ['https://login.microsoftonline.com/common/oauth2/nativeclient/', 'allow'], // another path: just a Microsoft page
  ])('%s → %s', (url, kind) => {
    expect(classify(url).kind).toBe(kind);
  });

  it.each([
    [
      'https://login.microsoftonline.com.evil.test/common/oauth2/nativeclient?code=1',
      'login.microsoftonline.com.evil.test',
      'host',
    ],
    ['https://evil.test/?login.microsoftonline.com', 'evil.test', 'host'],
    ['https://evil.test/common/oauth2/nativeclient?code=1', 'evil.test', 'host'],
    ['https://login.microsoftonline.com@evil.test/common/oauth2/nativeclient', 'evil.test', 'credentials'],
    ['https://user:pw@login.microsoftonline.com/common/oauth2/nativeclient', 'login.microsoftonline.com', 'credentials'],
    ['https://login.microsoftonline.com./x', 'login.microsoftonline.com.', 'host'], // trailing dot
    ['https://lоgin.microsoftonline.com/x', 'xn--lgin-55d.microsoftonline.com', 'host'], // Cyrillic "о" (IDN)
    ['https://login.microsoftonline.com:8443/common/oauth2/nativeclient?code=1', 'login.microsoftonline.com:8443', 'host'],
    ['http://login.microsoftonline.com/common/oauth2/nativeclient?code=1', 'login.microsoftonline.com', 'scheme'],
    ['http://login.microsoftonline.com/common/login', 'login.microsoftonline.com', 'scheme'],
    ['file:///etc/passwd', 'file:', 'scheme'],
    ['javascript:alert(1)', 'javascript:', 'scheme'],
    ['data:text/html,<h1>Sign in</h1>', 'data:', 'scheme'],
    ['not a url', '', 'unparseable'],
  ])('blocks %s (host %s, %s)', (url, host, reason) => {
    expect(classify(url)).toEqual({ kind: 'block', host, reason });
  });

  it('compares the port of the redirect URI (the emulator serves it on its own port)', () => {
    const emu = 'https://localhost:8443';
    const hosts = signInAllowedHosts(emu);
    const redirectUri = nativeClientRedirectUri(emu);
    expect(redirectUri).toBe('https://localhost:8443/common/oauth2/nativeclient');
    const c = (url: string) => classifyPopupNavigation(url, { redirectUri, allowedHosts: hosts }).kind;
    expect(c('https://localhost:8443/common/oauth2/nativeclient?code=1')).toBe('redirect');
    expect(c('https://localhost:9443/common/oauth2/nativeclient?code=1')).toBe('block');
    expect(c('https://localhost/common/oauth2/nativeclient?code=1')).toBe('block');
    expect(c('https://localhost:8443/tenant/oauth2/v2.0/authorize')).toBe('allow');
  });

  it('catches a custom-scheme and a loopback redirect URI before the scheme rule', () => {
    const custom = 'msal414e5477-6e9a-47ef-96be-c186e1393824://auth';
    expect(classify(`${custom}?code=1&state=s`, custom).kind).toBe('redirect');
    expect(classify('msalother://auth?code=1', custom).kind).toBe('block');
    expect(classify('http://localhost:53111/?code=1', 'http://localhost:53111/').kind).toBe('redirect');
    expect(classify('http://localhost:53112/?code=1', 'http://localhost:53111/').kind).toBe('block');
  });
});

// OA-3: our own checks of the reply, before any token request.
describe('parseRedirect (state and reply checks)', () => {
  const expected = { redirectUri: REDIRECT, state: 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0LWdyYXVsdA' };

  it('returns code, state and client_info of a matching reply', () => {
    expect(
      parseRedirect(`${REDIRECT}?code=C0DE&client_info=eyJ1aWQiOiJ4In0&state=${expected.state}&session_state=g`, expected),
    ).toEqual({
      kind: 'code',
      code: 'C0DE',
      state: expected.state,
      clientInfo: 'eyJ1aWQiOiJ4In0',
    });
  });

  it.each([
    ['missing', `${REDIRECT}?code=C0DE`],
    ['empty', `${REDIRECT}?code=C0DE&state=`],
    ['other', `${REDIRECT}?code=C0DE&state=forged`],
    ['one character off', `${REDIRECT}?code=C0DE&state=${expected.state.slice(0, -1)}u`],
    ['error reply with a foreign state', `${REDIRECT}?error=access_denied&state=forged`],
  ])('refuses a %s state', (_name, url) => {
    expect(parseRedirect(url, expected)).toEqual({ kind: 'state-mismatch' });
  });

  it('never accepts an empty expected state', () => {
    expect(parseRedirect(`${REDIRECT}?code=C&state=`, { redirectUri: REDIRECT, state: '' }).kind).toBe('state-mismatch');
  });

  it('hands error replies to the classifier with all of Entra’s fields', () => {
    const reply = parseRedirect(
      `${REDIRECT}?error=access_denied&error_description=AADSTS65004%3A+User+declined&error_uri=https%3A%2F%2Flogin.microsoftonline.com%2Ferror%3Fcode%3D65004&state=${expected.state}`,
      expected,
    );
    expect(reply.kind).toBe('error');
    if (reply.kind === 'error') {
      expect(reply.params.get('error')).toBe('access_denied');
      expect(reply.params.get('error_uri')).toContain('code=65004');
    }
  });

  it('treats a reply without code as an invalid request, and another URL as no reply', () => {
    expect(parseRedirect(`${REDIRECT}?state=${expected.state}`, expected).kind).toBe('error');
    expect(parseRedirect(`https://evil.test/common/oauth2/nativeclient?code=1&state=${expected.state}`, expected)).toEqual({
      kind: 'not-redirect',
    });
  });
});

// OA-3: nonce and account checks.
describe('nonce, account and title', () => {
  it('matches the id token nonce exactly', () => {
    expect(nonceMatches({ nonce: 'n-123' }, 'n-123')).toBe(true);
    expect(nonceMatches({ nonce: 'n-124' }, 'n-123')).toBe(false);
    expect(nonceMatches({}, 'n-123')).toBe(false);
    expect(nonceMatches(undefined, 'n-123')).toBe(false);
    expect(nonceMatches({ nonce: '' }, '')).toBe(false);
    expect(nonceMatches({ nonce: 42 }, '42')).toBe(false);
  });

  it('compares accounts case-insensitively and nothing else', () => {
    expect(sameAccount('Bestellung@Contoso.com', 'bestellung@contoso.com')).toBe(true);
    expect(sameAccount('max.mustermann@contoso.com', 'bestellung@contoso.com')).toBe(false);
    expect(sameAccount('bestellung@contoso.com.evil', 'bestellung@contoso.com')).toBe(false);
  });

  // OA-P6: the admin sees where credentials go.
  it('titles the window with the host of the page shown', () => {
    expect(signInWindowTitle('https://login.microsoftonline.com/common/login?x=1', 'Absender')).toBe(
      'Absender – login.microsoftonline.com',
    );
    expect(signInWindowTitle('about:blank', 'Absender')).toBe('Absender');
  });
});
