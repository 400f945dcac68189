import type { Client } from '@microsoft/microsoft-graph-client';
import { isAppOnlyType, isGuid, type ProfileView } from '../../../shared/domain';
import { withAppCredential } from '../auth/app-credential';
import type { ClientCredentialsTokens } from '../auth/client-credentials';
import type { SignInService } from '../auth/sign-in-service';
import { explainCloudMismatch } from '../auth/tenant-cloud';
import { classifyError, type ClassifyContext, type Finding } from '../diagnostics/classify';
import { classifyContextFor } from '../diagnostics/context';
import { graphClientFor } from '../graph/graph-client';
import { decodeClaims, stringList } from '../graph/jwt';
import { cloudEndpoints, type NetworkSettings } from '../net/endpoints';
import type { HttpTransport } from '../ports';
import type { SecretVault } from '../vault/secret-vault';

/** A failure already diagnosed (the token request's, with the secret known to the redaction). */
export class DiagnosedError extends Error {
  constructor(readonly finding: Finding) {
    super(finding.code);
    this.name = 'DiagnosedError';
  }
}

const NO_SECRET: Finding = {
  id: 'aad-secret-missing',
  code: 'no-secret',
  httpStatus: null,
  correlationId: null,
  requestId: null,
  timestamp: null,
  params: {},
  detail: '',
};
const NO_CERTIFICATE: Finding = { ...NO_SECRET, id: 'aad-certificate-missing', code: 'no-certificate' };

export interface ProfileGraphDeps {
  tokens: ClientCredentialsTokens;
  delegated: Pick<SignInService, 'acquireSilent'>;
  vault: SecretVault;
  network: NetworkSettings;
  transport: HttpTransport;
}

export interface ProfileGraph {
  client: Client;
  /** The mailbox the profile sends from (mailboxAddress, else the sender address). */
  mailbox: string;
  /** Diagnosis context for this profile's Graph calls. */
  context: (operation: ClassifyContext['operation'] & string, url: string) => ClassifyContext;
  graphRoot: string;
  /** For the pre-authenticated attachment upload URL, which takes no bearer token. */
  transport: HttpTransport;
  network: Pick<NetworkSettings, 'requestTimeoutMs' | 'maxRetryDelaySeconds'>;
  /** A Modern Authentication token's `scp` (what Entra granted the sign-in); absent for app-only tokens. */
  delegatedScopes?: readonly string[];
}

/**
 * A Graph client with one token for a profile, for the batch commands: app-only from the vault's
 * client secret or certificate key, or the Modern Authentication sign-in's silent token (never an interactive one).
 * Token failures are diagnosed here, where the secret is known for redaction.
 */
export async function profileGraph(deps: ProfileGraphDeps, profile: ProfileView): Promise<ProfileGraph> {
  const endpoints = cloudEndpoints(deps.network, profile.cloud);
  const mailbox = profile.mailboxAddress || profile.senderAddress;
  const context = classifyContextFor(deps.network, profile, mailbox);
  let accessToken: string;
  let delegatedScopes: string[] | undefined;
  if (isAppOnlyType(profile.accountType)) {
    const token = await withAppCredential(deps.vault, profile, async (credential, known) => {
      try {
        return (await deps.tokens.acquire(profile, endpoints, credential)).result.accessToken;
      } catch (error) {
        const finding = classifyError(error, {
          ...context('token', endpoints.authorityHost),
          secretLooksLikeGuid: credential.kind === 'secret' && isGuid(credential.secret.trim()),
          ...(credential.kind === 'certificate' ? { certificateThumbprint: credential.thumbprintSha256 } : {}),
          knownSecrets: known,
        });
        throw new DiagnosedError(await explainCloudMismatch(deps, profile, finding));
      }
    });
    if (token === undefined) throw new DiagnosedError(profile.accountType === 'client-certificate' ? NO_CERTIFICATE : NO_SECRET);
    accessToken = token;
  } else {
    try {
      accessToken = (await deps.delegated.acquireSilent(profile)).accessToken;
    } catch (error) {
      throw new DiagnosedError(classifyError(error, context('token', endpoints.authorityHost)));
    }
    delegatedScopes = stringList(decodeClaims(accessToken)['scp']);
  }
  return {
    client: graphClientFor(deps.network, endpoints.graphRoot, accessToken, deps.transport),
    mailbox,
    context,
    graphRoot: endpoints.graphRoot,
    transport: deps.transport,
    network: deps.network,
    ...(delegatedScopes !== undefined ? { delegatedScopes } : {}),
  };
}
