import { rmSync } from 'node:fs';
import { ensureRunCa } from './ca';

/**
 * Vitest globalSetup for the integration project: one CA per run, exported through NODE_EXTRA_CA_CERTS so
 * the fork workers (started after this) trust the emulator's certificates with verification fully on.
 */
export default function setup(): () => void {
  const ca = ensureRunCa({ exportToEnv: true });
  return () => {
    if (ca.created) rmSync(ca.dir, { recursive: true, force: true });
  };
}
