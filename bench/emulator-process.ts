// The emulator in a child process of its own, for bench cases that time the app side (relay accept vs. delivery,
// test-all throughput): in one process its TLS handshakes, token signing and routing would share the event loop
// (and the measured time) with the core. Run as a script it is that child; imported it is the parent's handle.
// Protocol: one JSON request per stdin line ({id, op, arg}), one JSON answer per stdout line ({id, result|error}).
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Emulator, FaultRule, WorldData } from '../e2e/emulator';
import { spawnOwned } from '../electron/core/testing/owned-children';

/** What a bench needs of the emulator in its own process: endpoints, its CA and a few of its test hooks. */
export interface EmulatorProcess {
  authorityHost: string;
  graphRoot: string;
  graphBaseUrl: string;
  caCertPath: string;
  caCertPem: string;
  sentMessages(): Promise<Array<{ subject: string; internetMessageId: string | null }>>;
  requests(): Promise<Array<{ host: string; method: string; path: string; status: number | null; outcome: string }>>;
  /** How many requests the emulator answered since it started (a check that the measured work happened). */
  requestCount(): Promise<number>;
  clearRequests(): Promise<void>;
  clearSentMessages(): Promise<void>;
  setFault(rule: FaultRule): Promise<void>;
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

export interface EmulatorProcessOptions {
  world?: Partial<WorldData>;
  /** HTTP/2 on the login and Graph hosts, as Microsoft's offer it. */
  http2?: boolean;
  faults?: FaultRule[];
}

type Endpoints = Pick<EmulatorProcess, 'authorityHost' | 'graphRoot' | 'graphBaseUrl' | 'caCertPath' | 'caCertPem'>;

// RegExps do not survive JSON: a fault's RegExp path travels as its source and flags.
type WirePath = string | { source: string; flags: string };
type WireFault = Omit<FaultRule, 'match'> & { match: Omit<FaultRule['match'], 'path'> & { path: WirePath } };
const toWire = (rule: FaultRule): WireFault => {
  const { path } = rule.match;
  return {
    ...rule,
    match: { ...rule.match, path: typeof path === 'string' ? path : { source: path.source, flags: path.flags } },
  };
};
const fromWire = (rule: WireFault): FaultRule => {
  const { path } = rule.match;
  return { ...rule, match: { ...rule.match, path: typeof path === 'string' ? path : new RegExp(path.source, path.flags) } };
};

/**
 * Starts the emulator with `world` and `faults` in an owned child (it dies with the bench) and waits until it
 * listens. BENCH_EMULATOR_CPU_PROF=<dir> writes a CPU profile of the emulator's side.
 */
export async function startEmulatorProcess(options: EmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  const profileDir = process.env['BENCH_EMULATOR_CPU_PROF'];
  const execArgv = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const child = spawnOwned(process.execPath, [...execArgv, join(import.meta.dirname, 'emulator-process.ts')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  let errors = '';
  child.stderr?.on('data', (c: Buffer) => (errors = (errors + c.toString()).slice(-4000)));
  child.once('exit', (code) => {
    const error = new Error(`emulator process exited ${String(code)}: ${errors}`);
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  });
  const { stdout } = child;
  if (stdout === null) throw new Error('emulator process without stdout');
  const answers = createInterface({ input: stdout });
  answers.on('line', (line) => {
    const answer = JSON.parse(line) as { id: number; result?: unknown; error?: string };
    const w = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.error !== undefined) w?.reject(new Error(`emulator process: ${answer.error}`));
    else w?.resolve(answer.result);
  });
  const call = <T>(op: string, arg?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (child.exitCode !== null) return reject(new Error(`emulator process exited ${String(child.exitCode)}: ${errors}`));
      next += 1;
      waiting.set(next, { resolve: resolve as (v: unknown) => void, reject });
      child.stdin?.write(`${JSON.stringify({ id: next, op, arg })}\n`);
    });
  let info: Endpoints;
  try {
    info = await call<Endpoints>('start', {
      world: options.world,
      faults: (options.faults ?? []).map(toWire),
      http2: options.http2 === true,
    });
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    ...info,
    sentMessages: () => call('sentMessages'),
    requests: () => call('requests'),
    requestCount: () => call('requestCount'),
    clearRequests: () => call('clearRequests'),
    clearSentMessages: () => call('clearSentMessages'),
    setFault: (rule) => call('setFault', toWire(rule)),
    clearFaults: () => call('clearFaults'),
    close: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.stdin?.end();
      }),
  };
}

async function serve(): Promise<void> {
  const { startEmulator } = await import('../e2e/emulator');
  let emu: Emulator | undefined;
  const started = (): Emulator => {
    if (emu === undefined) throw new Error('emulator not started');
    return emu;
  };
  // What a bench asks for; answers are plain JSON (sent messages without bodies, requests without headers).
  const ops: Record<string, (arg: unknown) => unknown> = {
    start: async (arg) => {
      // No world given (the key is dropped by JSON): the demo world, as startEmulator() has it.
      const { world, faults, http2 } = arg as { world?: Partial<WorldData>; faults: WireFault[]; http2?: boolean };
      emu = await startEmulator({ ...(world === undefined ? {} : { world }), ...(http2 === true ? { http2 } : {}) });
      for (const rule of faults) emu.setFault(fromWire(rule));
      const { authorityHost, graphRoot, graphBaseUrl, caCertPath, caCertPem } = emu;
      return { authorityHost, graphRoot, graphBaseUrl, caCertPath, caCertPem } satisfies Endpoints;
    },
    sentMessages: () =>
      started()
        .sentMessages()
        .map((m) => ({ subject: m.subject, internetMessageId: m.internetMessageId ?? null, attachments: m.attachments })),
    requests: () =>
      started()
        .requests()
        .map((r) => ({ host: r.host, method: r.method, path: r.path, status: r.status, outcome: r.outcome })),
    requestCount: () => started().requests().length,
    clearRequests: () => started().clearRequests(),
    clearSentMessages: () => started().clearSentMessages(),
    setMailboxThrottling: (arg) => started().setMailboxThrottling(arg as Parameters<Emulator['setMailboxThrottling']>[0]),
    setFault: (arg) => started().setFault(fromWire(arg as WireFault)),
    clearFaults: () => started().clearFaults(),
  };
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const { id, op, arg } = JSON.parse(line) as { id: number; op: string; arg?: unknown };
    const reply = (answer: { result: unknown } | { error: string }): void => {
      process.stdout.write(`${JSON.stringify({ id, ...answer })}\n`);
    };
    const run = ops[op];
    if (run === undefined) return reply({ error: `unknown op ${op}` });
    Promise.resolve()
      .then(() => run(arg))
      .then(
        (result) => reply({ result: result ?? null }),
        (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
      );
  });
  // The bench went away (stdin closed, also when it crashed): so does the emulator, freeing its ports.
  lines.on('close', () => void (emu?.close() ?? Promise.resolve()).finally(() => process.exit(0)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await serve();
