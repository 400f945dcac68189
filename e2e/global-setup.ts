import { rmSync } from 'node:fs';
import { ensureRunCa } from './emulator/ca';
import { electronBinary } from './hosts/electron-host';

/**
 * One CA per test run, made before Playwright starts its workers: they inherit
 * NODE_EXTRA_CA_CERTS (read only at process start), so the core's MSAL and Graph calls trust the
 * emulator exactly as they would trust Microsoft, with verification on.
 */
export default function globalSetup(): () => void {
  const ca = ensureRunCa({ exportToEnv: true });
  const binary = electronBinary();
  // Said once, plainly: the Electron project's specs are skipped here, not passed.
  if ('missing' in binary) process.stdout.write(`electron project: skipped: ${binary.missing}\n`);
  // The run's CA (its key too) goes with the run, as in the vitest setup.
  return () => {
    if (ca.created) rmSync(ca.dir, { recursive: true, force: true });
  };
}
