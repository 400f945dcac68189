// The hooks every `Absender send` integration file shares: one emulator per file, a fresh data directory with
// a body file per test, owned children killed and the directory removed after each. Vitest-only (the bench
// uses send-harness.ts without it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type Emulator } from '../../../../e2e/emulator';
import { killOwnedChildren } from '../../testing/owned-children';

export interface SendBed {
  emulator: Emulator;
  dataDir: string;
  bodyFile: string;
}

/** Registers the hooks; the returned bed's fields are set before each test (read them inside tests and hooks). */
export function sendTestBed(prefix: string, body: string): SendBed {
  const bed = {} as SendBed;
  beforeAll(async () => {
    bed.emulator = await startEmulator();
  });
  afterAll(async () => bed.emulator.close());
  beforeEach(() => {
    bed.emulator.clearFaults();
    bed.emulator.clearSentMessages();
    bed.emulator.setMailboxThrottling('off');
    bed.dataDir = mkdtempSync(join(tmpdir(), prefix));
    bed.bodyFile = join(bed.dataDir, 'body.txt');
    writeFileSync(bed.bodyFile, body);
  });
  afterEach(() => {
    killOwnedChildren();
    rmSync(bed.dataDir, { recursive: true, force: true });
  });
  return bed;
}
