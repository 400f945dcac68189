import type { HttpTransport } from '../ports';
import type { Client } from '@microsoft/microsoft-graph-client';
import { isGuid, type ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { TestRunRequest } from '../../../shared/ipc/contract';
import { withAppCredential } from '../auth/app-credential';
import type { ClientCredentialsTokens } from '../auth/client-credentials';
import { explainCloudMismatch } from '../auth/tenant-cloud';
import { classifyError, type Finding } from '../diagnostics/classify';
import { classifyContextFor } from '../diagnostics/context';
import { graphClientFor } from '../graph/graph-client';
import { decodeClaims, stringList } from '../graph/jwt';
import { cloudEndpoints, hostOf, type NetworkSettings } from '../net/endpoints';
import { keyringAdvice } from '../vault/keyring-advice';
import type { SecretVault } from '../vault/secret-vault';
import type { StepRecorder } from './step-recorder';

export const CLIENT_SECRET_STEPS = ['login', 'token', 'claims', 'mailbox', 'send', 'probe'] as const;

// Roles sending never needs. Mail.ReadWrite is not one: drafts need it (attachments over 3 MB, `send` with an
// idempotency key, the relay's large messages), so it is judged like Mail.Send, by whether Exchange restricts it.
const BROAD_ROLES =
  /^(Mail\.Read|full_access_as_app|Directory\..+|User\.Read\.All|User\.ReadWrite\.All|Sites\.FullControl\.All)$/;
const isNetworkFinding = (f: Finding): boolean => f.id.startsWith('net-') || f.id === 'msal-endpoints-resolution';
const mailPath = (mailbox: string): string => `/users/${encodeURIComponent(mailbox)}/sendMail`;

export function testMessage(profile: ProfileView, from: string, to: string, subject: string): object {
  return {
    message: {
      subject,
      body: {
        contentType: 'Text',
        content: `Absender connection test for the sender profile "${profile.name}" (${from}). No action needed.`,
      },
      toRecipients: [{ emailAddress: { address: to } }],
    },
    saveToSentItems: false,
  };
}

/** A test request inside the core: a renewal adds the candidate value, which never comes through tests.run. */
export type TestRun = TestRunRequest & { candidateSecret?: string; candidateCertificate?: true };

export interface ClientSecretTestDeps {
  tokens: ClientCredentialsTokens;
  vault: SecretVault;
  network: NetworkSettings;
  now: () => Date;
  transport: HttpTransport;
}

/** What the profile keeps from a run: whether the stored secret got a token, and if not, why. */
export interface TokenResult {
  token: 'ok' | 'failed' | 'not-run';
  findingId: string | null;
}

/**
 * For client-secret and certificate profiles (the same steps; only the credential differs):
 * login → token → claims → mailbox → test message → restriction probe. Nothing is sent unless the
 * admin asked for it; a failed step skips the ones that depend on it and says why.
 */
export async function runClientSecretTest(
  deps: ClientSecretTestDeps,
  profile: ProfileView,
  request: TestRun,
  steps: StepRecorder,
): Promise<TokenResult> {
  const endpoints = cloudEndpoints(deps.network, profile.cloud);
  const mailbox = profile.mailboxAddress || profile.senderAddress;
  const contextFor = classifyContextFor(deps.network, profile, mailbox);

  const isCertificate = profile.accountType === 'client-certificate';
  const missing = isCertificate
    ? !profile.secret.hasSecret || profile.certificate === undefined
    : !profile.secret.hasSecret && request.candidateSecret === undefined;
  if (missing) {
    steps.finish('login', { status: 'skipped', messageKey: 'steps.skipped.noSecret' });
    steps.finish(
      'token',
      isCertificate
        ? {
            status: 'failed',
            messageKey: 'diagnostics:aad-certificate-missing.title',
            adviceKey: 'diagnostics:aad-certificate-missing.advice',
          }
        : {
            status: 'failed',
            messageKey: 'diagnostics:aad-secret-missing.title',
            adviceKey: 'diagnostics:aad-secret-missing.advice',
          },
    );
    steps.skipRest(CLIENT_SECRET_STEPS, 'steps.skipped.noToken');
    return { token: 'not-run', findingId: null };
  }

  // (1) + (2): the token request itself proves DNS, TLS and proxy: no extra round trip.
  const loginDone = steps.start('login');
  let accessToken: string;
  const tokenAcquired = (): TokenResult => ({ token: 'ok', findingId: null });
  try {
    const token = await withAppCredential(
      deps.vault,
      profile,
      async (credential, known) => {
        try {
          const { result, fromCache } = await deps.tokens.acquire(profile, endpoints, credential);
          const ms = loginDone();
          // One request answered both steps: its duration is shown once, on the token it brought.
          steps.finish('login', {
            status: 'ok',
            messageKey: fromCache ? 'steps.login.cached' : 'steps.login.ok',
            params: { host: hostOf(endpoints.authorityHost) },
          });
          steps.finish(
            'token',
            {
              status: 'ok',
              messageKey: fromCache ? 'steps.token.cached' : 'steps.token.ok',
              params: { expires: result.expiresOn?.toISOString() ?? '' },
            },
            fromCache ? null : ms,
          );
          return result.accessToken;
        } catch (error) {
          const ms = loginDone();
          const classified = classifyError(error, {
            ...contextFor('token', endpoints.authorityHost),
            secretLooksLikeGuid: credential.kind === 'secret' && isGuid(credential.secret.trim()),
            ...(credential.kind === 'certificate' ? { certificateThumbprint: credential.thumbprintSha256 } : {}),
            knownSecrets: known,
          });
          if (isNetworkFinding(classified)) {
            steps.fail('login', classified, ms);
            steps.skipRest(CLIENT_SECRET_STEPS, 'steps.skipped.loginUnreachable');
          } else {
            steps.finish('login', {
              status: 'ok',
              messageKey: 'steps.login.answered',
              params: { host: hostOf(endpoints.authorityHost) },
            });
            // Another cloud's Entra ID may know the tenant: then the diagnosis names both clouds.
            const finding = await explainCloudMismatch(deps, profile, classified);
            steps.fail('token', finding, ms);
            steps.skipRest(CLIENT_SECRET_STEPS, 'steps.skipped.noToken');
            throw new StopTest(finding.id);
          }
          throw new StopTest(null);
        }
      },
      request.candidateSecret,
      request.candidateCertificate ? 'certificateKeyNext' : 'certificateKey',
    );
    // Checked above: a profile without a stored credential never gets here.
    if (token === undefined) throw new AppError('secret-unreadable', { params: { profileId: profile.id } });
    accessToken = token;
  } catch (error) {
    if (error instanceof StopTest) return { token: error.findingId === null ? 'not-run' : 'failed', findingId: error.findingId };
    if (error instanceof AppError && error.code === 'secret-unreadable') {
      steps.finish('login', { status: 'skipped', messageKey: 'steps.skipped.noSecret' });
      steps.finish('token', { status: 'failed', ...keyringAdvice(error.params) });
      steps.skipRest(CLIENT_SECRET_STEPS, 'steps.skipped.noToken');
      return { token: 'not-run', findingId: null };
    }
    throw error;
  }
  const graph: Client = graphClientFor(deps.network, endpoints.graphRoot, accessToken, deps.transport);

  // (3) What Entra granted, read from the token. Later steps may correct it (see correctClaims).
  const claims = decodeClaims(accessToken);
  const roles = stringList(claims['roles']);
  const broad = roles.filter((r) => BROAD_ROLES.test(r));
  const tid = typeof claims['tid'] === 'string' ? claims['tid'] : '';
  const appid = typeof claims['appid'] === 'string' ? claims['appid'] : typeof claims['azp'] === 'string' ? claims['azp'] : '';
  const tenantWide = roles.includes('Mail.Send') || roles.includes('Mail.ReadWrite');
  const drafts = roles.includes('Mail.ReadWrite');
  let claimsVerdict: 'wrong' | 'broad' | 'tenantWide' | 'noRoles';
  if (isGuid(profile.tenant) && tid.toLowerCase() !== profile.tenant.toLowerCase()) {
    claimsVerdict = 'wrong';
    steps.finish('claims', { status: 'failed', messageKey: 'steps.claims.wrongTenant', params: { tid, tenant: profile.tenant } });
  } else if (appid.toLowerCase() !== profile.clientId.toLowerCase()) {
    claimsVerdict = 'wrong';
    steps.finish('claims', {
      status: 'failed',
      messageKey: 'steps.claims.wrongApp',
      params: { appid, clientId: profile.clientId },
    });
  } else if (broad.length > 0) {
    claimsVerdict = 'broad';
    steps.finish('claims', { status: 'warning', messageKey: 'steps.claims.broadRoles', params: { roles: broad.join(', ') } });
  } else if (tenantWide) {
    claimsVerdict = 'tenantWide';
    steps.finish('claims', {
      status: 'warning',
      messageKey: drafts ? 'steps.claims.tenantWideDrafts' : 'steps.claims.tenantWide',
      params: { roles: roles.join(', ') },
    });
  } else {
    claimsVerdict = 'noRoles';
    steps.finish('claims', {
      status: 'ok',
      messageKey: 'steps.claims.noRolesInToken',
      params: { roles: roles.join(', ') || '—' },
    });
  }
  const rolesParam = { roles: roles.join(', ') || '—' };
  /** A later finding about Exchange replaces what the token alone suggested: one report, not two stories. */
  const correctClaims = (exchange: 'restricted' | 'sends'): void => {
    if (exchange === 'restricted' && claimsVerdict === 'tenantWide') {
      steps.finish('claims', {
        status: 'ok',
        messageKey: drafts ? 'steps.claims.tenantWideDraftsButRestricted' : 'steps.claims.tenantWideButRestricted',
        params: rolesParam,
      });
    } else if (exchange === 'sends' && claimsVerdict === 'noRoles') {
      // The `roles` claim never shows an RBAC for Applications grant: sending that works proves it.
      steps.finish('claims', { status: 'ok', messageKey: 'steps.claims.grantedByExchange', params: rolesParam });
    }
  };

  // (4) Reading the mailbox needs more than Mail.Send; a refusal here is "not checked", not a failure.
  const mailboxDone = steps.start('mailbox');
  let mailboxMissing = false;
  let mailboxUnread = false;
  try {
    await graph
      .api(`/users/${encodeURIComponent(mailbox)}`)
      .select('id,mail,userPrincipalName')
      .get();
    steps.finish('mailbox', { status: 'ok', messageKey: 'steps.mailbox.ok', params: { mailbox } }, mailboxDone());
  } catch (error) {
    const finding = classifyError(error, contextFor('readMailbox', endpoints.graphRoot));
    mailboxUnread = finding.id === 'graph-mailbox-read-not-checked';
    mailboxMissing = ['graph-invalid-user', 'graph-resource-not-found', 'graph-mailbox-not-enabled'].includes(finding.id);
    // Not a finding but a limit of Mail.Send: no raw code, and the send step below settles it.
    if (mailboxUnread)
      steps.finish('mailbox', { status: 'skipped', messageKey: 'steps.mailbox.notReadable', params: { mailbox } });
    else steps.fail('mailbox', finding, mailboxDone());
  }

  // (5) Only when the admin asked for a test message.
  if (request.testMessageTo === undefined) {
    steps.finish('send', { status: 'skipped', messageKey: 'steps.send.notRequested' });
  } else if (mailboxMissing) {
    steps.finish('send', { status: 'skipped', messageKey: 'steps.skipped.mailboxMissing' });
  } else {
    const sendDone = steps.start('send');
    const subject = `[Absender] ${profile.name} – ${deps.now().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    try {
      // 202 has no body; no exception means Exchange accepted the message.
      await graph.api(mailPath(mailbox)).post(testMessage(profile, mailbox, request.testMessageTo, subject));
      steps.finish(
        'send',
        { status: 'ok', messageKey: 'steps.send.accepted', params: { to: request.testMessageTo, subject } },
        sendDone(),
      );
      if (mailboxUnread) steps.finish('mailbox', { status: 'ok', messageKey: 'steps.mailbox.provenBySend', params: { mailbox } });
      correctClaims('sends');
    } catch (error) {
      const finding = classifyError(error, contextFor('sendMail', endpoints.graphRoot));
      steps.fail('send', finding, sendDone());
      if (mailboxUnread)
        steps.finish('mailbox', { status: 'skipped', messageKey: 'steps.mailbox.notReadableSeeSend', params: { mailbox } });
      if (finding.id === 'graph-mailbox-not-allowed') correctClaims('restricted');
    }
  }

  // (6) The app must be refused on a mailbox it should not reach.
  const probe = request.restrictionProbeMailbox;
  if (probe === undefined) {
    steps.finish('probe', { status: 'skipped', messageKey: 'steps.probe.notRequested' });
    return tokenAcquired();
  }
  const probeDone = steps.start('probe');
  try {
    await graph.api(mailPath(probe)).post(testMessage(profile, probe, mailbox, `[Absender] Restriction probe – ${profile.name}`));
    steps.finish(
      'probe',
      {
        status: 'warning',
        messageKey: 'diagnostics:probe-not-restricted.title',
        adviceKey: 'diagnostics:probe-not-restricted.advice',
        params: { mailbox: probe },
      },
      probeDone(),
    );
  } catch (error) {
    const finding = classifyError(error, { ...contextFor('probe', endpoints.graphRoot), mailbox: probe });
    const restricted = finding.id === 'probe-restricted';
    steps.fail('probe', finding, probeDone(), restricted ? 'ok' : 'failed');
    if (restricted) correctClaims('restricted');
  }
  return tokenAcquired();
}

/** Ends the run after the token step; carries the token's finding (null: the login service was not reached). */
class StopTest extends Error {
  constructor(readonly findingId: string | null) {
    super('stop');
  }
}
