// The emulator in a process of its own (bench/support.ts startEmulatorProcess): so a bench that drives a relay or a
// test run in the bench's process measures that, not the emulator's TLS and parsing sharing its one thread.
// stdout: one READY line with the endpoints, then one JSON answer per request line read from stdin.
import { createInterface } from 'node:readline';
import { startEmulator } from '../e2e/emulator';

const emu = await startEmulator();

// What a bench asks for; answers are plain JSON (sent messages without bodies, requests without headers).
const ops: Record<string, (arg: unknown) => unknown> = {
  sentMessages: () =>
    emu
      .sentMessages()
      .map((m) => ({ subject: m.subject, internetMessageId: m.internetMessageId ?? null, attachments: m.attachments })),
  requests: () =>
    emu.requests().map((r) => ({ host: r.host, method: r.method, path: r.path, status: r.status, outcome: r.outcome })),
  clearRequests: () => emu.clearRequests(),
  clearSentMessages: () => emu.clearSentMessages(),
  setMailboxThrottling: (arg) => emu.setMailboxThrottling(arg as Parameters<typeof emu.setMailboxThrottling>[0]),
  setFault: (arg) => emu.setFault(arg as Parameters<typeof emu.setFault>[0]),
  clearFaults: () => emu.clearFaults(),
};

process.stdout.write(
  `READY ${JSON.stringify({
    authorityHost: emu.authorityHost,
    graphRoot: emu.graphRoot,
    graphBaseUrl: emu.graphBaseUrl,
    caCertPath: emu.caCertPath,
    caCertPem: emu.caCertPem,
  })}\n`,
);

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const { id, op, arg } = JSON.parse(line) as { id: number; op: string; arg?: unknown };
  try {
    const run = ops[op];
    if (run === undefined) throw new Error(`unknown op ${op}`);
    process.stdout.write(`${JSON.stringify({ id, result: run(arg) ?? null })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id, error: error instanceof Error ? error.message : String(error) })}\n`);
  }
});
// The bench went away (stdin closed): so does the emulator.
lines.on('close', () => void emu.close().then(() => process.exit(0)));
