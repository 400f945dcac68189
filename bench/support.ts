// Shared helpers of the bench cases: seeded data directories and simple statistics.
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProfileView } from '../shared/domain';
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
