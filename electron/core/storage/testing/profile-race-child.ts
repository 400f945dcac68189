// Child process for the two-process state race test: the window editing a profile's name (`edit`) or a headless
// `check` recording test results (`test`), each <count> times through the repository, the history wrapper and the
// journal, as the real processes would. Exits 0 when done.
// Usage: node --import tsx profile-race-child.ts <dataDir> <edit|test> <profileId> <count>, spawned with an IPC channel
// (start-barrier.ts: it reports ready, then waits for the parent's go).
import { ProfileHistory, recordedProfiles } from '../../history/profile-history';
import { ProfileRepository } from '../../profiles/profile-repository';
import { MemoryLogger } from '../../testing/in-memory';
import { openConfStore } from '../../testing/conf-store';
import { readyThenWaitForGo } from '../../testing/start-barrier';
import { JournaledProfiles } from '../profile-journal';

const [dir = '', mode = '', id = '', count = '0'] = process.argv.slice(2);
const clock = { now: () => new Date() };
const store = openConfStore(dir, 'profiles');
// A history file per process: the race under test is the profile records', not history.json's.
const history = new ProfileHistory(openConfStore(dir, `history-${mode}`), new MemoryLogger());
const repo = new ProfileRepository(
  store,
  clock,
  undefined,
  recordedProfiles(new JournaledProfiles({ dir, store }), history, () => clock.now()),
);
// Both begin together (released by the parent once both are loaded), so their reads and writes really interleave.
await readyThenWaitForGo();
for (let n = 1; n <= Number(count); n += 1) {
  const profile = repo.get(id);
  if (mode === 'edit') {
    repo.upsert(
      {
        id,
        revision: profile.revision,
        name: `Name ${n}`,
        accountType: profile.accountType,
        cloud: profile.cloud,
        senderAddress: profile.senderAddress,
        mailboxAddress: profile.mailboxAddress,
        clientId: profile.clientId,
        tenant: profile.tenant,
        secretExpiresOn: profile.secret.secretExpiresOn ?? '',
      },
      id,
      { hasSecret: profile.secret.hasSecret, secretHint: profile.secret.secretHint },
    );
  } else {
    const at = new Date(Date.parse('2026-12-01T00:00:00Z') + n * 1000).toISOString();
    repo.recordTests([{ profileId: id, lastTest: { at, outcome: n % 2 === 0 ? 'ok' : 'failed', failedStep: null } }]);
  }
}
