// Round trips of a connection test: cold = token + Graph, warm = Graph only (the token is cached).
import { DEMO, startEmulator } from '../../e2e/emulator';
import { createTestCore } from '../../electron/core/testing/core-fixture';
import { emulatorEndpoints } from '../../electron/core/testing/emulator-endpoints';
import { exactly } from '../support';
import type { BenchCase } from '../types';

export const ids = ['test.roundtrips.cold', 'test.roundtrips.warm'] as const;

export const run: BenchCase = async ({ small }) => {
  const emulator = await startEmulator();
  try {
    const { api } = createTestCore({
      clock: { now: () => new Date() },
      network: { endpoints: emulatorEndpoints(emulator) },
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
    await api.tests.run({ profileId: saved.id });
    const cold = emulator.requests().length;
    let warm = Number.NaN;
    // Every warm run must stay at one request, so the worst one is reported.
    for (let i = 0; i < (small ? 1 : 5); i++) {
      emulator.clearRequests();
      await api.tests.run({ profileId: saved.id });
      warm = Number.isNaN(warm) ? emulator.requests().length : Math.max(warm, emulator.requests().length);
    }
    return [exactly(ids[0], cold, 'count', 2), exactly(ids[1], warm, 'count', 1)];
  } finally {
    await emulator.close();
  }
};
