import { test as base, expect, type Page } from '@playwright/test';
import type { Cipher } from '../electron/core/ports';
import { DEMO, startEmulator, type Emulator } from './emulator';
import { scanHostForSecrets } from './support/canary';
import { launchBrowserHost, type BrowserHost, type BrowserHostOptions } from './hosts/browser-host';
import { electronBinary, launchElectronHost } from './hosts/electron-host';

export type HostKind = 'browser' | 'electron';
export interface HostOptions {
  locale?: 'de' | 'en';
  dataDir?: string;
  /** Browser host only: replaces the OS cipher (e.g. one reporting basic_text). */
  cipher?: Cipher;
  /** Browser host only: make writes fail at the store seam (DS-4). */
  failWrite?: NonNullable<BrowserHostOptions['failWrite']>;
  /** Browser host only: the answer when a damaged store file has no usable backup. */
  confirmStartEmpty?: NonNullable<BrowserHostOptions['confirmStartEmpty']>;
  /** Browser host only: also log to files in this directory (FileLogSink). */
  logDir?: string;
  /** Connect the core to this worker's Entra ID + Graph emulator. */
  withEmulator?: boolean;
  requestTimeoutMs?: number;
}
export interface AppHost {
  page: Page;
  dataDir: string;
  close: () => Promise<void>;
  /** What the browser test host records (IPC replies, log lines); absent on the Electron host. */
  probes?: Pick<
    BrowserHost,
    | 'ipcLog'
    | 'logLines'
    | 'openedUrls'
    | 'clipboard'
    | 'signIn'
    | 'cspViolations'
    | 'keepAlive'
    | 'systemBrowser'
    | 'healthCheck'
  >;
}

/** Runs each spec on the host its Playwright project names; the Electron project skips, saying why, where no binary exists. */
export const test = base.extend<
  { hostKind: HostKind; openHost: (options?: HostOptions) => Promise<AppHost>; emulator: Emulator },
  { workerEmulator: Emulator }
>({
  hostKind: ['browser', { option: true }],
  // One emulator per worker; each test starts with no faults, no messages and an empty request log.
  workerEmulator: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture signature
    async ({}, use) => {
      const emulator = await startEmulator();
      await use(emulator);
      await emulator.close();
    },
    { scope: 'worker' },
  ],
  emulator: async ({ workerEmulator }, use) => {
    workerEmulator.clearFaults();
    workerEmulator.clearRequests();
    workerEmulator.clearSentMessages();
    // Real time again: a spec that advanced the clock (91 days of inactivity) must not age the next one's secrets.
    workerEmulator.world.clock.setFixed(undefined);
    await use(workerEmulator);
  },
  openHost: async ({ hostKind, workerEmulator }, use) => {
    const opened: AppHost[] = [];
    if (hostKind === 'electron') {
      const binary = electronBinary();
      base.skip('missing' in binary, `skipped: ${'missing' in binary ? binary.missing : ''}`);
    }
    await use(async (options = {}) => {
      let host: AppHost;
      if (hostKind === 'electron') {
        base.skip(options.cipher !== undefined, 'skipped: the Electron host uses the real safeStorage cipher');
        base.skip(options.withEmulator === true, 'skipped: the Electron host is not wired to the emulator yet');
        base.skip(options.logDir !== undefined, 'skipped: the Electron host logs to its own logs directory');
        host = await launchElectronHost(options);
      } else {
        const { withEmulator, ...rest } = options;
        const browserHost = await launchBrowserHost({ ...rest, ...(withEmulator === true ? { emulator: workerEmulator } : {}) });
        host = { ...browserHost, probes: browserHost };
      }
      opened.push(host);
      return host;
    });
    // Every spec also proves the CSP held (EL-7) and that no secret or token leaked anywhere (SH-9).
    const violations = opened.flatMap((h) => h.probes?.cspViolations ?? []);
    const leaks: string[] = [];
    for (const host of opened) {
      if (host.probes) {
        const { ipcLog, logLines, clipboard } = host.probes;
        leaks.push(
          ...(await scanHostForSecrets(DEMO_SECRETS, {
            page: host.page,
            dataDir: host.dataDir,
            texts: { ipc: ipcLog, log: logLines, clipboard },
          })),
        );
      }
      await host.close();
    }
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
    expect(leaks, 'secrets or tokens outside the vault').toEqual([]);
  },
});

export { expect } from '@playwright/test';

/**
 * What must never leave the vault or the sign-in page: every client secret value (random, so also
 * any 8-character piece of it) and every password of the demo world (made of names, so whole only).
 */
const DEMO_SECRETS = [
  ...[
    DEMO.confidentialApp.secretValue,
    DEMO.confidentialApp.expiredSecretValue,
    DEMO.noConsentApp.secretValue,
    DEMO.noMailSendApp.secretValue,
    DEMO.broadApp.secretValue,
    DEMO.rbacApp.secretValue,
  ].map((value) => ({ value, windows: true })),
  ...[DEMO.sender.password, DEMO.otherMailbox.password, DEMO.personalUser.password, DEMO.mfaUser.password].map((value) => ({
    value,
    windows: false,
  })),
];

export const screenshotPath = (name: string): string => `test-results/screenshots/${name}.png`;

/** The browser host's probes (sign-in pages, IPC log); specs that need them run on the browser host only. */
export function probesOf(host: AppHost): NonNullable<AppHost['probes']> {
  if (!host.probes) throw new Error('This spec needs the browser test host’s probes');
  return host.probes;
}
