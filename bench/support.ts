// Shared helpers of the bench cases: seeded data directories and simple statistics.
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProfileView } from '../shared/domain';
import { spawnOwned } from '../electron/core/testing/owned-children';
import { DEMO } from '../e2e/emulator';
import type { BenchResult } from './types';

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** Nearest-rank quantile (p95 of 20 samples is the 19th): no interpolation that invents a figure. */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** A result judged against an upper bound. */
export function atMost(id: string, value: number, unit: string, limit: number): BenchResult {
  return { id, value: round(value), unit, target: `<= ${limit}`, ok: value <= limit };
}

export function exactly(id: string, value: number, unit: string, expected: number): BenchResult {
  return { id, value, unit, target: `= ${expected}`, ok: value === expected };
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** Profile n of a seeded list: names sort as their numbers, every third one Modern Authentication. */
export function benchProfile(i: number): ProfileView {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    revision: 1,
    name: `Absender ${String(i).padStart(4, '0')}`,
    accountType: i % 3 === 0 ? 'modern-auth' : 'client-secret',
    cloud: 'global',
    senderAddress: `sender${i}@contoso.onmicrosoft.com`,
    mailboxAddress: i % 3 === 0 ? '' : `sender${i}@contoso.onmicrosoft.com`,
    clientId: DEMO.confidentialApp.clientId,
    tenant: DEMO.tenantId,
    signInMethod: 'popup',
    secret: { hasSecret: false, secretHint: null, secretExpiresOn: i % 3 === 0 ? null : '2027-06-30' },
    delegated: null,
    lastTest: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** A data directory holding n profiles in the format of an existing installation (profiles.json). */
export async function seededDataDir(n: number): Promise<{ dir: string; profiles: ProfileView[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'absender-bench-'));
  const profiles = Array.from({ length: n }, (_, i) => benchProfile(i));
  await writeFile(
    join(dir, 'profiles.json'),
    JSON.stringify({ profiles: Object.fromEntries(profiles.map((p) => [p.id, p])), schemaVersion: 1 }),
    { mode: 0o600 },
  );
  return { dir, profiles };
}

/** What a bench needs of an emulator running in its own process (see bench/emulator-process.ts). */
export interface EmulatorProcess {
  authorityHost: string;
  graphRoot: string;
  graphBaseUrl: string;
  caCertPath: string;
  caCertPem: string;
  sentMessages(): Promise<Array<{ subject: string; internetMessageId: string | null }>>;
  requests(): Promise<Array<{ host: string; method: string; path: string; status: number | null; outcome: string }>>;
  clearRequests(): Promise<void>;
  clearSentMessages(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the emulator in a child process (an owned child: it dies with the bench) and talks to it over
 * stdin/stdout. For benches whose figure would otherwise include the emulator's work on the same thread
 * (relay accept vs. delivery, test-all throughput).
 */
export function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = spawnOwned(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'emulator-process.ts')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  let buffer = '';
  let errors = '';
  child.stderr?.on('data', (c: Buffer) => (errors = (errors + c.toString()).slice(-4000)));
  const call = <T>(op: string, arg?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      next += 1;
      waiting.set(next, { resolve: resolve as (v: unknown) => void, reject });
      child.stdin?.write(`${JSON.stringify({ id: next, op, arg })}\n`);
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const error = new Error(`emulator process exited ${String(code)}: ${errors}`);
      for (const w of waiting.values()) w.reject(error);
      reject(error);
    });
    child.stdout?.on('data', (c: Buffer) => {
      buffer += c.toString();
      let at: number;
      while ((at = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
        if (line.startsWith('READY ')) {
          const info = JSON.parse(line.slice('READY '.length)) as Pick<
            EmulatorProcess,
            'authorityHost' | 'graphRoot' | 'graphBaseUrl' | 'caCertPath' | 'caCertPem'
          >;
          resolve({
            ...info,
            sentMessages: () => call('sentMessages'),
            requests: () => call('requests'),
            clearRequests: () => call('clearRequests'),
            clearSentMessages: () => call('clearSentMessages'),
            close: () =>
              new Promise<void>((done) => {
                if (child.exitCode !== null) return done();
                child.once('exit', () => done());
                child.stdin?.end();
              }),
          });
          continue;
        }
        const answer = JSON.parse(line) as { id: number; result?: unknown; error?: string };
        const w = waiting.get(answer.id);
        waiting.delete(answer.id);
        if (answer.error !== undefined) w?.reject(new Error(answer.error));
        else w?.resolve(answer.result);
      }
    });
  });
}
