import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, type Emulator } from '../../../../e2e/emulator';
import { openHeadlessCore, type HeadlessCore } from '../../cli/headless-core';
import type { Clock, HttpTransport } from '../../ports';
import { openConfStore } from '../../testing/conf-store';
import { TEST_HOST } from '../../testing/core-fixture';
import { emulatorEndpoints } from '../../testing/emulator-endpoints';
import { InMemoryCipher, MemoryLogger } from '../../testing/in-memory';
import { UndiciTransport } from '../../testing/undici-transport';

const clock: Clock = { now: () => new Date() };

/** The headless core over conf stores in `dataDir`, real MSAL and Graph client against the emulator. */
export function openRelayCore(
  dataDir: string,
  emu: Pick<Emulator, 'authorityHost' | 'graphRoot'> & { caCertPem?: string },
  /** Each Graph request's deadline: short in a stall test, so the transport's timeout is what ends it. */
  requestTimeoutMs = 10_000,
  /** How it reaches the emulator: undici on the event loop unless given (the bench's runs it on a thread). */
  transport: HttpTransport = new UndiciTransport({ systemProxy: '', extraCaPem: emu.caCertPem }),
): Promise<HeadlessCore> {
  return openHeadlessCore({
    dataDir,
    open: (name) => openConfStore(dataDir, name),
    // InMemoryCipher is deterministic per key generation: another process opens what this one sealed.
    os: {
      cipher: new InMemoryCipher(),
      clock,
      logger: new MemoryLogger(),
      transport,
    },
    host: TEST_HOST,
    network: { endpoints: emulatorEndpoints(emu), requestTimeoutMs, maxRetries: 0, maxRetryDelaySeconds: 1 },
  });
}

export const newDataDir = (): string => mkdtempSync(join(tmpdir(), 'absender-relay-'));

/** A client-secret profile for DEMO.sender; the app may read the mailbox too (the crash recovery looks there). */
export async function relayProfile(
  core: HeadlessCore,
  name = 'Versand',
  app: { clientId: string; secretValue: string } = DEMO.draftApp,
): Promise<{ id: string; user: string }> {
  const saved = await core.profiles.save({
    draft: {
      name,
      accountType: 'client-secret',
      senderAddress: DEMO.sender.upn,
      mailboxAddress: DEMO.sender.upn,
      clientId: app.clientId,
      tenant: DEMO.tenantId,
      secretExpiresOn: new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10),
    },
    clientSecret: app.secretValue,
  });
  return { id: saved.id, user: DEMO.sender.upn.toLowerCase() };
}

/** The profile the window's relay tests save (through the IPC handlers or the page's bridge): the confidential app. */
export const RELAY_DRAFT = {
  name: 'Bestellungen',
  accountType: 'client-secret',
  senderAddress: DEMO.sender.upn,
  mailboxAddress: DEMO.sender.upn,
  clientId: DEMO.confidentialApp.clientId,
  tenant: DEMO.tenantId,
  secretExpiresOn: '',
} as const;
