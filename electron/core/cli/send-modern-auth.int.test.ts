import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { t } from '../../../shared/i18n/translate';
import { launchChromiumTrusting } from '../../../e2e/hosts/chromium';
import { PlaywrightSignInWindow } from '../../../e2e/hosts/playwright-sign-in-window';
import { startCore } from '../compose-core';
import { openConfStore } from '../testing/conf-store';
import { TEST_HOST } from '../testing/core-fixture';
import { emulatorEndpoints } from '../testing/emulator-endpoints';
import { InMemoryCipher, MemoryLogger } from '../testing/in-memory';
import { UndiciTransport } from '../testing/undici-transport';
import { sendHarness } from './testing/send-harness';

// A Modern Authentication profile signed in once in the "window" (the real PublicClientApplication, the
// emulator's sign-in page in Chromium), then `Absender send` over the same data directory: the command
// takes the refresh token from the vault's token cache and never opens a sign-in.

let emulator: Emulator;
let browser: Browser;
let dataDir: string;
beforeAll(async () => {
  emulator = await startEmulator();
  browser = await launchChromiumTrusting(emulator);
  dataDir = mkdtempSync(join(tmpdir(), 'absender-send-modern-'));
});
afterAll(async () => {
  await browser.close();
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});
let signInWindow: PlaywrightSignInWindow;
afterEach(async () => signInWindow.closeAll());

// The profile is signed in once in the "window"; each test that needs it awaits the same sign-in.
let signedIn: Promise<void> | undefined;
const signInOnce = (): Promise<void> => (signedIn ??= signIn());

async function signIn(): Promise<void> {
  signInWindow = new PlaywrightSignInWindow(browser, { locale: 'en-US' });
  const clock = { now: () => new Date() };
  const windowCore = await startCore({
    storeFiles: {
      dir: dataDir,
      open: (name) => openConfStore(dataDir, name),
      confirmStartEmpty: () => Promise.resolve(true),
    },
    os: {
      cipher: new InMemoryCipher(),
      clock,
      logger: new MemoryLogger(),
      transport: new UndiciTransport({ systemProxy: '', extraCaPem: emulator.caCertPem }),
      signInWindow,
      clipboard: { writeText: () => Promise.resolve() },
      opener: () => Promise.resolve(),
    },
    events: { emit: () => undefined },
    host: TEST_HOST,
    network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 15_000, maxRetries: 1 },
  });
  const profile = await windowCore.api.profiles.save({
    draft: {
      name: 'Versand',
      accountType: 'modern-auth',
      senderAddress: DEMO.sender.upn,
      mailboxAddress: '',
      clientId: DEMO.publicApp.clientId,
      tenant: DEMO.tenantId,
      secretExpiresOn: '',
    },
  });
  const result = windowCore.api.signIn.start({ profileId: profile.id });
  const page = await signInWindow.nextSignInPage();
  await page.fill('input[name="loginfmt"]', DEMO.sender.upn);
  await page.fill('input[name="passwd"]', DEMO.sender.password);
  await page.click('#idSIButton9');
  await expect(result).resolves.toMatchObject({ outcome: 'signed-in' });
}

describe('Absender send with a Modern Authentication profile', () => {
  it('sends from the signed-in mailbox with the refresh token from the vault (a token request, no window)', async () => {
    // Access tokens that MSAL counts as about to expire (it renews 5 minutes early): the command must refresh.
    emulator.world.settings.accessTokenLifetimeSeconds = { min: 120, max: 120 };
    await signInOnce();
    const body = join(dataDir, 'body.txt');
    writeFileSync(body, 'Versand per moderner Authentifizierung');
    const h = sendHarness(emulator, dataDir);
    emulator.clearRequests();
    emulator.clearSentMessages();
    const run = await h.send(body, ['--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const tokenCalls = emulator.requests().filter((r) => r.host === 'login' && /\/token$/.test(r.path));
    expect(tokenCalls.map((r) => r.status)).toEqual([200]);
    expect(emulator.requests().filter((r) => r.host === 'login' && /authorize/.test(r.path))).toEqual([]);
    const sent = emulator.sentMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      sender: DEMO.sender.upn,
      userId: DEMO.sender.id,
      appId: DEMO.publicApp.clientId,
      body: { content: 'Versand per moderner Authentifizierung' },
    });
  }, 120_000);

  it('a send that needs a draft (key, attachment over 3 MB) without delegated Mail.ReadWrite: exit 78 before any Graph request', async () => {
    // Short-lived access tokens: each run refreshes, so a consent granted later reaches the next token.
    emulator.world.settings.accessTokenLifetimeSeconds = { min: 120, max: 120 };
    await signInOnce();
    const body = join(dataDir, 'body.txt');
    writeFileSync(body, 'Auftragsbestätigung 4711');
    const h = sendHarness(emulator, dataDir);
    emulator.clearRequests();
    emulator.clearSentMessages();
    const drafts = emulator.mailboxItems(DEMO.sender.upn).length;
    const en = await h.send(body, ['--idempotency-key', 'ab-4711', '--json']);
    expect(en.exitCode, en.stderr).toBe(78);
    expect(JSON.parse(en.stdout)).toMatchObject({ status: 'failed', exitCode: 78, idempotencyKey: 'ab-4711' });
    expect(en.stderr).toContain('delegated Microsoft Graph permission Mail.ReadWrite');
    expect(en.stderr).toContain('has only Mail.Send, User.Read');
    expect(en.stderr).toContain('Delegated permissions → Mail.ReadWrite, then Grant admin consent');

    const scan = join(dataDir, 'scan.pdf');
    writeFileSync(scan, randomBytes(3.5 * 1024 * 1024));
    const de = await h.send(body, ['--attach', scan], 'de');
    expect(de.exitCode, de.stderr).toBe(78);
    expect(de.stderr).toContain('delegierte Microsoft Graph-Berechtigung Mail.ReadWrite');
    expect(de.stderr).toContain('Delegierte Berechtigungen → Mail.ReadWrite');

    // Refused on the token's scp alone: a token request, no draft, no mail.
    expect(emulator.requests().filter((r) => r.host === 'graph')).toEqual([]);
    expect(emulator.sentMessages()).toEqual([]);
    expect(emulator.mailboxItems(DEMO.sender.upn)).toHaveLength(drafts);
    // Remembered, so `check` warns about the missing permission as well.
    expect(readdirSync(join(dataDir, 'draft-path'))).toHaveLength(1);

    // The admin adds delegated Mail.ReadWrite with admin consent: Entra adds it to the next token's scp, the draft goes out.
    const app = emulator.world.app(DEMO.publicApp.clientId);
    if (app === undefined) throw new Error('no public app in the emulator');
    const configured = [...app.delegatedPermissions];
    app.delegatedPermissions.push('Mail.ReadWrite');
    try {
      emulator.clearRequests();
      const granted = await h.send(body, ['--idempotency-key', 'ab-4711', '--json']);
      expect(granted.exitCode, granted.stderr).toBe(0);
      const drafted = emulator.requests().filter((r) => r.host === 'graph' && r.method === 'POST' && /\/messages$/.test(r.path));
      expect(drafted.map((r) => r.status)).toEqual([201]);
      expect(JSON.parse(granted.stdout)).toMatchObject({ status: 'sent', idempotencyKey: 'ab-4711' });
      expect(emulator.sentMessages()).toHaveLength(1);

      // Mail.ReadWrite in the token and still a 403 on the draft (the account's rights in the mailbox, a consent
      // removed meanwhile): the advice is the delegated one, never the application permission a sign-in cannot use.
      emulator.setFault({
        match: { method: 'POST', path: /\/messages$/, host: 'graph' },
        action: {
          type: 'status',
          status: 403,
          body: { error: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' } },
        },
        times: 2,
      });
      const refused = await h.send(body, ['--idempotency-key', 'ab-4712']);
      expect(refused.exitCode, refused.stderr).toBe(77);
      expect(refused.stderr).toContain(t('en', 'host:cli.sendNeedsReadWriteDelegatedRefused', { mailbox: DEMO.sender.upn }));
      expect(refused.stderr).toContain('Delegated permissions → Mail.ReadWrite.Shared');
      expect(refused.stderr).not.toContain('application permission');
      const refusedDe = await h.send(body, ['--idempotency-key', 'ab-4713'], 'de');
      expect(refusedDe.exitCode, refusedDe.stderr).toBe(77);
      expect(refusedDe.stderr).toContain('Delegierte Berechtigungen → Mail.ReadWrite.Shared');
      expect(refusedDe.stderr).not.toContain('Anwendungsberechtigung');
      expect(emulator.sentMessages()).toHaveLength(1);
    } finally {
      emulator.clearFaults();
      app.delegatedPermissions.splice(0, app.delegatedPermissions.length, ...configured);
    }
  }, 120_000);
});
