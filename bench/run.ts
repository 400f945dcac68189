// npm run bench: speed and round-trip figures measured in one run, reported as ratios so that the
// machine's own speed cancels out. Prints a table and exits non-zero when a target is missed.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ProfileView } from '../shared/domain';
import { createTestCore } from '../electron/core/testing/core-fixture';
import { openConfStore } from '../electron/core/testing/conf-store';
import { DEMO, startEmulator } from '../e2e/emulator';
import { launchBrowserHost } from '../e2e/hosts/browser-host';
import { emulatorEndpoints } from '../electron/core/testing/emulator-endpoints';

interface Row {
  what: string;
  value: string;
  target: string;
  ok: boolean;
}
const rows: Row[] = [];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function profile(i: number): ProfileView {
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

async function seededDir(n: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'absender-bench-'));
  const profiles = Object.fromEntries(Array.from({ length: n }, (_, i) => profile(i)).map((p) => [p.id, p]));
  await writeFile(join(dir, 'profiles.json'), JSON.stringify({ profiles, schemaVersion: 1 }));
  return dir;
}

async function connectionTestRoundTrips(): Promise<void> {
  const emulator = await startEmulator();
  try {
    const { api } = createTestCore({
      clock: { now: () => new Date() },
      network: {
        endpoints: emulatorEndpoints(emulator),
      },
      extraCaPem: emulator.caCertPem,
    });
    const saved = await api.profiles.save({
      draft: {
        name: 'Bench',
        accountType: 'client-secret',
        senderAddress: DEMO.sender.upn,
        mailboxAddress: DEMO.sender.upn,
        clientId: DEMO.confidentialApp.clientId,
        tenant: DEMO.tenantId,
        secretExpiresOn: '',
      },
      clientSecret: DEMO.confidentialApp.secretValue,
    });
    emulator.clearRequests();
    let t = performance.now();
    await api.tests.run({ profileId: saved.id });
    const coldMs = performance.now() - t;
    const cold = emulator.requests().length;
    const warmTimes: number[] = [];
    let warm = 0;
    for (let i = 0; i < 5; i++) {
      emulator.clearRequests();
      t = performance.now();
      await api.tests.run({ profileId: saved.id });
      warmTimes.push(performance.now() - t);
      warm = emulator.requests().length;
    }
    rows.push({ what: 'connection test round trips, cold (token + Graph)', value: String(cold), target: '= 2', ok: cold === 2 });
    rows.push({ what: 'connection test round trips, warm (Graph only)', value: String(warm), target: '= 1', ok: warm === 1 });
    const ratio = median(warmTimes) / coldMs;
    rows.push({
      what: 'warm / cold test time',
      value: `${ratio.toFixed(2)} (${median(warmTimes).toFixed(0)} ms / ${coldMs.toFixed(0)} ms)`,
      target: '< 1',
      ok: ratio < 1,
    });
  } finally {
    await emulator.close();
  }
}

async function saveScaling(): Promise<void> {
  const time = async (n: number): Promise<number> => {
    const dir = await seededDir(n);
    try {
      const { api } = createTestCore({
        clock: { now: () => new Date() },
        stores: {
          profiles: openConfStore(dir, 'profiles'),
          secrets: openConfStore(dir, 'secrets'),
          settings: openConfStore(dir, 'settings'),
        },
      });
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        const list = await api.profiles.list();
        const first = list[0];
        if (!first) throw new Error('seed missing');
        await api.profiles.save({
          draft: {
            id: first.id,
            revision: first.revision,
            name: `${first.name} x`,
            accountType: first.accountType,
            senderAddress: first.senderAddress,
            mailboxAddress: first.mailboxAddress,
            clientId: first.clientId,
            tenant: first.tenant,
            secretExpiresOn: first.secret.secretExpiresOn ?? '',
          },
        });
        times.push(performance.now() - t);
      }
      return median(times);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const small = await time(10);
  const large = await time(1000);
  rows.push({
    what: 'list + save with 1000 vs 10 profiles',
    value: `${(large / small).toFixed(1)}× (${large.toFixed(1)} ms vs ${small.toFixed(1)} ms)`,
    target: '< 50 ms at 1000',
    ok: large < 50,
  });
}

async function listRendering(): Promise<void> {
  const time = async (n: number): Promise<{ open: number; filter: number }> => {
    const dir = await seededDir(n);
    const t = performance.now();
    const host = await launchBrowserHost({ dataDir: dir, locale: 'en' });
    try {
      await host.page.getByText(`${n} sender profiles`).waitFor();
      const open = performance.now() - t;
      const f = performance.now();
      await host.page.getByRole('textbox', { name: 'Search sender profiles' }).fill('Absender 0007');
      // Filtered when only the one match is left in the list.
      await host.page.locator('nav li').nth(1).waitFor({ state: 'detached' });
      return { open, filter: performance.now() - f };
    } finally {
      await host.close();
      await rm(dir, { recursive: true, force: true });
    }
  };
  const small = await time(10);
  const large = await time(1000);
  rows.push({
    what: 'open the app with 1000 vs 10 profiles',
    value: `${(large.open / small.open).toFixed(2)}× (${large.open.toFixed(0)} ms vs ${small.open.toFixed(0)} ms)`,
    target: '< 3×',
    ok: large.open / small.open < 3,
  });
  rows.push({
    what: 'search among 1000 profiles',
    value: `${large.filter.toFixed(0)} ms (10 profiles: ${small.filter.toFixed(0)} ms)`,
    target: '< 500 ms',
    ok: large.filter < 500,
  });
}

await connectionTestRoundTrips();
await saveScaling();
await listRendering();
const width = Math.max(...rows.map((r) => r.what.length));
for (const r of rows) console.log(`${r.ok ? 'ok  ' : 'MISS'}  ${r.what.padEnd(width)}  ${r.value}   (target ${r.target})`);
process.exit(rows.every((r) => r.ok) ? 0 : 1);
