import { randomUUID } from 'node:crypto';
import {
  CryptoProvider,
  InteractionRequiredAuthError,
  ServerError,
  type AccountInfo,
  type PublicClientApplication,
} from '@azure/msal-node';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from './index';
import { claims, expectAadErrorBody, graph, pca, rawToken, sampleMail } from './test-helpers';
import { launchChromiumTrusting } from '../hosts/chromium';

const SCOPES = [...DEMO.publicApp.scopes];
let emu: Emulator;
let browser: Browser;
let redirectUri: string;

beforeAll(async () => {
  emu = await startEmulator();
  redirectUri = `${emu.authorityHost}/common/oauth2/nativeclient`;
  browser = await launchChromiumTrusting(emu);
});
afterAll(async () => {
  await browser.close();
  await emu.close();
});

interface Started {
  client: PublicClientApplication;
  page: Page;
  verifier: string;
  state: string;
  close(): Promise<void>;
}

/** getAuthCodeUrl (PKCE S256) → open it in a fresh browser context. */
async function start(clientId: string, options: { loginHint?: string; prompt?: string; page?: Page } = {}): Promise<Started> {
  const client = pca(emu, clientId);
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const state = randomUUID();
  const url = await client.getAuthCodeUrl({
    scopes: SCOPES,
    redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    state,
    ...(options.loginHint === undefined ? {} : { loginHint: options.loginHint }),
    ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
  });
  const context = options.page?.context() ?? (await browser.newContext());
  const page = options.page ?? (await context.newPage());
  await page.goto(url);
  return { client, page, verifier, state, close: () => context.close() };
}

async function submitCredentials(page: Page, upn: string, password: string): Promise<void> {
  await page.fill('input[name="loginfmt"]', upn);
  await page.fill('input[name="passwd"]', password);
  await page.click('#idSIButton9');
}

/** Waits for the navigation to the nativeclient redirect URI and returns its query. */
async function redirected(page: Page): Promise<URLSearchParams> {
  await page.waitForURL((u) => u.pathname === '/common/oauth2/nativeclient');
  return new URL(page.url()).searchParams;
}

async function redeem(s: Started, params: URLSearchParams, verifier = s.verifier) {
  return s.client.acquireTokenByCode(
    { code: params.get('code') ?? '', scopes: SCOPES, redirectUri, codeVerifier: verifier, state: s.state },
    { code: params.get('code') ?? '', state: params.get('state') ?? '', client_info: params.get('client_info') ?? '' },
  );
}

function refreshTokenOf(client: PublicClientApplication): string {
  const cache = JSON.parse(client.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
  const entries = Object.values(cache.RefreshToken);
  expect(entries).toHaveLength(1);
  return entries[0]?.secret ?? '';
}

describe('authorization code + PKCE through the HTML pages (Chromium, real PublicClientApplication)', () => {
  let signedIn: { client: PublicClientApplication; account: AccountInfo; firstRefreshToken: string; code: string };

  it('signs the sender in, redeems the code and sends mail with the delegated token', async () => {
    emu.clearRequests();
    const s = await start(DEMO.publicApp.clientId, { loginHint: DEMO.sender.upn });
    expect(await s.page.locator('input[name="loginfmt"]').inputValue()).toBe(DEMO.sender.upn);
    await s.page.fill('input[name="passwd"]', DEMO.sender.password);
    await s.page.click('#idSIButton9');
    const params = await redirected(s.page);
    expect([...params.keys()]).toEqual(['code', 'client_info', 'state', 'session_state']);
    expect(params.get('state')).toBe(s.state);
    expect(JSON.parse(Buffer.from(params.get('client_info') ?? '', 'base64url').toString())).toEqual({
      uid: DEMO.sender.id,
      utid: DEMO.tenantId,
    });

    const result = await redeem(s, params);
    expect(result.account?.username).toBe(DEMO.sender.upn);
    expect(result.account?.homeAccountId).toBe(`${DEMO.sender.id}.${DEMO.tenantId}`);
    expect(result.tenantId).toBe(DEMO.tenantId);
    expect(result.scopes).toEqual(expect.arrayContaining(SCOPES));
    expect(result.idTokenClaims).toMatchObject({
      aud: DEMO.publicApp.clientId,
      tid: DEMO.tenantId,
      oid: DEMO.sender.id,
      ver: '2.0',
    });
    expect(result.idTokenClaims).not.toHaveProperty('nonce');
    const at = claims(result.accessToken);
    expect(at).toMatchObject({
      aud: 'https://graph.microsoft.com',
      idtyp: 'user',
      upn: DEMO.sender.upn,
      appid: DEMO.publicApp.clientId,
      appidacr: '0',
    });
    expect(String(at['scp']).split(' ')).toEqual(expect.arrayContaining(['Mail.Send', 'User.Read']));
    const tokenCall = emu.requests().find((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(result.requestId).toBe(tokenCall?.requestId);
    expect(emu.requests().some((r) => r.path.includes('openid-configuration'))).toBe(false);

    emu.clearSentMessages();
    await graph(emu, result.accessToken).api('/me/sendMail').post(sampleMail());
    expect(emu.sentMessages()[0]).toMatchObject({
      sender: DEMO.sender.upn,
      userId: DEMO.sender.id,
      userPrincipalName: DEMO.sender.upn,
    });
    const me = (await graph(emu, result.accessToken).api('/me').get()) as { userPrincipalName: string };
    expect(me.userPrincipalName).toBe(DEMO.sender.upn);

    signedIn = {
      client: s.client,
      account: result.account as AccountInfo,
      firstRefreshToken: refreshTokenOf(s.client),
      code: params.get('code') ?? '',
    };
    await s.close();
  });

  it('refuses to redeem a code twice (54005)', async () => {
    const correlationId = randomUUID();
    const raw = await rawToken(
      emu,
      DEMO.tenantId,
      {
        client_id: DEMO.publicApp.clientId,
        grant_type: 'authorization_code',
        code: signedIn.code,
        redirect_uri: redirectUri,
        code_verifier: 'x'.repeat(43),
      },
      correlationId,
    );
    expect(raw.status).toBe(400);
    expectAadErrorBody(raw.body, {
      error: 'invalid_grant',
      code: 54005,
      messageStart: 'OAuth2 Authorization code was already redeemed',
      correlationId,
    });
  });

  it('rotates the refresh token on every silent refresh and rejects the old one', async () => {
    const { client, account, firstRefreshToken } = signedIn;
    const result = await client.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true });
    expect(result.fromCache).toBe(false);
    const second = refreshTokenOf(client);
    expect(second).not.toBe(firstRefreshToken);
    const old = await rawToken(emu, DEMO.tenantId, {
      client_id: DEMO.publicApp.clientId,
      grant_type: 'refresh_token',
      refresh_token: firstRefreshToken,
      scope: `${SCOPES.join(' ')} openid profile offline_access`,
    });
    expect(old.status).toBe(400);
    expectAadErrorBody(old.body, {
      error: 'invalid_grant',
      code: 70000,
      messageStart: 'Provided grant is invalid or malformed.',
    });
  });

  it('expires the refresh token after 90 days of inactivity (700082)', async () => {
    const { client, account } = signedIn;
    await client.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true });
    emu.advanceClock(89 * 24 * 3600 * 1000);
    await client.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true }); // still fine: sliding window
    const rt = refreshTokenOf(client);
    emu.advanceClock(91 * 24 * 3600 * 1000);
    const e: unknown = await client
      .acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true })
      .catch((err: unknown) => err);
    // Entra sends invalid_grant without suberror, so MSAL 7.2.3 raises a ServerError (reference §3.2/§3.3).
    expect(e).toBeInstanceOf(ServerError);
    expect(e).not.toBeInstanceOf(InteractionRequiredAuthError);
    expect((e as ServerError).errorCode).toBe('invalid_grant');
    expect(Number((e as ServerError).errorNo)).toBe(700082);
    expect((e as ServerError).errorMessage).toContain('AADSTS700082: The refresh token has expired due to inactivity.');
    const raw = await rawToken(emu, DEMO.tenantId, {
      client_id: DEMO.publicApp.clientId,
      grant_type: 'refresh_token',
      refresh_token: rt,
      scope: SCOPES.join(' '),
    });
    expectAadErrorBody(raw.body, {
      error: 'invalid_grant',
      code: 700082,
      messageStart: 'The refresh token has expired due to inactivity. The token was issued on ',
    });
    expect(raw.body['error_description']).toMatch(/and was inactive for 90\.00:00:00\.\r\n/);
  });

  it('turns revoked sessions into 50173 bad_token → InteractionRequiredAuthError', async () => {
    const s = await start(DEMO.publicApp.clientId);
    await submitCredentials(s.page, DEMO.personalUser.upn, DEMO.personalUser.password);
    const result = await redeem(s, await redirected(s.page));
    await s.close();
    emu.world.revokeRefreshTokens(DEMO.personalUser.upn);
    emu.advanceClock(1000);
    const e: unknown = await s.client
      .acquireTokenSilent({ account: result.account as AccountInfo, scopes: SCOPES, forceRefresh: true })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InteractionRequiredAuthError);
    expect((e as InteractionRequiredAuthError).errorCode).toBe('invalid_grant');
    expect((e as InteractionRequiredAuthError).subError).toBe('bad_token');
    expect((e as InteractionRequiredAuthError).errorMessage).toMatch(
      /^AADSTS50173: The provided grant has expired due to it being revoked/,
    );
  });

  it('asks for interaction on refresh when MFA or consent became required (50076, 65001)', async () => {
    const s = await start(DEMO.publicApp.clientId);
    await submitCredentials(s.page, DEMO.otherMailbox.upn, DEMO.otherMailbox.password);
    const result = await redeem(s, await redirected(s.page));
    await s.close();
    const account = result.account as AccountInfo;
    const silent = () =>
      s.client.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true }).catch((err: unknown) => err);
    emu.world.setMfaRequired(DEMO.otherMailbox.upn, true);
    const mfa = (await silent()) as InteractionRequiredAuthError;
    emu.world.setMfaRequired(DEMO.otherMailbox.upn, false);
    expect(mfa).toBeInstanceOf(InteractionRequiredAuthError);
    expect([mfa.errorCode, mfa.subError]).toEqual(['interaction_required', 'basic_action']);
    expect(mfa.errorMessage).toMatch(/^AADSTS50076: Due to a configuration change made by your administrator/);
    emu.world.setAdminConsent(DEMO.publicApp.clientId, false);
    const consent = (await silent()) as InteractionRequiredAuthError;
    emu.world.setAdminConsent(DEMO.publicApp.clientId, true);
    expect(consent).toBeInstanceOf(InteractionRequiredAuthError);
    expect([consent.errorCode, consent.subError]).toEqual(['invalid_grant', 'consent_required']);
    expect(consent.errorMessage).toMatch(/^AADSTS65001: The user or administrator has not consented/);
  });

  it('rejects a wrong PKCE verifier with 50148', async () => {
    const s = await start(DEMO.publicApp.clientId, { loginHint: DEMO.sender.upn });
    await submitCredentials(s.page, DEMO.sender.upn, DEMO.sender.password);
    const params = await redirected(s.page);
    await s.close();
    const wrong = (await new CryptoProvider().generatePkceCodes()).verifier;
    const e: unknown = await redeem(s, params, wrong).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ServerError);
    expect((e as ServerError).errorCode).toBe('invalid_grant');
    expect(Number((e as ServerError).errorNo)).toBe(50148);
  });

  it('shows 50126 on the form for a wrong password and lets the user retry', async () => {
    const s = await start(DEMO.publicApp.clientId);
    await submitCredentials(s.page, DEMO.sender.upn, 'wrong');
    expect(await s.page.locator('#passwordError').textContent()).toContain('Your account or password is incorrect');
    expect(await s.page.locator('#errorCode').textContent()).toBe('AADSTS50126');
    expect(await s.page.locator('input[name="loginfmt"]').inputValue()).toBe(DEMO.sender.upn);
    await s.page.fill('input[name="passwd"]', DEMO.sender.password);
    await s.page.click('#idSIButton9');
    expect((await redirected(s.page)).get('code')).toBeTruthy();
    await s.close();
  });

  it('asks for the MFA code and accepts the documented one', async () => {
    const s = await start(DEMO.publicApp.clientId);
    await submitCredentials(s.page, DEMO.mfaUser.upn, DEMO.mfaUser.password);
    await s.page.fill('input[name="otc"]', '000000');
    await s.page.click('#idSubmit_SAOTCC_Continue');
    await s.page.locator('#idSpan_SAOTCC_Error_OTC').waitFor();
    await s.page.fill('input[name="otc"]', DEMO.mfaCode);
    await s.page.click('#idSubmit_SAOTCC_Continue');
    const result = await redeem(s, await redirected(s.page));
    expect(claims(result.accessToken)['amr']).toEqual(['pwd', 'mfa']);
    await s.close();
  });

  it('shows the consent page and continues after Accept', async () => {
    const s = await start(DEMO.publicAppNoConsent.clientId);
    await submitCredentials(s.page, DEMO.personalUser.upn, DEMO.personalUser.password);
    await s.page.locator('#consentHeader').waitFor();
    expect(await s.page.locator('#scopes li').allTextContents()).toEqual(['Mail.Send', 'User.Read']);
    await s.page.getByRole('button', { name: 'Accept' }).click();
    const result = await redeem(s, await redirected(s.page));
    expect(result.account?.username).toBe(DEMO.personalUser.upn);
    expect(emu.world.consentedScopes(emu.world.appOrThrow(DEMO.publicAppNoConsent.clientId), DEMO.personalUser.id)).toEqual(
      new Set(['Mail.Send', 'User.Read']),
    );
    await s.close();
  });

  it('redirects with access_denied / 65004 when consent is cancelled (German page)', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const s = await start(DEMO.publicAppNoConsent.clientId, { page });
    await submitCredentials(s.page, DEMO.sender.upn, DEMO.sender.password);
    await s.page.getByRole('button', { name: 'Abbrechen' }).click();
    const params = await redirected(s.page);
    expect([...params.keys()]).toEqual(['error', 'error_description', 'error_uri', 'state']);
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_uri')).toBe('https://login.microsoftonline.com/error?code=65004');
    expect(params.get('state')).toBe(s.state);
    expect(params.get('error_description')).toMatch(
      /^AADSTS65004: User declined to consent to access the app\.\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    await context.close();
  });

  it('shows Conditional Access blocks (53003) on the error page', async () => {
    const s = await start(DEMO.publicApp.clientId);
    await submitCredentials(s.page, DEMO.caBlockedUser.upn, DEMO.caBlockedUser.password);
    expect(await s.page.locator('#errorTitle').textContent()).toBe("Sorry, but we're having trouble signing you in.");
    expect(await s.page.locator('#errorMessage').textContent()).toBe(
      'AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
    );
    expect(await s.page.locator('#requestId').textContent()).toMatch(/^[0-9a-f-]{36}$/);
    expect(await s.page.locator('#correlationId').textContent()).toMatch(/^[0-9a-f-]{36}$/);
    expect(await s.page.locator('#timestamp').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    await s.close();
  });

  it('uses the SSO session for prompt=none and answers login_required without one', async () => {
    const s = await start(DEMO.publicApp.clientId);
    await submitCredentials(s.page, DEMO.sender.upn, DEMO.sender.password);
    await redirected(s.page);
    const again = await start(DEMO.publicApp.clientId, { prompt: 'none', page: s.page });
    expect((await redirected(again.page)).get('code')).toBeTruthy();
    await s.close();
    const fresh = await start(DEMO.publicApp.clientId, { prompt: 'none' });
    const params = await redirected(fresh.page);
    expect(params.get('error')).toBe('login_required');
    expect(params.get('error_description')).toMatch(/^AADSTS50058: /);
    await fresh.close();
  });
});

describe('errors Entra shows on its page instead of redirecting', () => {
  const authorizeUrl = (tenant: string, clientId: string, redirect: string): string =>
    `${emu.authorityHost}/${tenant}/oauth2/v2.0/authorize?` +
    new URLSearchParams({
      client_id: clientId,
      scope: `${SCOPES.join(' ')} openid profile offline_access`,
      redirect_uri: redirect,
      response_type: 'code',
      state: 's',
    }).toString();

  async function errorPageText(url: string): Promise<{ status: number; text: string }> {
    const res = await fetch(url, { redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  }

  it('50011 for an unregistered redirect URI, 700016 for an unknown client, 90002 for an unknown tenant', async () => {
    const mismatch = await errorPageText(authorizeUrl(DEMO.tenantId, DEMO.publicApp.clientId, 'https://evil.example/cb'));
    expect(mismatch.status).toBe(200);
    expect(mismatch.text).toContain("Sorry, but we're having trouble signing you in.");
    expect(mismatch.text).toContain(
      'AADSTS50011: The redirect URI &#39;https://evil.example/cb&#39; specified in the request does not match',
    );
    const client = await errorPageText(authorizeUrl(DEMO.tenantId, DEMO.unknownClientId, redirectUri));
    expect(client.text).toContain(`AADSTS700016: Application with identifier &#39;${DEMO.unknownClientId}&#39; was not found`);
    const tenant = await errorPageText(authorizeUrl(DEMO.unknownTenantId, DEMO.publicApp.clientId, redirectUri));
    expect(tenant.text).toContain(`AADSTS90002: Tenant &#39;${DEMO.unknownTenantId}&#39; not found.`);
  });

  it('accepts the registered custom-scheme redirect URI and redirects there', async () => {
    const res = await fetch(
      authorizeUrl(DEMO.tenantId, DEMO.publicApp.clientId, `msal${DEMO.publicApp.clientId}://auth`) + '&prompt=none',
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(new RegExp(`^msal${DEMO.publicApp.clientId}://auth\\?error=login_required&`));
  });

  it('redirects an invalid scope back to the app (70011)', async () => {
    const url = authorizeUrl(DEMO.tenantId, DEMO.publicApp.clientId, redirectUri).replace('User.Read', 'User.Reed');
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const params = new URL(res.headers.get('location') ?? '').searchParams;
    expect([params.get('error'), params.get('error_uri'), params.get('state')]).toEqual([
      'invalid_scope',
      'https://login.microsoftonline.com/error?code=70011',
      's',
    ]);
    expect(params.get('error_description')).toMatch(
      /^AADSTS70011: The provided value for the input parameter 'scope' is not valid\./,
    );
  });

  it('50034 for an unknown user and 50057 for a disabled one', async () => {
    const page = await browser.newPage();
    await page.goto(authorizeUrl(DEMO.tenantId, DEMO.publicApp.clientId, redirectUri));
    await submitCredentials(page, `nobody@${DEMO.tenantDomain}`, 'x');
    expect(await page.locator('#errorMessage').textContent()).toMatch(
      /^AADSTS50034: The user account \{EUII Hidden\} does not exist/,
    );
    await page.goto(authorizeUrl(DEMO.tenantId, DEMO.publicApp.clientId, redirectUri));
    await submitCredentials(page, DEMO.disabledUser.upn, DEMO.disabledUser.password);
    expect(await page.locator('#errorMessage').textContent()).toBe('AADSTS50057: The user account is disabled.');
    await page.close();
  });
});
