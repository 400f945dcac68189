import { randomUUID } from 'node:crypto';
import type { ProfileView } from '../../../shared/domain';
import type { ApiEvents, TestReport, TestRunRequest } from '../../../shared/ipc/contract';
import { AppError } from '../../../shared/errors';
import type { ClientCredentialsTokens } from '../auth/client-credentials';
import type { SignInService } from '../auth/sign-in-service';
import type { NetworkSettings } from '../net/endpoints';
import type { Clock, HttpTransport } from '../ports';
import { withTestRecord, type ProfileRepository, type TestRecord } from '../profiles/profile-repository';
import type { SecretVault } from '../vault/secret-vault';
import { CLIENT_SECRET_STEPS, runClientSecretTest, type TestRun, type TokenResult } from './client-secret-test';
import { MODERN_AUTH_STEPS, runModernAuthTest } from './modern-auth-test';
import { outcomeOf, StepRecorder } from './step-recorder';

export interface ConnectionTestDeps {
  repo: ProfileRepository;
  vault: SecretVault;
  tokens: ClientCredentialsTokens;
  delegated: SignInService;
  network: NetworkSettings;
  clock: Clock;
  emit: (payload: ApiEvents['tests.progress']) => void;
  transport: HttpTransport;
  /** Test all: the result is handed here and written with the batch's others (one fsync), not at once. */
  deferRecord?: (record: TestRecord) => void;
}

/** The profile as the successor certificate would make it: a certificate profile with that certificate. */
function withNextCertificate(profile: ProfileView): ProfileView {
  if (
    profile.certificateNext === undefined ||
    (profile.accountType !== 'client-secret' && profile.accountType !== 'client-certificate')
  )
    throw new AppError('invalid-request', { params: { field: 'certificateNext' } });
  return {
    ...profile,
    accountType: 'client-certificate',
    certificate: profile.certificateNext,
    secret: { ...profile.secret, hasSecret: true },
  };
}

/**
 * Runs one test, pushes each step live, and keeps the result on the profile for the list's badge.
 * `candidate` (renewal only, never from IPC directly) is tested in place of the stored credential: a
 * secret's new value, or `{ nextCertificate: true }` (the successor certificate's key from the vault).
 */
export async function runConnectionTest(
  deps: ConnectionTestDeps,
  testRequest: TestRunRequest,
  candidate?: string | { nextCertificate: true },
): Promise<TestReport> {
  const request: TestRun =
    candidate === undefined
      ? testRequest
      : typeof candidate === 'string'
        ? { ...testRequest, candidateSecret: candidate }
        : { ...testRequest, candidateCertificate: true };
  const stored = deps.repo.get(request.profileId);
  const profile = request.candidateCertificate ? withNextCertificate(stored) : stored;
  const modern = profile.accountType === 'modern-auth';
  if (profile.accountType !== 'client-secret' && request.candidateSecret !== undefined)
    throw new AppError('invalid-request', { params: { field: 'candidateSecret' } });
  const runId = randomUUID();
  const startedAt = deps.clock.now().toISOString();
  const steps = new StepRecorder(
    modern ? MODERN_AUTH_STEPS : CLIENT_SECRET_STEPS,
    (step) => deps.emit({ runId, profileId: profile.id, step }),
    deps.clock,
  );
  let token: TokenResult = { token: 'not-run', findingId: null };
  if (modern) {
    await runModernAuthTest(
      { auth: deps.delegated, network: deps.network, now: () => deps.clock.now(), transport: deps.transport },
      profile,
      request,
      steps,
    );
  } else {
    token = await runClientSecretTest(
      { tokens: deps.tokens, vault: deps.vault, network: deps.network, now: () => deps.clock.now(), transport: deps.transport },
      profile,
      request,
      steps,
    );
  }
  const all = steps.all();
  const finishedAt = deps.clock.now().toISOString();
  const outcome = outcomeOf(all);
  // A candidate's test says nothing about what tonight's batch job will use.
  let after: ProfileView | undefined;
  if (request.candidateSecret === undefined && !request.candidateCertificate) {
    const record: TestRecord = {
      profileId: profile.id,
      revision: profile.revision,
      lastTest: { at: finishedAt, outcome, failedStep: all.find((s) => s.status === 'failed')?.id ?? null },
      // What the run taught about the stored secret stays on the profile (the list's badge, the mask's hint).
      ...(token.token === 'ok'
        ? { secretIssue: null }
        : token.findingId === 'aad-secret-expired'
          ? { secretIssue: { kind: 'expired' as const, at: finishedAt } }
          : {}),
    };
    if (deps.deferRecord) {
      deps.deferRecord(record);
      after = withTestRecord(deps.repo.get(profile.id), record);
    } else deps.repo.recordTests([record]);
  }
  return {
    runId,
    profileId: profile.id,
    startedAt,
    finishedAt,
    outcome,
    steps: all,
    profile: after ?? deps.repo.get(profile.id),
  };
}
