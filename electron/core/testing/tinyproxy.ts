import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TINYPROXY = process.env['TINYPROXY_PATH'] ?? '/usr/bin/tinyproxy';

export interface Tinyproxy {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** The log so far. */
  log(): Promise<string>;
  /** CONNECT requests the proxy received for host:port targets ending in one of these ports. */
  connectsTo(ports: readonly number[]): Promise<number>;
  close(): Promise<void>;
}

/** A loopback port nothing listens on (at the moment of asking). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tinyproxy exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    }).catch(() => false);
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`tinyproxy did not listen on ${port} within ${timeoutMs} ms`);
}

const live = new Set<ChildProcess>();
// A failed or aborted test run must not leave a proxy behind.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Debian's tinyproxy on a free loopback port, in the foreground, with its own config and log in a temp
 * dir. `connectPorts`: the only ports it tunnels to (CONNECT elsewhere gets 403); tinyproxy allows every
 * port when none is listed, so pass at least one.
 */
export async function startTinyproxy(options: { connectPorts: readonly number[] }): Promise<Tinyproxy> {
  if (!existsSync(TINYPROXY)) throw new Error(`tinyproxy not installed at ${TINYPROXY} (apt-get install tinyproxy)`);
  if (options.connectPorts.length === 0) throw new Error('tinyproxy allows every port without ConnectPort lines');
  const dir = await mkdtemp(join(tmpdir(), 'absender-tinyproxy-'));
  const port = await freePort();
  const logFile = join(dir, 'tinyproxy.log');
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 30',
    `LogFile "${logFile}"`,
    'LogLevel Connect',
    'MaxClients 8',
    'Allow 127.0.0.1',
    ...options.connectPorts.map((p) => `ConnectPort ${p}`),
  ].join('\n');
  const configFile = join(dir, 'tinyproxy.conf');
  await writeFile(configFile, `${config}\n`);
  // -d: stay in the foreground, so the child is the proxy and dies with the test.
  const child = spawn(TINYPROXY, ['-d', '-c', configFile], { detached: false, stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, child, 5000);
  } catch (error) {
    child.kill('SIGKILL');
    live.delete(child);
    throw new Error(`${(error as Error).message}: ${stderr.trim()}`, { cause: error });
  }
  const log = () => readFile(logFile, 'utf8').catch(() => '');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    connectsTo: async (ports) => {
      const lines = (await log()).split('\n');
      return lines.filter((l) => /\bCONNECT\s+\S+:(\d+)\b/.test(l) && ports.some((p) => l.includes(`:${p} `))).length;
    },
    close: async () => {
      const running = () => child.exitCode === null && child.signalCode === null;
      if (running()) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
        if (running()) child.kill('SIGKILL');
      }
      live.delete(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
