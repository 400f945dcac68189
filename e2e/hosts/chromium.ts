import { chromium, type Browser } from '@playwright/test';

// Debian's Chromium (Playwright cannot download its own browser here).
export const chromiumPath = (): string => process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying Google hosts on this closed network.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium for tests against the emulator: trusts exactly that emulator's leaf key, nothing more. */
export function launchChromiumTrusting(emulator: { spkiFingerprint: string }, extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${emulator.spkiFingerprint}`, ...extraArgs],
  });
}
