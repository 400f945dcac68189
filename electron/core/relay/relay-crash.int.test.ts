import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startEmulator, type Emulator } from '../../../e2e/emulator';
import { killOwnedChildren, spawnOwned } from '../testing/owned-children';
import type { RelayItemState } from './relay-queue';
import { newDataDir, openRelayCore, relayProfile } from './testing/relay-fixture';

// kill -9 of the relay process (listener and worker together) at random moments while Postfix's smtp-source
// sends, then a restart that drains the queue: every message that got a 250 arrives exactly once, none twice.

const CHILD = join(import.meta.dirname, 'testing', 'relay-child.ts');
const ROUNDS = 6;
const PER_ROUND = 40;

let emulator: Emulator;
let dataDir: string;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(() => killOwnedChildren());

const freePort = (): Promise<number> =>
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

describe('relay durability under kill -9', () => {
  it(`${ROUNDS} kills while smtp-source sends: every 250 arrives exactly once after the restart drains`, async () => {
    dataDir = newDataDir();
    const core = await openRelayCore(dataDir, emulator);
    const profile = await relayProfile(core);
    const port = await freePort();
    const env = {
      RELAY_DATA_DIR: dataDir,
      RELAY_AUTHORITY: emulator.authorityHost,
      RELAY_GRAPH_ROOT: emulator.graphRoot,
      RELAY_PORT: String(port),
      RELAY_PROFILE_ID: profile.id,
    };
    const acked = new Set<string>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const { child } = await startChild(env);
      const source = smtpSource(port, PER_ROUND);
      await new Promise((r) => setTimeout(r, 250 + Math.random() * 1250));
      child.kill('SIGKILL');
      const timer = setTimeout(() => source.child.kill('SIGKILL'), 10_000);
      const out = await source.done;
      clearTimeout(timer);
      for (const m of out.matchAll(/<<< 250 2\.0\.0 Queued as (\S+)/g)) if (m[1] !== undefined) acked.add(m[1]);
    }
    expect(acked.size).toBeGreaterThan(0);

    // The last start runs until the queue is drained.
    const { child, lines } = await startChild(env);
    const deadline = Date.now() + 45_000;
    const drained = () => lines.some((l) => /^COUNTS .*"pending":0,"sending":0/.test(l));
    while (!drained() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    expect(drained()).toBe(true);

    const queueDir = join(dataDir, 'relay', 'queue');
    const states = new Map<string, RelayItemState>();
    for (const name of readdirSync(queueDir).filter((n) => n.endsWith('.state.json')))
      states.set(name.slice(0, -'.state.json'.length), JSON.parse(readFileSync(join(queueDir, name), 'utf8')) as RelayItemState);
    const sink = emulator.sentMessages().map((m) => m.internetMessageId ?? '');
    const perId = new Map<string, number>();
    for (const id of sink) perId.set(id, (perId.get(id) ?? 0) + 1);
    // Nothing twice, acknowledged or not.
    expect([...perId.entries()].filter(([, n]) => n > 1)).toEqual([]);
    for (const id of acked) {
      const state = states.get(id);
      expect(state?.status, id).toBe('sent');
      expect(perId.get(state?.envelope?.messageId ?? '?'), id).toBe(1);
    }
  }, 180_000);
});
