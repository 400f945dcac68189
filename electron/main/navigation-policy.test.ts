import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_URL } from './app-protocol';
import { isAllowedMainNavigation } from './navigation-policy';

describe('isAllowedMainNavigation (EL-13)', () => {
  it.each([
    APP_URL,
    'app://absender/',
    'app://absender',
    'app://absender/index.html#/profiles/1',
    'app://absender/index.html?x=1',
    'APP://absender/index.html', // the scheme is case-insensitive; URL lowercases it
  ])('stays on the app origin: %s', (url) => {
    expect(isAllowedMainNavigation(url, APP_ORIGIN)).toBe(true);
  });

  it.each([
    // other schemes
    'https://absender/index.html',
    'http://absender/index.html',
    'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    'file:///etc/passwd',
    'file://absender/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:app://absender/0b1c',
    'about:blank',
    'chrome://settings',
    'devtools://devtools/bundled/inspector.html',
    'ms-msdt:/id PCWDiagnostic',
    // look-alike hosts and userinfo tricks
    'app://absender.evil/index.html',
    'app://absender./index.html',
    'app://evil.absender/index.html',
    'app://absender-evil/index.html',
    'app://evil@absender/index.html',
    'app://absender:x@absender/index.html',
    'app://absender@evil/index.html',
    'app://absender\\@evil/index.html',
    'app://absender:8080/index.html',
    // encoded and uppercase hosts: Chromium sends canonical URLs, anything else is refused
    'app://ABSENDER/index.html',
    'app://%61bsender/index.html',
    'app://absender%2eevil/index.html',
    // no host at all, and junk
    'app:absender/index.html',
    'app:///absender/index.html',
    '',
    'not a url',
    '//absender/index.html',
  ])('blocks %s', (url) => {
    expect(isAllowedMainNavigation(url, APP_ORIGIN)).toBe(false);
  });

  it('never allows anything against an unparseable or host-less origin', () => {
    expect(isAllowedMainNavigation(APP_URL, 'not a url')).toBe(false);
    expect(isAllowedMainNavigation('app:x', 'app:')).toBe(false);
  });
});
