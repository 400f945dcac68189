// Child process for the journal's kill -9 test: saves profile p0 with rising revisions through the journal
// (folding every 15 saves) until killed. After each save returns, its revision goes to
// <ackFile> (no fsync needed: a killed process's written pages survive, only power loss would drop them).
// Usage: node --import tsx journal-crash-child.ts <dataDir> <ackFile>
import { openSync, writeSync } from 'node:fs';
import type { ProfileView } from '../../../../shared/domain';
import { openConfStore } from '../../testing/conf-store';
import { JournaledProfiles } from '../profile-journal';
import { profileRecord } from './fixtures';

const [dir = '', ackFile = ''] = process.argv.slice(2);
const records = new JournaledProfiles({ dir, store: openConfStore(dir, 'profiles') });
const start = Object.values(records.all()).find((p) => p.name === 'Profil p0')?.revision ?? 0;
const ack = openSync(ackFile, 'w');
for (let revision = start + 1; ; revision += 1) {
  records.put({ ...profileRecord('p0'), revision } as ProfileView);
  // Folding often, so kills land inside a snapshot rewrite too, not only inside an append.
  if (revision % 15 === 0) records.compact();
  writeSync(ack, Buffer.from(String(revision).padStart(12, '0')), 0, 12, 0);
}
