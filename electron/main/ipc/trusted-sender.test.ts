import { describe, expect, it } from 'vitest';
import { isTrustedFrame } from './trusted-sender';

const APP = 'app://absender/index.html';
const BROWSER_HOST = 'http://absender.localhost/index.html';
const top = (url: string) => ({ url, isMainFrame: true });

// EL-17: the one rule both hosts apply to an IPC sender.
describe('isTrustedFrame', () => {
  it.each([
    ['the app page', APP],
    ['the app page with a hash route', `${APP}#/profiles`],
    ['the app page with a query', `${APP}?x=1`],
    ['dot segments that resolve to the app page', 'app://absender/a/../index.html'],
  ])('accepts %s as top-level frame', (_what, url) => {
    expect(isTrustedFrame(top(url), APP)).toBe(true);
  });

  it.each([
    ['another scheme, same host and path', 'https://absender/index.html'],
    ['another host', 'app://evil/index.html'],
    ['a look-alike host (suffix)', 'app://absender.evil/index.html'],
    ['a look-alike host (prefix)', 'app://evilabsender/index.html'],
    ['another port', 'app://absender:8080/index.html'],
    ['userinfo before the host', 'app://evil@absender/index.html'],
    ['userinfo with a password', 'app://user:pw@absender/index.html'],
    ['another page of the app origin', 'app://absender/other.html'],
    ['a doubled slash', 'app://absender//index.html'],
    ['a longer path that starts with the app path', 'app://absender/index.html/x'],
    ['the login page', 'https://login.microsoftonline.com/common/oauth2/nativeclient'],
    ['a file page', 'file:///tmp/evil.html'],
    ['javascript:', 'javascript:alert(1)'],
    ['about:blank', 'about:blank'],
    ['data:', 'data:text/html,<p>x</p>'],
    ['an unparsable URL', 'not a url'],
    ['an empty URL', ''],
  ])('refuses %s', (_what, url) => {
    expect(isTrustedFrame(top(url), APP)).toBe(false);
  });

  it('refuses the app page in a sub-frame, and a missing frame', () => {
    expect(isTrustedFrame({ url: APP, isMainFrame: false }, APP)).toBe(false);
    expect(isTrustedFrame(null, APP)).toBe(false);
    expect(isTrustedFrame(undefined, APP)).toBe(false);
  });

  it('holds for the browser test host origin too (a prefix test would accept the look-alikes)', () => {
    expect(isTrustedFrame(top(BROWSER_HOST), BROWSER_HOST)).toBe(true);
    expect(isTrustedFrame(top('http://absender.localhost.evil.example/index.html'), BROWSER_HOST)).toBe(false);
    expect(isTrustedFrame(top('http://absender.localhost@evil.example/index.html'), BROWSER_HOST)).toBe(false);
    expect(isTrustedFrame(top('http://evil@absender.localhost/index.html'), BROWSER_HOST)).toBe(false);
    expect(isTrustedFrame(top('http://absender.localhost:81/index.html'), BROWSER_HOST)).toBe(false);
    expect(isTrustedFrame(top('http://absender.localhost/index.html'), APP)).toBe(false);
  });

  it('refuses everything when the app URL itself is not a URL', () => {
    expect(isTrustedFrame(top(APP), 'absender/index.html')).toBe(false);
  });
});
