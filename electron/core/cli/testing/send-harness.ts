// `Absender send` as the binary runs it, for integration tests and the bench: runCommand(argv) over conf
// stores in a data directory, real MSAL and Graph client against the emulator; only the cipher, clock and
// transport are fakes.
import { DEMO, type Emulator } from '../../../../e2e/emulator';
import type { Clock } from '../../ports';
import { openConfStore } from '../../testing/conf-store';
import { TEST_HOST } from '../../testing/core-fixture';
import { emulatorEndpoints } from '../../testing/emulator-endpoints';
import { InMemoryCipher, MemoryLogger } from '../../testing/in-memory';
import { UndiciTransport } from '../../testing/undici-transport';
import { openHeadlessCore, type HeadlessCore } from '../headless-core';
import { runCommand } from '../run-command';

export interface SendRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function sendHarness(emulator: Emulator, dataDir: string, options: { keepCore?: boolean; cipher?: InMemoryCipher } = {}) {
  // A cipher of the caller's: several harnesses over one data directory then read the same vault.
  const cipher = options.cipher ?? new InMemoryCipher();
  const clock: Clock = { now: () => new Date() };
  let kept: Promise<HeadlessCore> | undefined;
  const fresh = () =>
    openHeadlessCore({
      dataDir,
      open: (name) => openConfStore(dataDir, name),
      os: {
        cipher,
        clock,
        logger: new MemoryLogger(),
        transport: new UndiciTransport({ systemProxy: '', extraCaPem: emulator.caCertPem }),
      },
      host: TEST_HOST,
      network: {
        endpoints: emulatorEndpoints(emulator),
        requestTimeoutMs: 15_000,
        maxRetries: 2,
        // A throttled send ends the run (75) instead of waiting: the scheduler retries later.
        maxRetryDelaySeconds: 2,
      },
    });
  // keepCore: one core for every run, as a warm token cache (the bench's "warm" case).
  const openCore = () => (options.keepCore === true ? (kept ??= fresh()) : fresh());

  async function saveProfile(
    app: { clientId: string; secretValue: string },
    secret = app.secretValue,
    name = 'Versand',
  ): Promise<string> {
    const api = await openCore();
    const saved = await api.profiles.save({
      draft: {
        name,
        accountType: 'client-secret',
        senderAddress: DEMO.sender.upn,
        mailboxAddress: DEMO.sender.upn,
        clientId: app.clientId,
        tenant: DEMO.tenantId,
        secretExpiresOn: new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10),
      },
      clientSecret: secret,
    });
    return saved.id;
  }

  /** Any command line, as the binary runs it (`check …`, `send …`), in the OS language `lang`. */
  async function command(argv: readonly string[], lang: 'de' | 'en' = 'en'): Promise<SendRun> {
    let stdout = '';
    let stderr = '';
    const { exitCode } = await runCommand(argv, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      osLanguage: lang,
      clock,
      openCore,
    });
    return { exitCode, stdout, stderr };
  }

  async function send(bodyFile: string, extra: readonly string[], lang: 'de' | 'en' = 'en'): Promise<SendRun> {
    const argv = ['send', '--profile', 'versand', '--to', 'kunde@example.com', '--subject', 'Lieferung', '--body-file', bodyFile];
    return command([...argv, ...extra], lang);
  }

  return { cipher, clock, openCore, saveProfile, command, send };
}

/** Graph requests the emulator saw, by method, path pattern and (optionally) status. */
export function graphCalls(emulator: Emulator, method: string, path: RegExp, status?: number): number {
  return emulator
    .requests()
    .filter(
      (r) => r.host === 'graph' && r.method === method && path.test(r.path) && (status === undefined || r.status === status),
    ).length;
}
