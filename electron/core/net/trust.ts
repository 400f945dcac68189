import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher } from 'undici';

/**
 * Adds one CA to the system's roots for this app's requests only (the test emulator's CA, or a
 * company's TLS-inspecting proxy CA). Verification stays on; nothing is ever trusted blindly.
 */
export function dispatcherTrusting(extraCaPem: string | undefined): Dispatcher | undefined {
  if (extraCaPem === undefined || extraCaPem.trim() === '') return undefined;
  return new Agent({ connect: { ca: [...rootCertificates, extraCaPem] } });
}
