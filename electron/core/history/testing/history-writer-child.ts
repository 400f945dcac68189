// Child process for the two-process history test: opens the stores as a headless command does (openCoreStores,
// read only beside a window) and appends <count> entries to a profile both writers share and <count> to its own,
// through the history's single and batch appends alternately (a save's and test all's writes). Exits 0 when done.
// Usage: node --import tsx history-writer-child.ts <dataDir> <writer> <sharedId> <ownId> <count>, spawned with an
// IPC channel (start-barrier.ts: it reports ready, then waits for the parent's go).
import type { HistoryEntry } from '../../../../shared/transfer/profile-transfer';
import { openCoreStores } from '../../storage/core-stores';
import { openConfStore } from '../../testing/conf-store';
import { MemoryLogger } from '../../testing/in-memory';
import { readyThenWaitForGo } from '../../testing/start-barrier';
import { ProfileHistory } from '../profile-history';

const [dir = '', writer = '', shared = '', own = '', count = '0'] = process.argv.slice(2);
const stores = await openCoreStores({
  dir,
  open: (name) => openConfStore(dir, name),
  confirmStartEmpty: () => Promise.resolve(false),
  repair: false,
});
const logger = new MemoryLogger();
const history = new ProfileHistory(stores.history ?? openConfStore(dir, 'history'), logger);
// Whose entry it is and which: the parent finds each one again by its user name.
const entry = (n: number): HistoryEntry => ({
  kind: 'signed-in',
  at: new Date(Date.parse('2026-12-01T00:00:00Z') + n * 1000).toISOString(),
  username: `${writer}-${n}@contoso.com`,
});
await readyThenWaitForGo();
for (let n = 1; n <= Number(count); n += 1) {
  if (n % 2 === 0)
    history.appendMany(
      new Map([
        [shared, [entry(n)]],
        [own, [entry(n)]],
      ]),
    );
  else {
    history.append(shared, [entry(n)]);
    history.append(own, [entry(n)]);
  }
}
// A write the lock refused (busy past its wait) is only logged by the history: here it fails the run.
if (logger.lines.length > 0) {
  process.stderr.write(`${logger.lines.join('\n')}\n`);
  process.exit(1);
}
