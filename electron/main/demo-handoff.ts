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
  /** The emulator's own CA (PEM): only certificates it issued for `hostname` are accepted, and only in demo mode. */
  readonly trust: { readonly caCertPem: string; readonly hostname: string };
  /** Creates the demo profiles in an empty demo data dir (the secret goes straight into the core's vault). */
  seed(api: AbsenderApi): Promise<void>;
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

const pemBody = (pem: string): string => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/**
 * session.setCertificateVerifyProc's decision in demo mode (docs/api/session.md: 0 accepts, -3 keeps Chromium's own
 * result): a certificate for the emulator's host name issued by the emulator's CA; everything else as Chromium says.
 */
export function demoCertificateVerdict(
  request: { hostname: string; certificate: { issuerCert?: { data: string } | null } },
  trust: DemoHandoff['trust'],
): 0 | -3 {
  const issuer = request.certificate.issuerCert?.data;
  return request.hostname === trust.hostname && issuer !== undefined && pemBody(issuer) === pemBody(trust.caCertPem) ? 0 : -3;
}
