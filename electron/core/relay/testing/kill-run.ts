// The kill -9 run shared by relay-crash.int.test.ts and the bench: the relay in its own process, killed at random
// moments while Postfix's smtp-source sends, then one start that drains the queue. The caller judges the outcome.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DEMO } from '../../../../e2e/emulator';
import { spawnOwned } from '../../testing/owned-children';
import type { RelayItemState } from '../relay-queue';

const CHILD = join(import.meta.dirname, 'relay-child.ts');

export interface KillRunOptions {
  dataDir: string;
  profileId: string;
  emulator: { authorityHost: string; graphRoot: string; caCertPath?: string };
  rounds: number;
  perRound: number;
  /** How long the last start may take to drain the queue. */
  drainMs: number;
}

export interface KillRunOutcome {
  /** Queue ids smtp-source saw a 250 for. */
  acked: Set<string>;
  /** Delivery state per queue id after the drain (from the queue directory). */
  states: Map<string, RelayItemState>;
  drained: boolean;
}

export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });

function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawnOwned(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let errors = '';
    child.stderr?.on('data', (c: Buffer) => (errors += c.toString()));
    child.stdout?.on('data', (c: Buffer) => {
      for (const line of c.toString().split('\n')) if (line !== '') lines.push(line);
      if (lines.some((l) => l.startsWith('READY'))) resolve({ child, lines });
    });
    child.once('exit', (code) => reject(new Error(`relay child exited ${String(code)}: ${errors}`)));
  });
}

function smtpSource(port: number, messages: number): { done: Promise<string>; child: ChildProcess } {
  const child = spawnOwned(
    '/usr/local/bin/smtp-source',
    [
      '-v',
      '-s',
      '5',
      '-m',
      String(messages),
      '-l',
      '2000',
      '-f',
      DEMO.sender.upn,
      '-t',
      'kunde@example.com',
      `127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const done = new Promise<string>((resolve) => child.once('close', () => resolve(out)));
  return { done, child };
}

export async function killRun(o: KillRunOptions): Promise<KillRunOutcome> {
  const port = await freePort();
  const env: Record<string, string> = {
    RELAY_DATA_DIR: o.dataDir,
    RELAY_AUTHORITY: o.emulator.authorityHost,
    RELAY_GRAPH_ROOT: o.emulator.graphRoot,
    RELAY_PORT: String(port),
    RELAY_PROFILE_ID: o.profileId,
    ...(o.emulator.caCertPath === undefined ? {} : { RELAY_CA_FILE: o.emulator.caCertPath }),
  };
  const acked = new Set<string>();
  for (let round = 0; round < o.rounds; round += 1) {
    const { child } = await startChild(env);
    const source = smtpSource(port, o.perRound);
    await new Promise((r) => setTimeout(r, 250 + Math.random() * 1250));
    child.kill('SIGKILL');
    const timer = setTimeout(() => source.child.kill('SIGKILL'), 10_000);
    const out = await source.done;
    clearTimeout(timer);
    for (const m of out.matchAll(/<<< 250 2\.0\.0 Queued as (\S+)/g)) if (m[1] !== undefined) acked.add(m[1]);
  }

  // The last start runs until the queue is drained.
  const { child, lines } = await startChild(env);
  const deadline = Date.now() + o.drainMs;
  const isDrained = () => lines.some((l) => /^COUNTS .*"pending":0,"sending":0/.test(l));
  while (!isDrained() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const drained = isDrained();
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

  const queueDir = join(o.dataDir, 'relay', 'queue');
  const states = new Map<string, RelayItemState>();
  for (const name of readdirSync(queueDir).filter((n) => n.endsWith('.state.json')))
    states.set(name.slice(0, -'.state.json'.length), JSON.parse(readFileSync(join(queueDir, name), 'utf8')) as RelayItemState);
  return { acked, states, drained };
}

/** Sink Message-IDs sent more than once, and acknowledged queue ids not sent exactly once: both empty = exactly once. */
export function judgeKillRun(outcome: KillRunOutcome, sinkMessageIds: readonly string[]) {
  const perId = new Map<string, number>();
  for (const id of sinkMessageIds) perId.set(id, (perId.get(id) ?? 0) + 1);
  const twice = [...perId.entries()].filter(([, n]) => n > 1).map(([id]) => id);
  const notOnce = [...outcome.acked].filter((id) => {
    const state = outcome.states.get(id);
    return state?.status !== 'sent' || perId.get(state.envelope?.messageId ?? '?') !== 1;
  });
  return { twice, notOnce };
}
