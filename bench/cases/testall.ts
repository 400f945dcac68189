// testall.ratio_50: "test all" of 50 profiles against one test, each Microsoft request 100 ms slower (emulator
// latency). Graph's bound is 4 per app and mailbox, so 50 profiles on 50 mailboxes may all run at once: the
// batch should take about as long as one test, not 50 of them. The emulator runs in a process of its own
// (bench/emulator-process.ts): what is timed is the app side, not the emulator's TLS and token signing. Both speak
// HTTP/2, as graph.microsoft.com, login.microsoftonline.com and the app's transport (Chromium's net) do: over
// HTTP/1.1 the batch would open 50 TLS connections to Graph, which the app in production never does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO, demoWorldData } from '../../e2e/emulator';
import { startCore } from '../../electron/core/compose-core';
import { TEST_HOST, testOsPorts } from '../../electron/core/testing/core-fixture';
import { openConfStore } from '../../electron/core/testing/conf-store';
import { UndiciTransport } from '../../electron/core/testing/undici-transport';
import { AesGcmCipher } from '../../e2e/hosts/aes-gcm-cipher';
import { emulatorEndpoints } from '../../electron/core/testing/emulator-endpoints';
import { startEmulatorProcess, type EmulatorProcess } from '../emulator-process';
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

/**
 * A core composed as the hosts compose it: profiles.json + journal and the vault in files of a fresh data
 * directory (conf, as electron-store), AES-GCM for the cipher, undici trusting the emulator's CA.
 */
async function coreWith(emulator: EmulatorProcess, n: number, dirs: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'absender-bench-testall-'));
  dirs.push(dir);
  const { api } = await startCore({
    storeFiles: { dir, open: (name) => openConfStore(dir, name), confirmStartEmpty: () => Promise.resolve(false) },
    os: testOsPorts({
      clock: { now: () => new Date() },
      cipher: new AesGcmCipher(),
      transport: new UndiciTransport({ extraCaPem: emulator.caCertPem, systemProxy: '', allowH2: true }),
    }),
    events: { emit: () => undefined },
    host: TEST_HOST,
    network: { endpoints: emulatorEndpoints(emulator), requestTimeoutMs: 30_000, maxRetries: 0 },
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
  const emulator = await startEmulatorProcess({
    world: world(n),
    http2: true,
    faults: [{ match: { path: /./ }, action: { type: 'latency', ms: LATENCY_MS } }],
  });
  const dirs: string[] = [];
  try {
    const one: number[] = [];
    const all: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Cold each time (a fresh core: token request + mailbox read), as the daily check finds it.
      const single = await coreWith(emulator, 1, dirs);
      const [first] = await single.profiles.list();
      if (!first) throw new Error('bench profile missing');
      let t = performance.now();
      const report = await single.tests.run({ profileId: first.id });
      one.push(performance.now() - t);

      const batch = await coreWith(emulator, n, dirs);
      const before = await emulator.requestCount();
      t = performance.now();
      const result = await batch.tests.runAll();
      all.push(performance.now() - t);
      // The same work as n single tests: every profile ended as the single one did, each read its own mailbox (profiles of one
      // app and secret share the app's token, as Entra would hand each the same one).
      const requests = (await emulator.requestCount()) - before;
      if (result.rows.length !== n || result.rows.some((row) => row.outcome !== report.outcome) || requests < n + 1)
        throw new Error(`test all: ${result.rows.length} rows, ${requests} requests`);
    }
    const ratio = median(all) / median(one);
    return [
      { id: 'testall.ratio_50', value: Number(ratio.toFixed(2)), unit: 'ratio', target: `<= ${TARGET}`, ok: ratio <= TARGET },
    ];
  } finally {
    await emulator.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
};
