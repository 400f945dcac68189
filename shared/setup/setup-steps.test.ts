import { describe, expect, it } from 'vitest';
import { adminConsentUrl, graphPermissions, openSteps, redirectUris, setupSteps, type SetupProfile } from './setup-steps';
import { EMPTY_SETUP } from './setup-progress';

const secretProfile: SetupProfile = {
  name: 'Bestellungen',
  accountType: 'client-secret',
  cloud: 'global',
  senderAddress: 'einkauf@contoso.com',
  mailboxAddress: 'einkauf@contoso.com',
  clientId: '11111111-2222-3333-4444-555555555555',
  tenant: 'contoso.onmicrosoft.com',
  signInMethod: 'popup',
};
const modern: SetupProfile = { ...secretProfile, accountType: 'modern-auth', mailboxAddress: '' };

describe('setup steps', () => {
  it('client secret: mailbox, registration, permissions, consent, secret, restriction (no platform)', () => {
    expect(setupSteps(secretProfile).map((s) => s.id)).toEqual([
      'mailbox',
      'app-registration',
      'api-permissions',
      'admin-consent',
      'client-secret',
      'restriction',
    ]);
  });

  it('Modern Authentication: a platform step, no secret and no RBAC restriction', () => {
    expect(setupSteps(modern).map((s) => s.id)).toEqual([
      'mailbox',
      'app-registration',
      'platform',
      'api-permissions',
      'admin-consent',
    ]);
  });

  it('names the redirect URI the sign-in method really uses', () => {
    expect(redirectUris(modern)).toEqual(['https://login.microsoftonline.com/common/oauth2/nativeclient']);
    expect(redirectUris({ ...modern, signInMethod: 'system-browser' })).toEqual(['http://localhost']);
    expect(redirectUris(secretProfile)).toEqual([]);
    const platform = setupSteps(modern).find((s) => s.id === 'platform');
    expect(platform?.copy).toEqual([
      { label: 'redirectUri', value: 'https://login.microsoftonline.com/common/oauth2/nativeclient' },
    ]);
  });

  it('lists application Mail.Send (+ Mail.ReadWrite for large attachments) or the delegated trio', () => {
    expect(graphPermissions('client-secret')).toEqual([
      { name: 'Mail.Send', type: 'application' },
      { name: 'Mail.ReadWrite', type: 'application', onlyFor: 'large-attachments' },
    ]);
    expect(graphPermissions('modern-auth').map((p) => `${p.type}:${p.name}`)).toEqual([
      'delegated:Mail.Send',
      'delegated:offline_access',
      'delegated:User.Read',
    ]);
  });

  it('builds the admin-consent URL for the tenant and client, encoded', () => {
    expect(adminConsentUrl(secretProfile)).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=11111111-2222-3333-4444-555555555555',
    );
    expect(adminConsentUrl({ ...secretProfile, tenant: 'a/b?c' })).toBe(
      'https://login.microsoftonline.com/a%2Fb%3Fc/adminconsent?client_id=11111111-2222-3333-4444-555555555555',
    );
    expect(adminConsentUrl({ ...secretProfile, tenant: ' ' })).toBeNull();
  });

  it('says whether admin consent is required', () => {
    const consent = (p: SetupProfile) => setupSteps(p).find((s) => s.id === 'admin-consent')?.adminConsent;
    expect(consent(secretProfile)?.required).toBe(true);
    expect(consent(modern)?.required).toBe(false);
    expect(consent(secretProfile)?.url).toContain('/contoso.onmicrosoft.com/adminconsent?client_id=');
  });

  it('counts the open steps, none once a test succeeded', () => {
    expect(openSteps(secretProfile)).toHaveLength(6);
    expect(openSteps({ ...secretProfile, setup: { ...EMPTY_SETUP, ticked: ['mailbox', 'platform'] } })).toHaveLength(5);
    expect(openSteps({ ...modern, setup: { ...EMPTY_SETUP, ticked: ['mailbox', 'platform'] } })).toEqual([
      'app-registration',
      'api-permissions',
      'admin-consent',
    ]);
    expect(openSteps({ ...secretProfile, setup: { ...EMPTY_SETUP, completedAt: '2026-12-01T10:00:00.000Z' } })).toEqual([]);
  });
});

describe('the consent URL may open, nothing else new', () => {
  it('puts the consent hosts (one per cloud) on the system-browser allowlist, and only them', async () => {
    const { HELP_HOSTS, HELP_URLS } = await import('../help');
    const { CLOUDS } = await import('../clouds');
    const authorityHosts = [...new Set(Object.values(CLOUDS).map((c) => new URL(c.authorityHost).hostname))];
    const url = adminConsentUrl(secretProfile);
    expect(url && HELP_HOSTS.has(new URL(url).hostname)).toBe(true);
    const helpHosts = new Set(Object.values(HELP_URLS).map((u) => new URL(u).hostname));
    expect([...HELP_HOSTS].filter((h) => !helpHosts.has(h)).sort()).toEqual(authorityHosts.sort());
  });
});
