// The demo entry's contract with the product's host. Types and pure decisions only: the host never imports the
// demo entry (nor e2e/); it loads dist/electron/demo/index.js at run time, and only with --demo.
import { join } from 'node:path';
import type { DemoInfo } from '../../shared/domain';
import type { AbsenderApi } from '../../shared/ipc/contract';
import type { NetworkSettings } from '../core/net/endpoints';

/** What the demo entry hands the host: where the emulator is, whom to trust, what the banner shows. */
export interface DemoHandoff {
  readonly demo: DemoInfo;
  /** The emulator's endpoints in place of Microsoft's. */
  readonly network: Partial<NetworkSettings>;
  /**
   * The emulator's TLS leaf key (base64 SHA-256 of its SPKI), made for this run: Chromium's
   * --ignore-certificate-errors-spki-list accepts exactly that key, as the browser test host does. TLS
   * verification itself stays on (EL-21), and only in demo mode.
   */
  readonly trust: { readonly spkiFingerprint: string };
  /** Creates the demo profiles in an empty demo data dir (the secret goes straight into the core's vault). */
  seed(api: AbsenderApi, language: 'de' | 'en'): Promise<void>;
  close(): Promise<void>;
}

export interface DemoEntry {
  startDemoSession(options?: { language?: 'de' | 'en' }): Promise<DemoHandoff>;
}

/** The demo's data dir sits beside the real one under appData, never inside it: the real profiles stay untouched. */
export const DEMO_DATA_DIR_NAME = 'Absender Demo';

export const wantsDemo = (argv: readonly string[]): boolean => argv.includes('--demo');

export const demoDataDir = (appData: string): string => join(appData, DEMO_DATA_DIR_NAME);

/** The built demo entry, next to the host's own bundle (absent from installers: docs/packaging.md). */
export const demoEntryPath = (mainDir: string): string => join(mainDir, '../demo/index.js');

/** The Chromium switch (name, value) that trusts exactly the emulator's leaf key; appended before 'ready'. */
export const demoTrustSwitch = (trust: DemoHandoff['trust']): [string, string] => {
  // base64 of 32 bytes: anything else would make the switch list more than one key or none.
  if (!/^[A-Za-z0-9+/]{43}=$/.test(trust.spkiFingerprint)) throw new Error('demo trust: not one SHA-256 SPKI fingerprint');
  return ['ignore-certificate-errors-spki-list', trust.spkiFingerprint];
};
