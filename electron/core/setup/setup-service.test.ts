import { describe, expect, it } from 'vitest';
import { ProfileView } from '../../../shared/domain';
import type { TestReport, TestStep } from '../../../shared/ipc/contract';
import { VALID_DRAFT } from '../testing/core-fixture';
import { createTestCore } from '../testing/core-fixture';
import { InMemoryStore } from '../testing/in-memory';
import { ProfileRepository } from '../profiles/profile-repository';
import { SetupService } from './setup-service';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

function setupWorld() {
  let now = new Date('2026-12-01T10:00:00Z');
  const clock = { now: () => now };
  const repo = new ProfileRepository(new InMemoryStore(), clock);
  const opened: string[] = [];
  const service = new SetupService(repo, clock, (url) => {
    opened.push(url);
    return Promise.resolve();
  });
  const profile = repo.upsert({ ...VALID_DRAFT }, ID, { hasSecret: true, secretHint: 'abc' });
  return { repo, service, opened, profile, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const step = (id: string, status: TestStep['status']): TestStep => ({
  id,
  status,
  durationMs: 1,
  messageKey: null,
  adviceKey: null,
  params: {},
  code: null,
  httpStatus: null,
  correlationId: null,
  requestId: null,
  timestamp: null,
  detail: null,
});
const report = (profile: ProfileView, outcome: TestReport['outcome'], steps: TestStep[], finishedAt: string): TestReport => ({
  runId: 'r',
  profileId: profile.id,
  startedAt: finishedAt,
  finishedAt,
  outcome,
  steps,
  profile,
});

describe('setup assistant state in the core', () => {
  it('stores ticks without a new revision, in canonical order, schema-valid', () => {
    const { service, profile, repo } = setupWorld();
    service.update({ profileId: ID, tick: { step: 'admin-consent', done: true } });
    const after = service.update({ profileId: ID, tick: { step: 'mailbox', done: true } });
    expect(after.setup?.ticked).toEqual(['mailbox', 'admin-consent']);
    expect(after.revision).toBe(profile.revision);
    expect(service.update({ profileId: ID, tick: { step: 'mailbox', done: false } }).setup?.ticked).toEqual(['admin-consent']);
    expect(ProfileView.parse(repo.get(ID))).toEqual(repo.get(ID));
  });

  it('records "restriction done" at the core clock and ticks the step', () => {
    const { service } = setupWorld();
    const done = service.update({
      profileId: ID,
      restrictionDone: true,
      servicePrincipalObjectId: ID,
      controlMailbox: 'ceo@contoso.com',
    });
    expect(done.setup).toMatchObject({
      restrictionDoneAt: '2026-12-01T10:00:00.000Z',
      restrictionVerifiedAt: null,
      servicePrincipalObjectId: ID,
      controlMailbox: 'ceo@contoso.com',
      ticked: ['restriction'],
    });
  });

  it('a test that did not fail folds the assistant once; a passing probe after "done" verifies the restriction', () => {
    const { service, repo, advance } = setupWorld();
    const failed = service.learnFromTest(report(repo.get(ID), 'failed', [step('token', 'failed')], '2026-12-01T10:01:00.000Z'));
    expect(failed.profile.setup?.completedAt ?? null).toBeNull();
    const ok = service.learnFromTest(report(repo.get(ID), 'ok', [step('probe', 'skipped')], '2026-12-01T10:02:00.000Z'));
    expect(ok.profile.setup?.completedAt).toBe('2026-12-01T10:02:00.000Z');
    service.learnFromTest(report(repo.get(ID), 'ok', [], '2026-12-01T10:03:00.000Z'));
    expect(repo.get(ID).setup?.completedAt).toBe('2026-12-01T10:02:00.000Z');
    // A probe before the admin's "done" proves nothing about the new scope.
    service.learnFromTest(report(repo.get(ID), 'ok', [step('probe', 'ok')], '2026-12-01T10:04:00.000Z'));
    expect(repo.get(ID).setup?.restrictionVerifiedAt).toBeNull();
    advance(60_000 * 5);
    service.update({ profileId: ID, restrictionDone: true });
    const probed = service.learnFromTest(report(repo.get(ID), 'ok', [step('probe', 'ok')], '2026-12-01T10:40:00.000Z'));
    expect(probed.profile.setup?.restrictionVerifiedAt).toBe('2026-12-01T10:40:00.000Z');
  });

  it('drops "done" when an edit points the profile at another app', () => {
    const { service, repo, profile } = setupWorld();
    service.update({ profileId: ID, tick: { step: 'mailbox', done: true } });
    service.learnFromTest(report(repo.get(ID), 'ok', [], '2026-12-01T10:02:00.000Z'));
    const renamed = repo.upsert({ ...VALID_DRAFT, id: ID, revision: profile.revision, name: 'Neu' }, 'x', {
      hasSecret: true,
      secretHint: 'abc',
    });
    expect(renamed.setup?.completedAt).toBe('2026-12-01T10:02:00.000Z');
    const moved = repo.upsert(
      { ...VALID_DRAFT, id: ID, revision: renamed.revision, clientId: '99999999-2222-3333-4444-555555555555' },
      'x',
      { hasSecret: true, secretHint: 'abc' },
    );
    expect(moved.setup).toMatchObject({ completedAt: null, ticked: ['mailbox'] });
  });

  it('opens the admin-consent URL built from the stored profile', async () => {
    const { service, opened } = setupWorld();
    await service.openAdminConsent(ID);
    expect(opened).toEqual([
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=11111111-2222-3333-4444-555555555555',
    ]);
  });

  it('through the IPC handlers: a hostile step id or a non-GUID object id is refused', async () => {
    const { api, handlers } = createTestCore();
    const saved = await api.profiles.save({ draft: { ...VALID_DRAFT } });
    const update = handlers.get('absender:setup.update');
    expect(await update?.({ profileId: saved.id, tick: { step: '__proto__', done: true } })).toMatchObject({ ok: false });
    expect(await update?.({ profileId: saved.id, servicePrincipalObjectId: "'; Remove-Mailbox" })).toMatchObject({ ok: false });
    expect(await update?.({ profileId: saved.id, tick: { step: 'mailbox', done: true } })).toMatchObject({
      ok: true,
      value: { setup: { ticked: ['mailbox'] } },
    });
  });
});
