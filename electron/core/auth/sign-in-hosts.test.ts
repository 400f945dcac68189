import { describe, expect, it } from 'vitest';
import { Settings } from '../../../shared/domain';
import { MICROSOFT_CLOUDS } from '../net/endpoints';
import { classifyPopupNavigation } from './redirect-guard';
import { allowedSignInHosts } from './sign-in-hosts';

const endpoints = { authorityHost: 'https://login.microsoftonline.com', graphRoot: '', graphResource: '' };
const redirectUri = 'https://login.microsoftonline.com/common/oauth2/nativeclient';

describe('allowedSignInHosts', () => {
  it('adds the configured federation servers to Microsoft’s hosts, read on every call', () => {
    let configured: string[] = [];
    const network = { signInHosts: () => configured };
    const decide = (url: string) =>
      classifyPopupNavigation(url, { redirectUri, allowedHosts: allowedSignInHosts(endpoints, network) });
    expect(decide('https://adfs.contoso.com/adfs/ls/?wa=wsignin1.0')).toEqual({
      kind: 'block',
      host: 'adfs.contoso.com',
      reason: 'host',
    });
    configured = Settings.parse({ language: null, acceptedWeakEncryption: false, signInHosts: ['ADFS.contoso.com'] }).signInHosts;
    expect(decide('https://adfs.contoso.com/adfs/ls/?wa=wsignin1.0')).toEqual({ kind: 'allow' });
    // Exact: no sub- or look-alike host, no other port, no http.
    expect(decide('https://evil.adfs.contoso.com/')).toMatchObject({ kind: 'block', reason: 'host' });
    expect(decide('https://adfs.contoso.com.evil.test/')).toMatchObject({ kind: 'block', reason: 'host' });
    expect(decide('https://adfs.contoso.com:8443/')).toMatchObject({ kind: 'block', reason: 'host' });
    expect(decide('http://adfs.contoso.com/adfs/ls/')).toMatchObject({ kind: 'block', reason: 'scheme' });
    expect(decide('https://login.microsoftonline.com/common/login')).toEqual({ kind: 'allow' });
  });

  it('without the setting (a host that does not read it) only Microsoft’s hosts are allowed', () => {
    expect(allowedSignInHosts(endpoints, {})).not.toContain('adfs.contoso.com');
    expect(allowedSignInHosts(endpoints, {})).toContain('login.microsoftonline.com');
  });

  it('switches with the cloud: a US Government or China window shows only that cloud’s login hosts', () => {
    const decide = (cloud: keyof typeof MICROSOFT_CLOUDS, url: string) => {
      const e = MICROSOFT_CLOUDS[cloud];
      return classifyPopupNavigation(url, {
        redirectUri: `${e.authorityHost}/common/oauth2/nativeclient`,
        allowedHosts: allowedSignInHosts(e, {}),
      }).kind;
    };
    expect(decide('usgov', 'https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/authorize')).toBe('allow');
    expect(decide('usgov', 'https://login.microsoftonline.com/common/login')).toBe('block');
    expect(decide('usgov', 'https://login.live.com/')).toBe('block');
    expect(decide('usgov-dod', 'https://login.microsoftonline.us/common/login')).toBe('allow');
    expect(decide('china', 'https://login.partner.microsoftonline.cn/common/login')).toBe('allow');
    expect(decide('china', 'https://login.microsoftonline.com/common/login')).toBe('block');
    expect(decide('global', 'https://login.microsoftonline.us/common/login')).toBe('block');
    expect(decide('global', 'https://login.live.com/')).toBe('allow');
    // The redirect URI is the cloud's own nativeclient page: captured, never loaded.
    expect(decide('usgov', 'https://login.microsoftonline.us/common/oauth2/nativeclient?code=x&state=y')).toBe('redirect');
    expect(decide('usgov', 'https://login.microsoftonline.com/common/oauth2/nativeclient?code=x&state=y')).toBe('block');
  });
});
