import { describe, expect, it } from 'vitest';
import { adminConsentUrl, CLOUD_IDS, CLOUDS, cloudNativeClientRedirectUri, cloudOfInstance, defaultScope } from './clouds';

describe('the cloud table', () => {
  it('has the documented Entra ID and Graph hosts of each cloud', () => {
    const hosts = CLOUD_IDS.map((id) => [id, new URL(CLOUDS[id].authorityHost).host, new URL(CLOUDS[id].graphRoot).host]);
    expect(hosts).toEqual([
      ['global', 'login.microsoftonline.com', 'graph.microsoft.com'],
      ['usgov', 'login.microsoftonline.us', 'graph.microsoft.us'],
      ['usgov-dod', 'login.microsoftonline.us', 'dod-graph.microsoft.us'],
      ['china', 'login.chinacloudapi.cn', 'microsoftgraph.chinacloudapi.cn'],
    ]);
  });

  it('asks each cloud for its own Graph: scopes and redirect URI switch with the cloud', () => {
    expect(defaultScope('global')).toBe('https://graph.microsoft.com/.default');
    expect(defaultScope('usgov')).toBe('https://graph.microsoft.us/.default');
    expect(defaultScope('usgov-dod')).toBe('https://dod-graph.microsoft.us/.default');
    expect(defaultScope('china')).toBe('https://microsoftgraph.chinacloudapi.cn/.default');
    expect(cloudNativeClientRedirectUri('usgov')).toBe('https://login.microsoftonline.us/common/oauth2/nativeclient');
    expect(cloudNativeClientRedirectUri('china')).toBe('https://login.chinacloudapi.cn/common/oauth2/nativeclient');
  });

  it('lets no sign-in window of a national cloud show the global login hosts', () => {
    for (const id of ['usgov', 'usgov-dod', 'china'] as const) {
      expect(CLOUDS[id].signInHosts).not.toContain('login.microsoftonline.com');
      expect(CLOUDS[id].signInHosts).not.toContain('login.live.com');
      expect(CLOUDS[id].signInHosts).toContain(new URL(CLOUDS[id].authorityHost).host);
    }
    expect(CLOUDS.global.signInHosts).not.toContain('login.microsoftonline.us');
  });

  it('maps the OpenID cloud_instance_name back to a cloud', () => {
    expect(cloudOfInstance('microsoftonline.com')).toBe('global');
    expect(cloudOfInstance('microsoftonline.us')).toBe('usgov');
    expect(cloudOfInstance('partner.microsoftonline.cn')).toBe('china');
    expect(cloudOfInstance('example.org')).toBeUndefined();
  });
});

describe('adminConsentUrl', () => {
  const tenant = 'c40d1b4f-110d-4247-9f76-9827d07f27e3';
  const clientId = '96e719fe-4f2e-4d57-960e-6be3cdccb29c';

  it('points at the cloud of the profile', () => {
    expect(adminConsentUrl('global', tenant, clientId)).toBe(
      `https://login.microsoftonline.com/${tenant}/adminconsent?client_id=${clientId}`,
    );
    expect(adminConsentUrl('usgov', tenant, clientId)).toBe(
      `https://login.microsoftonline.us/${tenant}/adminconsent?client_id=${clientId}`,
    );
    expect(adminConsentUrl('china', 'contoso.partner.onmschina.cn', clientId)).toBe(
      `https://login.chinacloudapi.cn/contoso.partner.onmschina.cn/adminconsent?client_id=${clientId}`,
    );
  });

  it('trims pasted blanks, encodes hostile input and gives "" without tenant or app', () => {
    expect(adminConsentUrl('global', ` ${tenant} `, ` ${clientId}\n`)).toBe(
      `https://login.microsoftonline.com/${tenant}/adminconsent?client_id=${clientId}`,
    );
    const url = new URL(adminConsentUrl('global', '../evil?x=1#', 'a&redirect_uri=https://evil.test'));
    expect(url.host).toBe('login.microsoftonline.com');
    expect(url.searchParams.get('redirect_uri')).toBeNull();
    expect(url.searchParams.get('client_id')).toBe('a&redirect_uri=https://evil.test');
    expect(adminConsentUrl('global', '', clientId)).toBe('');
    expect(adminConsentUrl('usgov', tenant, ' ')).toBe('');
  });
});
