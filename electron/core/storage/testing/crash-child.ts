// Child process for the DS-3 crash test: rewrites the profiles file through the conf adapter as fast as
// it can until it is killed with SIGKILL. Creates <readyFile> once the first write is on disk (a file, not
// stdout: the loop never yields, and pipe writes are asynchronous on some platforms).
// Usage: node --import tsx crash-child.ts <dataDir> <readyFile>
import { writeFileSync } from 'node:fs';
import { openConfStore } from '../../testing/conf-store';
import { fixtureId, profileRecord } from './fixtures';

const [dir = '', readyFile = ''] = process.argv.slice(2);
const store = openConfStore(dir, 'profiles');
// ~150 kB per write, so a kill lands inside a write (temp file open, half written, before rename) often.
const profiles = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [fixtureId(`p${i}`), profileRecord(`p${i}`)]));
for (let n = 0; ; n += 1) {
  const p0 = profiles[fixtureId('p0')];
  if (p0) p0.revision = n;
  store.set('profiles', profiles);
  if (n === 0) writeFileSync(readyFile, 'ready');
}
