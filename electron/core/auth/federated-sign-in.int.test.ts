import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { launchChromiumTrusting } from '../../../e2e/hosts/chromium';
import { PlaywrightSignInWindow } from '../../../e2e/hosts/playwright-sign-in-window';
import { createTestCore } from '../testing/core-fixture';
import { emulatorEndpoints } from '../testing/emulator-endpoints';

// A tenant federated to its own IdP (AD FS-like, on the emulator's federation host): Entra's /authorize
// sends the sign-in there. The window blocks that host until the admin adds it in the settings.

let emu: Emulator;
let browser: Browser;
let signInWindow: PlaywrightSignInWindow;

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
  emu.clearRequests();
});
afterEach(async () => signInWindow.closeAll());

const fed = DEMO.federated;

function core() {
  return createTestCore({
    clock: { now: () => new Date() },
    signInWindow,
    network: {
      endpoints: emulatorEndpoints(emu),
      requestTimeoutMs: 10_000,
      maxRetries: 1,
    },
  }).api;
}

const federatedProfile = (api: ReturnType<typeof core>) =>
  api.profiles.save({
    draft: {
      name: 'Northwind',
      accountType: 'modern-auth',
      senderAddress: fed.sender.upn,
      mailboxAddress: '',
      clientId: fed.publicAppClientId,
      tenant: fed.tenantId,
      secretExpiresOn: '',
    },
  });

describe('federated sign-in (extra sign-in hosts)', () => {
  it('without the entry the federation host is blocked and named; nothing reached it', async () => {
    const api = core();
    const profile = await federatedProfile(api);
    const federationHost = new URL(emu.federationHost).host;
    const outcome = await api.signIn.start({ profileId: profile.id });
    expect(outcome).toMatchObject({
      outcome: 'failed',
      step: { messageKey: 'diagnostics:signin-host-blocked.title', params: { host: federationHost } },
    });
    expect(emu.requests().filter((r) => r.host === 'federation')).toEqual([]);
  });

  it('with the entry the IdP page shows, posts back to Entra and the profile is signed in', async () => {
    const api = core();
    const profile = await federatedProfile(api);
    const federationHost = new URL(emu.federationHost).host;
    // Typed as an admin might: upper case; stored canonical.
    expect((await api.settings.update({ signInHosts: [federationHost.toUpperCase()] })).signInHosts).toEqual([federationHost]);
    const result = api.signIn.start({ profileId: profile.id });
    const page = await signInWindow.nextSignInPage();
    await page.locator('#passwordInput').waitFor();
    expect(new URL(page.url()).host).toBe(federationHost);
    await expect(page.locator('#userNameInput').inputValue()).resolves.toBe(fed.sender.upn); // the login hint went along
    await page.fill('#passwordInput', fed.sender.password);
    await page.click('#submitButton');
    expect(await result).toMatchObject({ outcome: 'signed-in', profile: { delegated: { username: fed.sender.upn } } });
    const hops = emu.requests().map((r) => `${r.host} ${r.method} ${r.path}`);
    expect(hops).toEqual(
      expect.arrayContaining(['federation GET /adfs/ls/', 'federation POST /adfs/ls/', 'login POST /login.srf']),
    );
  });

  it('the settings contract refuses wildcards, IPs and paths', async () => {
    const api = core();
    const { REQUEST_SCHEMAS } = await import('../../../shared/ipc/contract');
    for (const bad of ['*.northwind.example', '10.1.2.3', 'adfs.northwind.example/adfs/ls', 'https://adfs.northwind.example'])
      expect(REQUEST_SCHEMAS.settings.update.safeParse({ signInHosts: [bad] }).success, bad).toBe(false);
    expect((await api.settings.get()).signInHosts).toEqual([]);
  });
});
