import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../testing/in-memory';
import { VALID_DRAFT } from '../testing/core-fixture';
import { ProfileRepository } from './profile-repository';

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const clock = { now: () => new Date('2026-12-02T03:00:00Z') };
const lastTest = { at: '2026-12-02T03:00:00.000Z', outcome: 'failed' as const, failedStep: 'token' };

describe('ProfileRepository.recordTests', () => {
  it('writes a result on the revision it was tested on; one edited since keeps its own state (test all runs long)', () => {
    const repo = new ProfileRepository(new InMemoryStore(), clock);
    const stored = repo.upsert({ ...VALID_DRAFT }, P1, { hasSecret: true, secretHint: 'abc' });
    const other = repo.upsert({ ...VALID_DRAFT, name: 'Zweiter' }, P2, { hasSecret: true, secretHint: 'def' });
    // The admin saves a new secret for p1 while the batch (which tested revision 1) still runs.
    const edited = repo.upsert({ ...VALID_DRAFT, id: stored.id, revision: stored.revision }, 'p1', {
      hasSecret: true,
      secretHint: 'new',
    });
    const expired = { kind: 'expired' as const, at: lastTest.at };
    const written = repo.recordTests([
      { profileId: stored.id, revision: stored.revision, lastTest, secretIssue: expired },
      { profileId: other.id, revision: other.revision, lastTest, secretIssue: expired },
    ]);
    expect(written.map((p) => p.id)).toEqual([other.id]);
    expect(repo.get(stored.id)).toMatchObject({ revision: edited.revision, lastTest: null, secret: { secretHint: 'new' } });
    expect(repo.get(stored.id).secret.issue).toBeUndefined();
    expect(repo.get(other.id)).toMatchObject({ lastTest, secret: { issue: expired } });
  });
});
