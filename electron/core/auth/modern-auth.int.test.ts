import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvents, SignInResult, TestReport } from '../../../shared/ipc/contract';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { PlaywrightSignInWindow } from '../../../e2e/hosts/playwright-sign-in-window';
import { PlaywrightSystemBrowser } from '../../../e2e/hosts/playwright-system-browser';
import { composeTestCore } from '../testing/core-fixture';
import { KEEP_ALIVE_CHECK_MS } from '../keep-alive/keep-alive';
import { ManualTimer } from '../keep-alive/manual-timer';
import type { SignInWindow, SignInWindowResult } from '../ports';
import { InMemoryCipher, InMemoryStore, MemoryLogger } from '../testing/in-memory';
import { launchChromiumTrusting } from '../../../e2e/hosts/chromium';
import { emulatorEndpoints } from '../testing/emulator-endpoints';

// Modern Authentication end to end below the UI: the real PublicClientApplication, the real Graph
// client, the emulator's real HTML pages driven in Chromium through the browser host's sign-in window.

let emu: Emulator;
let browser: Browser;
let signInWindow: PlaywrightSignInWindow;
let systemBrowser: PlaywrightSystemBrowser;

beforeAll(async () => {
  emu = await startEmulator();
  browser = await launchChromiumTrusting(emu);
});
afterAll(async () => {
  await browser.close();
  await emu.close();
});
beforeEach(() => {
  signInWindow = new PlaywrightSignInWindow(browser, { locale: 'en-US' });
  systemBrowser = new PlaywrightSystemBrowser(browser, { locale: 'en-US' });
  emu.clearFaults();
  emu.clearRequests();
  emu.clearSentMessages();
});
afterEach(async () => {
  await signInWindow.closeAll();
  await systemBrowser.closeAll();
});

const sender = DEMO.sender;
const DAY = 24 * 3600 * 1000;

interface Stores {
  profiles: InMemoryStore;
  secrets: InMemoryStore;
  settings: InMemoryStore;
}

function core(options: { stores?: Stores; window?: SignInWindow; signInTimeoutMs?: number } = {}) {
  const stores = options.stores ?? { profiles: new InMemoryStore(), secrets: new InMemoryStore(), settings: new InMemoryStore() };
  const cipher = new InMemoryCipher();
  const logger = new MemoryLogger();
  const states: Array<ApiEvents['signIn.state']['state']> = [];
  // The app's clock can be moved forward (keep-alive); the manual timer runs its checks on demand.
  const clock = { offsetMs: 0 };
  const timer = new ManualTimer();
  // Sign-in timeouts fire when a test says so, never by wall-clock time on a loaded machine.
  const signInTimer = new ManualTimer();
  const { api, keepAlive } = composeTestCore({
    stores,
    os: {
      cipher,
      clock: { now: () => new Date(Date.now() + clock.offsetMs) },
      timer,
      signInTimer,
      logger,
      signInWindow: options.window ?? signInWindow,
      systemBrowser,
    },
    emit: (event, payload) => {
      if (event === 'signIn.state') states.push((payload as ApiEvents['signIn.state']).state);
    },
    ...(options.signInTimeoutMs === undefined ? {} : { signInTimeoutMs: options.signInTimeoutMs }),
    network: {
      endpoints: emulatorEndpoints(emu),
      requestTimeoutMs: 10_000,
      maxRetries: 1,
    },
  });
  return { api, stores, cipher, logger, states, clock, timer, signInTimer, keepAlive };
}
type Core = ReturnType<typeof core>;

function modernProfile(
  c: Core,
  patch: { sender?: string; clientId?: string; tenant?: string; signInMethod?: 'popup' | 'system-browser' } = {},
) {
  return c.api.profiles.save({
    draft: {
      name: 'Lager (Modern)',
      accountType: 'modern-auth',
      senderAddress: patch.sender ?? sender.upn,
      mailboxAddress: '',
      clientId: patch.clientId ?? DEMO.publicApp.clientId,
      tenant: patch.tenant ?? DEMO.tenantId,
      secretExpiresOn: '',
      ...(patch.signInMethod === undefined ? {} : { signInMethod: patch.signInMethod }),
    },
  });
}

async function submitCredentials(page: Page, upn: string, password: string): Promise<void> {
  await page.fill('input[name="loginfmt"]', upn);
  await page.fill('input[name="passwd"]', password);
  await page.click('#idSIButton9');
}

/** Starts the sign-in and returns the popup page the admin would see. */
async function startSignIn(c: Core, profileId: string): Promise<{ page: Page; result: Promise<SignInResult> }> {
  const result = c.api.signIn.start({ profileId });
  const page = await signInWindow.nextSignInPage();
  await page.locator('input[name="loginfmt"], #errorTitle').first().waitFor();
  return { page, result };
}

async function signInAs(c: Core, profileId: string, user: { upn: string; password: string }): Promise<SignInResult> {
  const { page, result } = await startSignIn(c, profileId);
  await submitCredentials(page, user.upn, user.password);
  return result;
}

const summary = (report: TestReport) => Object.fromEntries(report.steps.map((s) => [s.id, `${s.status}:${s.messageKey ?? ''}`]));
const step = (report: TestReport, id: string) => report.steps.find((s) => s.id === id);

/**
 * The next token answer names the sender but carries another tenant's tid, in Entra's shape (forged, unsigned: MSAL
 * does not check signatures). With `nonce` it answers a sign-in; `jwtAccessToken` makes the access token readable.
 */
function answerNextTokenForTenant(tid: string, options: { nonce?: string; jwtAccessToken?: boolean } = {}): void {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = (claims: object) => [b64({ alg: 'RS256', typ: 'JWT', kid: 'forged' }), b64(claims), 'Zm9yZ2Vk'].join('.');
  const now = Math.floor(emu.now() / 1000);
  const common = { iat: now, nbf: now, exp: now + 3600, oid: sender.id, tid };
  emu.setFault({
    match: { host: 'login', path: '/oauth2/v2.0/token' },
    times: 1,
    action: {
      type: 'status',
      status: 200,
      body: {
        token_type: 'Bearer',
        scope: 'https://graph.microsoft.com/Mail.Send https://graph.microsoft.com/User.Read',
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: options.jwtAccessToken
          ? jwt({
              ...common,
              aud: DEMO.graphResource,
              iss: `https://sts.windows.net/${tid}/`,
              scp: 'Mail.Send User.Read',
              upn: sender.upn,
            })
          : 'forged-access-token',
        refresh_token: 'forged-refresh-token',
        id_token: jwt({
          ...common,
          aud: DEMO.publicApp.clientId,
          iss: `${emu.authorityHost}/${tid}/v2.0`,
          ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
          preferred_username: sender.upn,
          name: 'Forged',
          sub: 'forged-sub',
          ver: '2.0',
        }),
        client_info: b64({ uid: sender.id, utid: tid }),
      },
    },
  });
}
const tokenRecords = (stores: Stores): string[] =>
  Object.keys((stores.secrets.get('records') ?? {}) as Record<string, unknown>).filter((k) => k.startsWith('tokenCache:'));
const tokenRequests = () => emu.requests().filter((r) => r.path.endsWith('/oauth2/v2.0/token'));

/** The stored cache, decrypted with the test cipher (what MSAL would read back). */
async function storedCache(c: Core, profileId: string): Promise<{ RefreshToken: Record<string, { secret: string }> }> {
  const records = c.stores.secrets.get('records') as Record<string, { ciphertextB64: string }>;
  const record = records[`tokenCache:${profileId}`];
  if (!record) throw new Error('no token cache stored');
  return JSON.parse((await c.cipher.decrypt(Buffer.from(record.ciphertextB64, 'base64'))).plaintext) as {
    RefreshToken: Record<string, { secret: string }>;
  };
}
const refreshTokenIn = async (c: Core, profileId: string) =>
  Object.values((await storedCache(c, profileId)).RefreshToken)[0]?.secret ?? '';

describe('Modern Authentication sign-in (real PublicClientApplication, emulator pages in Chromium)', () => {
  it('consent accepted: the profile shows the account, the test passes and the message lands in the sink', async () => {
    emu.world.revokeUserConsents(DEMO.publicAppNoConsent.clientId);
    const c = core();
    const profile = await modernProfile(c, { clientId: DEMO.publicAppNoConsent.clientId });
    const { page, result } = await startSignIn(c, profile.id);
    expect(await page.locator('input[name="loginfmt"]').inputValue()).toBe(sender.upn); // login_hint
    await page.fill('input[name="passwd"]', sender.password);
    await page.click('#idSIButton9');
    await page.locator('#consentHeader').waitFor();
    await page.click('#idBtn_Accept');
    const outcome = await result;

    expect(outcome.outcome).toBe('signed-in');
    const signedIn = outcome.outcome === 'signed-in' ? outcome.profile : null;
    expect(signedIn?.delegated).toMatchObject({
      username: sender.upn,
      homeAccountId: `${sender.id}.${DEMO.tenantId}`,
      lastSilentRefresh: null,
    });
    expect(signedIn?.revision).toBe(profile.revision); // not an edit: an open mask stays current
    expect(c.states).toEqual(['waiting-for-user', 'exchanging-code', 'signed-in']);
    expect(signInWindow.signInPages()).toEqual([]); // the window is gone

    // Authorize request hygiene (OA-2): PKCE S256, fresh state and nonce, query mode, login_hint.
    const authorize = emu.requests().find((r) => r.path.endsWith('/oauth2/v2.0/authorize'));
    const q = new URLSearchParams(authorize?.query ?? '');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')?.length).toBeGreaterThanOrEqual(43);
    expect(q.get('nonce')?.length).toBeGreaterThanOrEqual(43);
    expect(q.get('login_hint')).toBe(sender.upn);
    expect(q.get('redirect_uri')).toBe(`${emu.authorityHost}/common/oauth2/nativeclient`);
    expect(q.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining([
        'https://graph.microsoft.com/Mail.Send',
        'https://graph.microsoft.com/User.Read',
        'offline_access',
      ]),
    );
    // The redirect URI was captured, never requested (OA-P4).
    expect(emu.requests().filter((r) => r.path === '/common/oauth2/nativeclient')).toEqual([]);

    const report = await c.api.tests.run({ profileId: profile.id, testMessageTo: 'einkauf@lieferant.example' });
    expect(summary(report)).toEqual({
      signedIn: 'ok:steps.signedIn.ok',
      token: 'ok:steps.token.refreshed',
      account: 'ok:steps.account.ok',
      scopes: 'ok:steps.scopes.ok',
      send: 'ok:steps.send.accepted',
      signInAge: 'ok:steps.signInAge.ok',
    });
    expect(step(report, 'signInAge')?.params['daysAgo']).toBe('0');
    // A list the admin reads, not the token's space-separated claim.
    expect(step(report, 'scopes')?.params['scopes']).toMatch(/^[\w.]+(, [\w.]+)+$/);
    expect(step(report, 'scopes')?.params['scopes']).toContain('Mail.Send');
    const sent = emu.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ sender: sender.upn, userPrincipalName: sender.upn });
    expect(sent[0]?.toRecipients[0]?.address).toBe('einkauf@lieferant.example');
    const [listed] = await c.api.profiles.list();
    expect(listed?.delegated?.lastSilentRefresh).toBeTruthy();
    expect(listed?.lastTest?.outcome).toBe('ok');
  });

  // OA-8: a refused consent leaves the profile unchanged.
  it('consent cancelled (AADSTS65004): failed step with the diagnosis, nothing stored', async () => {
    emu.world.revokeUserConsents(DEMO.publicAppNoConsent.clientId);
    const c = core();
    const profile = await modernProfile(c, { clientId: DEMO.publicAppNoConsent.clientId });
    const { page, result } = await startSignIn(c, profile.id);
    await submitCredentials(page, sender.upn, sender.password);
    await page.click('#idBtn_Back');
    const outcome = await result;
    expect(outcome).toMatchObject({
      outcome: 'failed',
      step: { id: 'signIn', status: 'failed', messageKey: 'diagnostics:aad-consent-declined.title', code: 'AADSTS65004' },
    });
    if (outcome.outcome === 'failed') expect(outcome.step.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.states.at(-1)).toBe('failed');
    expect(tokenRequests()).toEqual([]);
    expect(tokenRecords(c.stores)).toEqual([]);
    expect((await c.api.profiles.list())[0]?.delegated).toBeNull();
  });

  it('wrong password: the page stays for a retry; closing the window is a plain cancel', async () => {
    const c = core();
    const profile = await modernProfile(c);
    const { page, result } = await startSignIn(c, profile.id);
    await submitCredentials(page, sender.upn, 'falsch');
    expect(await page.locator('#errorCode').textContent()).toBe('AADSTS50126');
    await page.close();
    expect(await result).toEqual({
      outcome: 'cancelled',
      reason: 'closed',
      redirectUri: `${emu.authorityHost}/common/oauth2/nativeclient`,
    });
    expect(c.states).toEqual(['waiting-for-user', 'cancelled']);
    expect(tokenRecords(c.stores)).toEqual([]);
  });

  // OA-3: the account must match the profile; nothing of a refused one is kept.
  it('a personal account is refused by the account guard and nothing of it is persisted', async () => {
    const c = core();
    const profile = await modernProfile(c);
    const outcome = await signInAs(c, profile.id, DEMO.personalUser);
    expect(outcome).toMatchObject({
      outcome: 'failed',
      step: {
        messageKey: 'diagnostics:auth-wrong-account.title',
        params: { account: DEMO.personalUser.upn, mailbox: sender.upn },
      },
    });
    expect(tokenRequests()).toHaveLength(1); // redeemed, then refused
    expect(tokenRecords(c.stores)).toEqual([]);
    expect((await c.api.profiles.list())[0]?.delegated).toBeNull();
    const report = await c.api.tests.run({ profileId: profile.id });
    expect(step(report, 'signedIn')?.messageKey).toBe('diagnostics:msal-no-account.title');

    // A correct sign-in first, then a wrong one: the stored session stays the sender's.
    await signInAs(c, profile.id, sender);
    const before = await refreshTokenIn(c, profile.id);
    const again = await signInAs(c, profile.id, DEMO.personalUser);
    expect(again.outcome).toBe('failed');
    expect(await refreshTokenIn(c, profile.id)).toBe(before);
    expect((await c.api.profiles.list())[0]?.delegated?.username).toBe(sender.upn);
    expect(JSON.stringify(await storedCache(c, profile.id))).not.toContain(DEMO.personalUser.upn);
  });

  // OA-3: a wrong state sends no token request.
  it('a tampered state is refused before any token request', async () => {
    const tampering: SignInWindow = {
      open: async (request) => {
        const reply = await signInWindow.open(request);
        if (reply.kind !== 'redirect') return reply;
        const url = new URL(reply.url);
        url.searchParams.set('state', 'forged-state-value');
        return { kind: 'redirect', url: url.href };
      },
    };
    const c = core({ window: tampering });
    const profile = await modernProfile(c);
    const outcome = await signInAs(c, profile.id, sender);
    expect(outcome).toMatchObject({ outcome: 'failed', step: { messageKey: 'diagnostics:msal-state-mismatch.title' } });
    expect(tokenRequests()).toEqual([]);
    expect(tokenRecords(c.stores)).toEqual([]);
  });

  it('a verified-domain tenant signs in; its tenant id comes from the discovery document', async () => {
    const c = core();
    const profile = await modernProfile(c, { tenant: DEMO.tenantDomain });
    expect((await signInAs(c, profile.id, sender)).outcome).toBe('signed-in');
    expect(emu.requests().some((r) => r.path === `/${DEMO.tenantDomain}/v2.0/.well-known/openid-configuration`)).toBe(true);
  });

  it('a verified-domain tenant is compared too: a token of another tenant (Fabrikam) is refused (OA-3)', async () => {
    // Entra resolves contoso.onmicrosoft.com to Contoso; this token answer names the sender, but Fabrikam's tid.
    const forging: SignInWindow = {
      open: (request) => {
        answerNextTokenForTenant(DEMO.otherTenant.tenantId, {
          nonce: new URL(request.authorizeUrl).searchParams.get('nonce') ?? '',
        });
        return signInWindow.open(request);
      },
    };
    const c = core({ window: forging });
    const profile = await modernProfile(c, { tenant: DEMO.tenantDomain });
    const outcome = await signInAs(c, profile.id, sender);
    expect(outcome).toMatchObject({
      outcome: 'failed',
      // No Microsoft code exists for this diagnosis: none is shown, and our own id does not pose as one.
      step: {
        messageKey: 'diagnostics:auth-wrong-account.title',
        params: { account: sender.upn, mailbox: sender.upn },
        code: null,
      },
    });
    expect(tokenRecords(c.stores)).toEqual([]);
    expect((await c.api.profiles.list())[0]?.delegated).toBeNull();
  });

  it('the connection test compares a verified-domain tenant too: a refreshed token of another tenant fails the account step (OA-3)', async () => {
    const c = core();
    const profile = await modernProfile(c, { tenant: DEMO.tenantDomain });
    expect(await signInAs(c, profile.id, sender)).toMatchObject({ outcome: 'signed-in' });
    // The domain resolves to Contoso, the tenant the real tokens come from: the account step passes.
    expect(step(await c.api.tests.run({ profileId: profile.id }), 'account')?.status).toBe('ok');

    // The next refresh answers for the sender, but with Fabrikam's tid (in the access token and the id token).
    const foreignTid = DEMO.otherTenant.tenantId;
    answerNextTokenForTenant(foreignTid, { jwtAccessToken: true });
    const report = await c.api.tests.run({ profileId: profile.id, testMessageTo: sender.upn });
    expect(summary(report)).toMatchObject({
      token: 'ok:steps.token.refreshed',
      account: 'failed:diagnostics:auth-wrong-account.title',
      scopes: 'skipped:steps.skipped.wrongTenant',
      send: 'skipped:steps.skipped.wrongTenant',
    });
    expect(step(report, 'account')?.params).toEqual({ account: sender.upn, mailbox: sender.upn });
    expect(step(report, 'account')?.detail).toContain(foreignTid);
    expect(emu.sentMessages()).toEqual([]);
    expect(report.outcome).toBe('failed');
  });

  // OA-P3/OA-P4, as the Electron popup does it: only the top frame's page decides the attempt.
  it('a sub-frame to an unlisted host or to the redirect URI is refused and the sign-in goes on', async () => {
    const c = core();
    const profile = await modernProfile(c);
    const { page, result } = await startSignIn(c, profile.id);
    const frames = ['https://unlisted.example/frame', `${emu.authorityHost}/common/oauth2/nativeclient?code=forged&state=forged`];
    await page.evaluate((urls) => {
      const doc = (globalThis as unknown as { document: Doc }).document;
      interface Doc {
        createElement(tag: 'iframe'): { src: string };
        body: { append(el: unknown): void };
      }
      for (const url of urls) {
        const frame = doc.createElement('iframe');
        frame.src = url;
        doc.body.append(frame);
      }
    }, frames);
    await expect
      .poll(() => frames.map((url) => signInWindow.log.find((e) => e.url === url)?.decision))
      .toEqual(['block', 'redirect']);
    expect(signInWindow.signInPages()).toContain(page);
    await submitCredentials(page, sender.upn, sender.password);
    expect(await result).toMatchObject({ outcome: 'signed-in' });
    // Neither frame was requested: the code in a frame at the redirect URI is never taken as the reply.
    expect(emu.requests().filter((r) => r.path === '/common/oauth2/nativeclient')).toEqual([]);
  });

  it('an unregistered redirect URI shows AADSTS50011 in the window; closing it returns the URI to register', async () => {
    const app = emu.world.appOrThrow(DEMO.publicApp.clientId);
    const registered = [...app.redirectUris];
    app.redirectUris = registered.filter((u) => !u.endsWith('/nativeclient'));
    try {
      const c = core();
      const profile = await modernProfile(c);
      const { page, result } = await startSignIn(c, profile.id);
      expect(await page.locator('#errorMessage').textContent()).toMatch(/^AADSTS50011: The redirect URI /);
      await page.close();
      expect(await result).toEqual({
        outcome: 'cancelled',
        reason: 'closed',
        redirectUri: `${emu.authorityHost}/common/oauth2/nativeclient`,
      });
    } finally {
      app.redirectUris = registered;
    }
  });

  it('MFA: the code page, then signed in', async () => {
    const c = core();
    const profile = await modernProfile(c, { sender: DEMO.mfaUser.upn });
    const { page, result } = await startSignIn(c, profile.id);
    await submitCredentials(page, DEMO.mfaUser.upn, DEMO.mfaUser.password);
    await page.fill('input[name="otc"]', DEMO.mfaCode);
    await page.click('#idSubmit_SAOTCC_Continue');
    expect((await result).outcome).toBe('signed-in');
  });

  it('Conditional Access: blocked on the page at sign-in, and on refresh in the test (AADSTS53003)', async () => {
    const c = core();
    const blocked = await modernProfile(c, { sender: DEMO.caBlockedUser.upn });
    const { page, result } = await startSignIn(c, blocked.id);
    await submitCredentials(page, DEMO.caBlockedUser.upn, DEMO.caBlockedUser.password);
    expect(await page.locator('#errorMessage').textContent()).toMatch(/^AADSTS53003: /);
    await page.close();
    expect((await result).outcome).toBe('cancelled');

    const profile = await modernProfile(c);
    await signInAs(c, profile.id, sender);
    const blocks = emu.world.data.conditionalAccessBlocks;
    emu.world.blockWithConditionalAccess({ name: 'Block ERP sender', userId: sender.id });
    try {
      const report = await c.api.tests.run({ profileId: profile.id });
      expect(step(report, 'token')).toMatchObject({
        status: 'failed',
        messageKey: 'diagnostics:aad-conditional-access.title',
        code: 'AADSTS53003',
      });
    } finally {
      // Only this test's policy goes; the demo world's own block (versand@) stays.
      blocks.splice(
        blocks.findIndex((b) => b.name === 'Block ERP sender'),
        1,
      );
    }
  });

  // OA-P3: a foreign host ends the attempt, naming the host.
  it('a page on a host outside the allowlist is blocked and named', async () => {
    const c = core();
    const profile = await modernProfile(c);
    emu.setFault({
      match: { host: 'login', path: '/oauth2/v2.0/authorize' },
      action: {
        type: 'status',
        status: 302,
        body: '',
        headers: { Location: 'https://login.microsoftonline.com.evil.test/common/login' },
      },
      times: 1,
    });
    const outcome = await c.api.signIn.start({ profileId: profile.id });
    expect(outcome).toMatchObject({
      outcome: 'failed',
      step: {
        messageKey: 'diagnostics:signin-host-blocked.title',
        params: { host: 'login.microsoftonline.com.evil.test' },
        code: null,
      },
    });
    expect(signInWindow.log.some((e) => e.decision === 'block' && e.url.includes('evil.test'))).toBe(true);
  });

  // OA-9, OA-P7: a timeout ends the attempt once and closes the window.
  it('times out into a cancel with its reason, and closes the window', async () => {
    const c = core({ signInTimeoutMs: 1500 });
    const profile = await modernProfile(c);
    const result = c.api.signIn.start({ profileId: profile.id });
    const again = c.api.signIn.start({ profileId: profile.id }); // a double click joins the attempt
    const page = await signInWindow.nextSignInPage();
    await page.locator('input[name="loginfmt"]').waitFor(); // the page is shown, then forgotten
    await c.signInTimer.advance(1500);
    expect(await result).toMatchObject({ outcome: 'cancelled', reason: 'timeout' });
    expect(await again).toMatchObject({ outcome: 'cancelled', reason: 'timeout' });
    expect(signInWindow.signInPages()).toEqual([]);
    expect(emu.requests().filter((r) => r.path.endsWith('/authorize'))).toHaveLength(1);
  });
  it('a timeout that fires while the window is still opening closes it before it shows anything', async () => {
    // The window's browser context takes its time (a loaded CI machine); the timeout fires meanwhile.
    let entered: () => void = () => undefined;
    const opening = new Promise<void>((resolve) => (entered = resolve));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowBrowser = new Proxy(browser, {
      get(target, prop) {
        if (prop === 'newContext')
          return async (...args: Parameters<Browser['newContext']>) => {
            entered();
            await gate;
            return target.newContext(...args);
          };
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const slowWindow = new PlaywrightSignInWindow(slowBrowser, { locale: 'en-US' });
    let opened: Promise<SignInWindowResult> | undefined;
    const c = core({ window: { open: (request) => (opened = slowWindow.open(request)) }, signInTimeoutMs: 1500 });
    try {
      const profile = await modernProfile(c);
      const result = c.api.signIn.start({ profileId: profile.id });
      await opening;
      await c.signInTimer.advance(1500);
      expect(await result).toMatchObject({ outcome: 'cancelled', reason: 'timeout' });
      release();
      const first = await Promise.race([
        (opened ?? Promise.reject(new Error('no window opened'))).then((r) => ({ window: r })),
        slowWindow.nextSignInPage(10_000).then(
          () => ({ window: 'shown' as const }),
          () => ({ window: 'none' as const }),
        ),
      ]);
      expect(first).toEqual({ window: { kind: 'cancelled' } });
      expect(slowWindow.signInPages()).toEqual([]);
      expect(emu.requests().filter((r) => r.path.endsWith('/authorize'))).toEqual([]);
    } finally {
      release();
      await slowWindow.closeAll();
    }
  });

  it('a cancel while the authorize URL is still being built opens no window', async () => {
    const opens: string[] = [];
    const c = core({ window: { open: (request) => (opens.push(request.authorizeUrl), signInWindow.open(request)) } });
    const profile = await modernProfile(c);
    const result = c.api.signIn.start({ profileId: profile.id });
    void c.api.signIn.cancel({ profileId: profile.id });
    expect(await result).toMatchObject({ outcome: 'cancelled', reason: 'closed' });
    expect(opens).toEqual([]);
    expect(c.states).toEqual(['cancelled']);
  });
});

/** Whether anything still accepts connections on the loopback listener's port. */
async function listening(port: string): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

// OA-1: the second sign-in method, against the emulator.
describe('system browser + loopback (RFC 8252: MSAL acquireTokenInteractive)', () => {
  /** The admin registered http://localhost under "Mobile and desktop applications" (undone after each test). */
  function registerLoopback(): () => void {
    const registration = emu.world.appOrThrow(DEMO.publicApp.clientId);
    const before = [...registration.redirectUris];
    registration.redirectUris.push('http://localhost');
    return () => {
      registration.redirectUris = before;
    };
  }

  // OA-L1: the listener is gone after the sign-in.
  it('signs in through the browser and the real listener; same account guard; the listener is gone afterwards', async () => {
    const restore = registerLoopback();
    try {
      const c = core();
      const profile = await modernProfile(c, { signInMethod: 'system-browser' });
      expect(profile.signInMethod).toBe('system-browser');
      const result = c.api.signIn.start({ profileId: profile.id });
      const page = await systemBrowser.nextPage();
      const authorize = new URL(systemBrowser.urls.at(-1) ?? '');
      expect(authorize.origin).toBe(emu.authorityHost);
      const redirect = new URL(authorize.searchParams.get('redirect_uri') ?? '');
      expect(`${redirect.protocol}//${redirect.hostname}`).toBe('http://localhost');
      expect(authorize.searchParams.get('prompt')).toBe('select_account');
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      // MSAL drops the hint with select_account (Entra refuses the pair); the account guard decides instead.
      expect(authorize.searchParams.get('login_hint')).toBeNull();
      expect(authorize.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(c.states).toContain('waiting-for-user');

      await page.locator('input[name="loginfmt"]').waitFor();
      await submitCredentials(page, sender.upn, sender.password);
      const outcome = await result;
      expect(outcome.outcome).toBe('signed-in');
      if (outcome.outcome !== 'signed-in') return;
      expect(outcome.profile.delegated?.username).toBe(sender.upn);
      await page.getByText('Sie können dieses Browserfenster schließen').waitFor();
      expect(await page.locator('body').textContent()).toContain('return to Absender');
      expect(await listening(redirect.port)).toBe(false);
      expect(step(await c.api.tests.run({ profileId: profile.id }), 'token')?.status).toBe('ok');
    } finally {
      restore();
    }
  });

  it('a personal account is refused by the same account guard; nothing is stored', async () => {
    const restore = registerLoopback();
    try {
      const c = core();
      const profile = await modernProfile(c, { signInMethod: 'system-browser' });
      const result = c.api.signIn.start({ profileId: profile.id });
      const page = await systemBrowser.nextPage();
      await page.locator('input[name="loginfmt"]').waitFor();
      await submitCredentials(page, DEMO.personalUser.upn, DEMO.personalUser.password);
      const outcome = await result;
      expect(outcome.outcome).toBe('failed');
      if (outcome.outcome === 'failed') expect(outcome.step.messageKey).toBe('diagnostics:auth-wrong-account.title');
      expect(tokenRecords(c.stores)).toEqual([]);
    } finally {
      restore();
    }
  });

  // OA-L3, OA-L1: an unregistered URI fails; the timeout closes the listener.
  it('http://localhost not registered: Entra refuses (AADSTS50011); the timeout ends the attempt and closes the listener', async () => {
    const c = core({ signInTimeoutMs: 1500 });
    const profile = await modernProfile(c, { signInMethod: 'system-browser' });
    const result = c.api.signIn.start({ profileId: profile.id });
    const page = await systemBrowser.nextPage();
    await page.locator('#errorCode').waitFor();
    expect(await page.locator('#errorCode').textContent()).toContain('AADSTS50011');
    const port = new URL(new URL(systemBrowser.urls.at(-1) ?? '').searchParams.get('redirect_uri') ?? '').port;
    await c.signInTimer.advance(1500);
    expect(await result).toEqual({ outcome: 'cancelled', reason: 'timeout', redirectUri: 'http://localhost' });
    expect(await listening(port)).toBe(false);
    expect(c.states.at(-1)).toBe('cancelled');
  });
});

describe('the stored session: refresh, expiry, revocation, restart, sign-out', () => {
  // SH-9: the stores hold no token in plaintext.
  it('restart keeps the session; each refresh stores the rotated token; the stores hold no token in plaintext', async () => {
    const first = core();
    const profile = await modernProfile(first);
    expect((await signInAs(first, profile.id, sender)).outcome).toBe('signed-in');
    const rt1 = await refreshTokenIn(first, profile.id);
    expect(rt1).not.toBe('');

    // A new core over the same stores = the app restarted.
    const second = core({ stores: first.stores });
    emu.clearRequests();
    const report = await second.api.tests.run({ profileId: profile.id });
    expect(step(report, 'token')?.status).toBe('ok');
    expect(tokenRequests()).toHaveLength(1);
    const rt2 = await refreshTokenIn(second, profile.id);
    expect(rt2).not.toBe(rt1); // rotated, and the new one is what is stored (OA-6)

    const raw = [first.stores.profiles.dump(), first.stores.secrets.dump(), first.stores.settings.dump()].join('\n');
    for (const needle of [rt1, rt2]) expect(raw).not.toContain(needle);
    expect(raw).not.toMatch(/refresh_token|RefreshToken|"secret":"/);
    expect(raw).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\./);
    expect(first.logger.lines.join('\n')).not.toContain(rt2);
  });

  it('refresh token expired by inactivity (AADSTS700082): the test says sign in again, after one attempt', async () => {
    const c = core();
    const profile = await modernProfile(c);
    await signInAs(c, profile.id, sender);
    emu.advanceClock(91 * DAY);
    emu.clearRequests();
    const report = await c.api.tests.run({ profileId: profile.id, testMessageTo: sender.upn });
    expect(step(report, 'token')).toMatchObject({
      status: 'failed',
      messageKey: 'diagnostics:aad-refresh-token-inactive.title',
      code: 'AADSTS700082',
    });
    expect(tokenRequests()).toHaveLength(1); // no retry loop (OA-4)
    expect(step(report, 'send')).toMatchObject({ status: 'skipped', messageKey: 'steps.skipped.noToken' });
    expect(JSON.stringify(report)).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\./);
    expect(emu.sentMessages()).toEqual([]);
  });

  it('keep-alive: a due profile is refreshed in the background; an expired session is recorded once, without a new revision', async () => {
    const c = core();
    const profile = await modernProfile(c);
    expect((await signInAs(c, profile.id, sender)).outcome).toBe('signed-in');
    const signedIn = (await c.api.profiles.list())[0];
    c.keepAlive.start();

    // A week later (the default interval): the next check refreshes.
    c.clock.offsetMs = 7 * DAY;
    emu.clearRequests();
    await c.timer.runNext();
    expect(tokenRequests()).toHaveLength(1);
    const refreshed = (await c.api.profiles.list())[0];
    expect(Date.parse(refreshed?.delegated?.lastSilentRefresh ?? '')).toBeGreaterThan(Date.now() + 6 * DAY);
    expect(refreshed?.delegated?.lastRefreshError).toBeNull();
    expect(refreshed?.revision).toBe(signedIn?.revision); // not an edit: an open mask stays current
    expect(c.states.at(-1)).toBe('refreshed');

    // The app was not running for 91 days: Entra has dropped the session.
    emu.advanceClock(91 * DAY);
    c.clock.offsetMs += 91 * DAY;
    emu.clearRequests();
    await c.timer.advance(KEEP_ALIVE_CHECK_MS);
    expect(tokenRequests()).toHaveLength(1);
    const failed = (await c.api.profiles.list())[0];
    expect(failed?.delegated?.lastRefreshError).toMatchObject({
      diagnosisId: 'aad-refresh-token-inactive',
      code: 'AADSTS700082',
    });
    expect(failed?.revision).toBe(signedIn?.revision);
    expect(c.states.at(-1)).toBe('refresh-failed');
    expect(c.logger.lines.join('\n')).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\./);

    // No loop: the next hourly checks leave it alone until a day has passed.
    await c.timer.advance(3 * KEEP_ALIVE_CHECK_MS);
    expect(tokenRequests()).toHaveLength(1);

    // A new sign-in ends the failure.
    expect((await signInAs(c, profile.id, sender)).outcome).toBe('signed-in');
    expect((await c.api.profiles.list())[0]?.delegated?.lastRefreshError).toBeNull();
    c.keepAlive.stop();
  });

  it('revoked sessions (AADSTS50173): re-authenticate diagnosis', async () => {
    const c = core();
    const profile = await modernProfile(c);
    await signInAs(c, profile.id, sender);
    emu.world.revokeRefreshTokens(sender.upn);
    emu.advanceClock(1000);
    const report = await c.api.tests.run({ profileId: profile.id });
    expect(step(report, 'token')).toMatchObject({ status: 'failed', messageKey: 'diagnostics:aad-grant-revoked.title' });
    // Signing in again heals it.
    expect((await signInAs(c, profile.id, sender)).outcome).toBe('signed-in');
    expect(step(await c.api.tests.run({ profileId: profile.id }), 'token')?.status).toBe('ok');
  });

  it('another sender than the signed-in account: warned, sent via /users/{sender}, Send As refusal explained', async () => {
    const c = core();
    const profile = await modernProfile(c);
    const signed = await signInAs(c, profile.id, sender);
    const current = signed.outcome === 'signed-in' ? signed.profile : profile;
    const edited = await c.api.profiles.save({
      draft: {
        id: current.id,
        revision: current.revision,
        name: current.name,
        accountType: 'modern-auth',
        senderAddress: DEMO.otherMailbox.upn,
        mailboxAddress: '',
        clientId: current.clientId,
        tenant: current.tenant,
        secretExpiresOn: '',
      },
    });
    expect(edited.delegated?.username).toBe(sender.upn);
    const report = await c.api.tests.run({ profileId: profile.id, testMessageTo: sender.upn });
    expect(step(report, 'account')).toMatchObject({ status: 'warning', messageKey: 'steps.account.differs' });
    expect(step(report, 'send')?.status).toBe('failed');
    expect(step(report, 'send')?.messageKey).toMatch(/^diagnostics:graph-(send-as-denied|access-denied)\.title$/);
    expect(emu.requests().some((r) => r.path.endsWith(`/users/${encodeURIComponent(DEMO.otherMailbox.upn)}/sendMail`))).toBe(
      true,
    );
  });

  // DS-7: sign-out and delete leave no token cache.
  it('sign-out and profile deletion remove the token cache', async () => {
    const c = core();
    const a = await modernProfile(c);
    await signInAs(c, a.id, sender);
    expect(tokenRecords(c.stores)).toEqual([`tokenCache:${a.id}`]);
    const out = await c.api.signIn.signOut({ profileId: a.id });
    expect(out.delegated).toBeNull();
    expect(tokenRecords(c.stores)).toEqual([]);
    expect(step(await c.api.tests.run({ profileId: a.id }), 'signedIn')?.status).toBe('failed');

    const signedIn = await signInAs(c, a.id, sender);
    expect(tokenRecords(c.stores)).toHaveLength(1);
    const latest = signedIn.outcome === 'signed-in' ? signedIn.profile : a;
    await c.api.profiles.delete({ id: latest.id, revision: latest.revision });
    expect(tokenRecords(c.stores)).toEqual([]);
    expect(c.stores.secrets.dump()).not.toContain(a.id);
  });
});
