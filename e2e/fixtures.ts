import { test as base, type Page } from '@playwright/test';
import type { Cipher } from '../electron/core/ports';
import { launchBrowserHost, type BrowserHost } from './hosts/browser-host';
import { electronBinary, launchElectronHost } from './hosts/electron-host';

export type HostKind = 'browser' | 'electron';
export interface HostOptions {
  locale?: 'de' | 'en';
  dataDir?: string;
  /** Browser host only: replaces the OS cipher (e.g. one reporting basic_text). */
  cipher?: Cipher;
}
export interface AppHost {
  page: Page;
  dataDir: string;
  close: () => Promise<void>;
  /** What the browser test host records (IPC replies, log lines); absent on the Electron host. */
  probes?: Pick<BrowserHost, 'ipcLog' | 'logLines' | 'openedUrls'>;
}

/** Runs each spec on the host its Playwright project names; the Electron project skips, saying why, where no binary exists. */
export const test = base.extend<{ hostKind: HostKind; openHost: (options?: HostOptions) => Promise<AppHost> }>({
  hostKind: ['browser', { option: true }],
  openHost: async ({ hostKind }, use) => {
    const opened: AppHost[] = [];
    if (hostKind === 'electron') {
      const binary = electronBinary();
      base.skip('missing' in binary, `skipped: ${'missing' in binary ? binary.missing : ''}`);
    }
    await use(async (options = {}) => {
      let host: AppHost;
      if (hostKind === 'electron') {
        base.skip(options.cipher !== undefined, 'skipped: the Electron host uses the real safeStorage cipher');
        host = await launchElectronHost(options);
      } else {
        const browserHost = await launchBrowserHost(options);
        host = { ...browserHost, probes: browserHost };
      }
      opened.push(host);
      return host;
    });
    for (const host of opened) await host.close();
  },
});

export { expect } from '@playwright/test';

export const screenshotPath = (name: string): string => `test-results/screenshots/${name}.png`;
