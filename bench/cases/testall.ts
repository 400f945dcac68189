// testall.ratio_50: "test all" of 50 profiles against one test, each Microsoft request 100 ms slower (emulator
// latency). Graph's bound is 4 per app and mailbox, so 50 profiles on 50 mailboxes may all run at once: the
// batch should take about as long as one test, not 50 of them.
import { performance } from 'node:perf_hooks';
import { DEMO, demoWorldData, startEmulator, type Emulator } from '../../e2e/emulator';
import { createTestCore } from '../../electron/core/testing/core-fixture';
import { emulatorEndpoints } from '../../electron/core/testing/emulator-endpoints';
import type { BenchCase } from '../types';

export const ids = ['testall.ratio_50'] as const;

const LATENCY_MS = 100;
const TARGET = 1.3;

const mailbox = (i: number) => `bench${String(i).padStart(3, '0')}@${DEMO.tenantDomain}`;

/** The demo world plus one mailbox per profile (the unit Graph's concurrency limit counts in). */
function world(n: number) {
  const data = demoWorldData();
  for (let i = 0; i < n; i++) {
    data.users.push({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      tenantId: DEMO.tenantId,
      userPrincipalName: mailbox(i),
      displayName: `Bench ${i}`,
      password: `Bench!${i}`,
      enabled: true,
      mfaRequired: false,
      licensed: true,
      hasMailbox: true,
    });
  }
  return data;
}

async function coreWith(emulator: Emulator, n: number) {
  const { api } = createTestCore({
    clock: { now: () => new Date() },
    network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 30_000, maxRetries: 0 },
    extraCaPem: emulator.caCertPem,
  });
  for (let i = 0; i < n; i++) {
    await api.profiles.save({
      draft: {
        name: `Bench ${i}`,
        accountType: 'client-secret',
        senderAddress: mailbox(i),
        mailboxAddress: mailbox(i),
        clientId: DEMO.broadApp.clientId,
        tenant: DEMO.tenantId,
        secretExpiresOn: '',
      },
      clientSecret: DEMO.broadApp.secretValue,
    });
  }
  return api;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export const run: BenchCase = async ({ small }) => {
  const n = 50;
  const rounds = small ? 1 : 3;
  const emulator = await startEmulator({ world: world(n) });
  try {
    emulator.setFault({ match: { path: /./ }, action: { type: 'latency', ms: LATENCY_MS } });
    const one: number[] = [];
    const all: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Cold each time (a fresh core: token request + mailbox read), as the daily check finds it.
      const single = await coreWith(emulator, 1);
      const [first] = await single.profiles.list();
      if (!first) throw new Error('bench profile missing');
      let t = performance.now();
      await single.tests.run({ profileId: first.id });
      one.push(performance.now() - t);

      const batch = await coreWith(emulator, n);
      t = performance.now();
      const result = await batch.tests.runAll();
      all.push(performance.now() - t);
      if (result.rows.length !== n) throw new Error(`test all returned ${result.rows.length} rows`);
    }
    const ratio = median(all) / median(one);
    return [
      { id: 'testall.ratio_50', value: Number(ratio.toFixed(2)), unit: 'ratio', target: `<= ${TARGET}`, ok: ratio <= TARGET },
    ];
  } finally {
    await emulator.close();
  }
};
