import { test as base, type Page } from '@playwright/test';
import { launchBrowserHost } from './hosts/browser-host';
import { electronBinary, launchElectronHost } from './hosts/electron-host';

export type HostKind = 'browser' | 'electron';
export interface HostOptions {
  locale?: 'de' | 'en';
  dataDir?: string;
}
export interface AppHost {
  page: Page;
  dataDir: string;
  close: () => Promise<void>;
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
      const host = hostKind === 'electron' ? await launchElectronHost(options) : await launchBrowserHost(options);
      opened.push(host);
      return host;
    });
    for (const host of opened) await host.close();
  },
});

export { expect } from '@playwright/test';

export const screenshotPath = (name: string): string => `test-results/screenshots/${name}.png`;
