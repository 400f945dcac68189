import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../e2e/emulator';
import { killOwnedChildren } from '../testing/owned-children';
import { judgeKillRun, killRun } from './testing/kill-run';
import { newDataDir, openRelayCore, relayProfile } from './testing/relay-fixture';

// kill -9 of the relay process (listener and worker together) at random moments while Postfix's smtp-source
// sends, then a restart that drains the queue: every message that got a 250 arrives exactly once, none twice.
// The bench runs the 500 messages (relay.kill_500_exactly_once); here 9 kills × 30 keep CI under a minute.

const ROUNDS = 9;
const PER_ROUND = 30;

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

describe('relay durability under kill -9', () => {
  it(`${ROUNDS} kills while smtp-source sends ${ROUNDS * PER_ROUND}: every 250 arrives exactly once after the restart drains`, async () => {
    dataDir = newDataDir();
    const core = await openRelayCore(dataDir, emulator);
    const profile = await relayProfile(core);
    const outcome = await killRun({
      dataDir,
      profileId: profile.id,
      emulator,
      rounds: ROUNDS,
      perRound: PER_ROUND,
      drainMs: 60_000,
    });
    expect(outcome.acked.size).toBeGreaterThan(0);
    expect(outcome.drained).toBe(true);
    const { twice, notOnce } = judgeKillRun(
      outcome,
      emulator.sentMessages().map((m) => m.internetMessageId ?? ''),
    );
    // Nothing twice, acknowledged or not; every acknowledged one exactly once.
    expect(twice).toEqual([]);
    expect(notOnce).toEqual([]);
    // Not trivial: the kills hit while mail was being accepted and sent.
    expect(outcome.states.size).toBeGreaterThanOrEqual(outcome.acked.size);
  }, 180_000);
});
