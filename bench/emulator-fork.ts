// The emulator in a child process of its own, for bench cases that time the app side: in one process the
// emulator's TLS handshakes, token signing and routing would share the event loop (and the measured time)
// with the core. Run as a module it is that child; imported it is the parent's handle.
import { fork, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { FaultRule, WorldData } from '../e2e/emulator';

/** What the parent gets back: enough for emulatorEndpoints() and the transport's extra CA. */
export interface EmulatorProcess {
  authorityHost: string;
  graphRoot: string;
  caCertPem: string;
  /** How many requests the emulator answered since it started (a check that the measured work happened). */
  requestCount(): Promise<number>;
  close(): Promise<void>;
}

interface StartMessage {
  type: 'start';
  world: Partial<WorldData>;
  faults: WireFault[];
  http2: boolean;
}
type ParentMessage = StartMessage | { type: 'requests' } | { type: 'close' };
type ChildMessage =
  | { type: 'ready'; authorityHost: string; graphRoot: string; caCertPem: string }
  | { type: 'requests'; count: number }
  | { type: 'error'; message: string };

// RegExps do not survive the IPC channel's JSON: a fault's RegExp path travels as its source and flags.
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

function nextMessage<T extends ChildMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage): void => {
      if (message.type === 'error') reject(new Error(`emulator process: ${message.message}`));
      else if (message.type === type) resolve(message as Extract<ChildMessage, { type: T }>);
      else return;
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onExit = (code: number | null): void => reject(new Error(`emulator process exited (${String(code)})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Starts the emulator with `world` and `faults` in a child Node process (tsx loader) and waits until it listens. */
export async function startEmulatorProcess(options: {
  world: Partial<WorldData>;
  faults?: FaultRule[];
  /** HTTP/2 on the login and Graph hosts, as Microsoft's offer it. */
  http2?: boolean;
}): Promise<EmulatorProcess> {
  // BENCH_EMULATOR_CPU_PROF=<dir>: a CPU profile of the emulator's side, to see what it costs the machine.
  const profileDir = process.env['BENCH_EMULATOR_CPU_PROF'];
  const execArgv = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const child = fork(import.meta.filename, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const send = (message: ParentMessage): void => {
    child.send(message);
  };
  const ready = nextMessage(child, 'ready');
  send({ type: 'start', world: options.world, faults: (options.faults ?? []).map(toWire), http2: options.http2 === true });
  let info: Awaited<typeof ready>;
  try {
    info = await ready;
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    authorityHost: info.authorityHost,
    graphRoot: info.graphRoot,
    caCertPem: info.caCertPem,
    requestCount: async () => {
      const answer = nextMessage(child, 'requests');
      send({ type: 'requests' });
      return (await answer).count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        send({ type: 'close' });
      }),
  };
}

async function child(): Promise<void> {
  const { startEmulator } = await import('../e2e/emulator');
  const reply = (message: ChildMessage): void => {
    process.send?.(message);
  };
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'start') {
      void startEmulator({ world: message.world, http2: message.http2 }).then(
        (emu) => {
          emulator = emu;
          for (const rule of message.faults) emu.setFault(fromWire(rule));
          reply({ type: 'ready', authorityHost: emu.authorityHost, graphRoot: emu.graphRoot, caCertPem: emu.caCertPem });
        },
        (error: unknown) => reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
    } else if (message.type === 'requests') {
      reply({ type: 'requests', count: emulator?.requests().length ?? 0 });
    } else {
      void (emulator?.close() ?? Promise.resolve()).finally(() => process.exit(0));
    }
  });
  // The parent gone (crash, Ctrl+C): no orphaned emulator keeps its ports.
  process.on('disconnect', () => process.exit(0));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await child();
