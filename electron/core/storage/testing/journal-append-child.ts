// Child process for the two-writer journal test: saves <count> new profiles `<prefix>-<n>` through the journal,
// folding every <foldEvery> saves, as the window and a command beside it would; exits 0 when done.
// Usage: node --import tsx journal-append-child.ts <dataDir> <prefix> <count> <foldEvery>, spawned with an IPC channel
// (start-barrier.ts: it reports ready, then waits for the parent's go).
import type { ProfileView } from '../../../../shared/domain';
import { openConfStore } from '../../testing/conf-store';
import { readyThenWaitForGo } from '../../testing/start-barrier';
import { JournaledProfiles } from '../profile-journal';
import { profileRecord } from './fixtures';

const [dir = '', prefix = '', count = '0', foldEvery = '0'] = process.argv.slice(2);
const records = new JournaledProfiles({ dir, store: openConfStore(dir, 'profiles') });
// Both writers begin together (released by the parent once both are loaded), so their appends and folds interleave.
await readyThenWaitForGo();
for (let n = 1; n <= Number(count); n += 1) {
  records.put(profileRecord(`${prefix}-${n}`) as ProfileView);
  if (n % Number(foldEvery) === 0) records.compact();
}
