import type { HttpTransport } from '../ports';
import type { AuthenticationResult } from '@azure/msal-node';
import type { ProfileView } from '../../../shared/domain';
import { signInAge } from '../../../shared/profile-health';
import type { TestRunRequest } from '../../../shared/ipc/contract';
import type { SignInService } from '../auth/sign-in-service';
import { sameAccount } from '../auth/redirect-guard';
import { callerFinding } from '../auth/sign-in-attempt';
import { classifyError } from '../diagnostics/classify';
import { classifyContextFor } from '../diagnostics/context';
import { graphClientFor } from '../graph/graph-client';
import { decodeClaims, stringList } from '../graph/jwt';
import { cloudEndpoints, type NetworkSettings } from '../net/endpoints';
import { testMessage } from './client-secret-test';
import type { StepRecorder } from './step-recorder';

export const MODERN_AUTH_STEPS = ['signedIn', 'token', 'account', 'scopes', 'send', 'signInAge'] as const;

export interface ModernAuthTestDeps {
  auth: SignInService;
  network: NetworkSettings;
  now: () => Date;
  transport: HttpTransport;
}

/**
 * signed in? → token by refresh → account = sender → Mail.Send in `scp` → test message → age of
 * the interactive sign-in. The token step always redeems the refresh token: a cached access token
 * would prove nothing about tonight's batch job, and each redemption restarts the 90-day
 * inactivity window (the rotated refresh token is stored by the cache plugin).
 */
export async function runModernAuthTest(
  deps: ModernAuthTestDeps,
  profile: ProfileView,
  request: TestRunRequest,
  steps: StepRecorder,
): Promise<void> {
  const endpoints = cloudEndpoints(deps.network, profile.cloud);
  const sender = profile.senderAddress;
  const delegated = profile.delegated;
  const contextFor = classifyContextFor(deps.network, profile, sender);

  // (1) Is anyone signed in for this profile?
  if (delegated === null) {
    steps.finish('signedIn', {
      status: 'failed',
      messageKey: 'diagnostics:msal-no-account.title',
      adviceKey: 'diagnostics:msal-no-account.advice',
    });
    steps.skipRest(MODERN_AUTH_STEPS, 'steps.skipped.notSignedIn');
    return;
  }
  steps.finish('signedIn', {
    status: 'ok',
    messageKey: 'steps.signedIn.ok',
    params: { account: delegated.username, since: delegated.lastInteractiveSignIn },
  });

  // (6) is known without any request; reported last, in its place, but decided here.
  const age = signInAge(delegated.lastInteractiveSignIn, deps.now());
  // Whole day counts: the renderer says them in words ("heute", "vor 3 Tagen", "in 14 Tagen").
  const daysAgo = String(age.days);
  const finishAge = () =>
    steps.finish(
      'signInAge',
      age.state === 'due'
        ? { status: 'warning', messageKey: 'steps.signInAge.due', params: { daysAgo } }
        : age.state === 'soon'
          ? { status: 'warning', messageKey: 'steps.signInAge.renewSoon', params: { daysAgo, inDays: String(age.daysLeft) } }
          : { status: 'ok', messageKey: 'steps.signInAge.ok', params: { daysAgo } },
    );

  // (2) A token by refresh token, as the batch job will get it.
  const tokenDone = steps.start('token');
  let result: AuthenticationResult;
  try {
    result = await deps.auth.acquireSilent(profile, { forceRefresh: true });
    steps.finish(
      'token',
      { status: 'ok', messageKey: 'steps.token.refreshed', params: { expires: result.expiresOn?.toISOString() ?? '' } },
      tokenDone(),
    );
  } catch (error) {
    const finding = classifyError(error, contextFor('token', endpoints.authorityHost));
    steps.fail('token', finding, tokenDone());
    // The batch job would fail the same way tonight: the list shows it too.
    if (!finding.id.startsWith('net-')) deps.auth.recordRefreshFailure(profile.id, finding);
    steps.skipRest(MODERN_AUTH_STEPS.slice(0, -1), 'steps.skipped.noToken');
    finishAge();
    return;
  }

  // (3) The token must come from the profile's tenant, compared as the sign-in compares it (OA-3: a
  // verified domain as the GUID Entra's discovery names for it), and its account should be the sender
  // (the sign-in refused others; the sender address may have been edited since).
  const account = result.account?.username ?? delegated.username;
  const accountDone = steps.start('account');
  let expectedTenant: string;
  try {
    expectedTenant = await deps.auth.tenantIdOf(profile);
  } catch (error) {
    steps.fail('account', classifyError(error, contextFor('token', endpoints.authorityHost)), accountDone());
    steps.skipRest(MODERN_AUTH_STEPS.slice(0, -1), 'steps.skipped.tenantUnknown');
    finishAge();
    return;
  }
  const claims = decodeClaims(result.accessToken);
  const tid = typeof claims['tid'] === 'string' ? claims['tid'] : (result.account?.tenantId ?? '');
  if (tid.toLowerCase() !== expectedTenant) {
    const finding = callerFinding(
      'auth-wrong-account',
      { account, mailbox: sender },
      `The token of ${account} is of tenant ${tid}; the profile's tenant ${profile.tenant} is ${expectedTenant}.`,
      { correlationId: result.correlationId, requestId: result.requestId ?? null },
    );
    steps.fail('account', finding, accountDone());
    // Nothing is sent with another organisation's token.
    steps.skipRest(MODERN_AUTH_STEPS.slice(0, -1), 'steps.skipped.wrongTenant');
    finishAge();
    return;
  }
  const sendsAsSelf = sameAccount(account, sender);
  steps.finish(
    'account',
    sendsAsSelf
      ? { status: 'ok', messageKey: 'steps.account.ok', params: { account } }
      : { status: 'warning', messageKey: 'steps.account.differs', params: { account, sender } },
    accountDone(),
  );

  // (4) What Entra granted, read from the token's `scp`.
  const scopes = stringList(claims['scp']);
  const canSend = scopes.includes('Mail.Send');
  steps.finish(
    'scopes',
    canSend
      ? { status: 'ok', messageKey: 'steps.scopes.ok', params: { scopes: scopes.join(', ') } }
      : { status: 'failed', messageKey: 'steps.scopes.missingMailSend', params: { scopes: scopes.join(', ') || '—' } },
  );

  // (5) Only when the admin asked for a test message.
  if (request.testMessageTo === undefined) {
    steps.finish('send', { status: 'skipped', messageKey: 'steps.send.notRequested' });
  } else if (!canSend) {
    steps.finish('send', { status: 'skipped', messageKey: 'steps.skipped.noMailSend' });
  } else {
    const accessToken = result.accessToken;
    const graph = graphClientFor(deps.network, endpoints.graphRoot, accessToken, deps.transport);
    // Another sender than the signed-in account needs "Send As" on that mailbox (ErrorSendAsDenied).
    const path = sendsAsSelf ? '/me/sendMail' : `/users/${encodeURIComponent(sender)}/sendMail`;
    const subject = `[Absender] ${profile.name} – ${deps.now().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const sendDone = steps.start('send');
    try {
      await graph.api(path).post(testMessage(profile, sender, request.testMessageTo, subject));
      steps.finish(
        'send',
        { status: 'ok', messageKey: 'steps.send.accepted', params: { to: request.testMessageTo, subject } },
        sendDone(),
      );
    } catch (error) {
      const finding = classifyError(error, contextFor('sendMail', endpoints.graphRoot));
      steps.fail('send', finding, sendDone());
    }
  }

  // (6)
  finishAge();
}
