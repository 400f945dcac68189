import { randomUUID } from 'node:crypto';
import type { ApiEvents, TestReport, TestRunRequest } from '../../../shared/ipc/contract';
import { AppError } from '../../../shared/errors';
import type { ClientCredentialsTokens } from '../auth/client-credentials';
import type { SignInService } from '../auth/sign-in-service';
import type { NetworkSettings } from '../net/endpoints';
import type { Clock, HttpTransport } from '../ports';
import type { ProfileRepository } from '../profiles/profile-repository';
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
}

/**
 * Runs one test, pushes each step live, and keeps the result on the profile for the list's badge.
 * `candidateSecret` (renewal only, never from IPC directly) is tested in place of the stored secret.
 */
export async function runConnectionTest(
  deps: ConnectionTestDeps,
  testRequest: TestRunRequest,
  candidateSecret?: string,
): Promise<TestReport> {
  const request: TestRun = candidateSecret === undefined ? testRequest : { ...testRequest, candidateSecret };
  const profile = deps.repo.get(request.profileId);
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
  // A candidate secret's test says nothing about what tonight's batch job will use.
  if (request.candidateSecret === undefined) {
    deps.repo.recordTest(profile.id, {
      at: finishedAt,
      outcome,
      failedStep: all.find((s) => s.status === 'failed')?.id ?? null,
    });
    // What the run taught about the stored secret stays on the profile (the list's badge, the mask's hint).
    if (token.token === 'ok') deps.repo.recordSecretIssue(profile.id, null);
    else if (token.findingId === 'aad-secret-expired')
      deps.repo.recordSecretIssue(profile.id, { kind: 'expired', at: finishedAt });
  }
  const stored = deps.repo.get(profile.id);
  return { runId, profileId: profile.id, startedAt, finishedAt, outcome, steps: all, profile: stored };
}
