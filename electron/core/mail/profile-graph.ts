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
  /** When the client's token expires (ms since the epoch), as MSAL said; absent when it did not say. */
  expiresAt?: number;
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
  let expiresOn: Date | null = null;
  let delegatedScopes: string[] | undefined;
  if (isAppOnlyType(profile.accountType)) {
    const token = await withAppCredential(deps.vault, profile, async (credential, known) => {
      try {
        const { result } = await deps.tokens.acquire(profile, endpoints, credential);
        expiresOn = result.expiresOn;
        return result.accessToken;
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
      const result = await deps.delegated.acquireSilent(profile);
      accessToken = result.accessToken;
      expiresOn = result.expiresOn;
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
    ...(expiresOn !== null ? { expiresAt: expiresOn.getTime() } : {}),
  };
}

/** How long a relay reuses one profile's client: MSAL is asked again at least this often. */
export const GRAPH_REUSE_MS = 60_000;
/** A client is never reused this close to its token's expiry (a send must not start with a token about to lapse). */
export const GRAPH_REUSE_EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * One ProfileGraph per profile for a stream of sends (the relay): building one per message (vault read and decrypt,
 * a ConfidentialClientApplication, MSAL's cache lookup, a new Graph client) was ~0.5-1 ms of the accepting thread's
 * CPU per delivered message. A client is reused for at most GRAPH_REUSE_MS and never near its token's expiry, so MSAL
 * stays the token cache of record (asked again every minute); the client secret or key is never held, only the
 * access token MSAL already keeps in memory. A changed profile (edited, secret replaced, signed in again) or a client
 * the caller reports as refused (401) is built anew; a failure is never kept.
 */
export class ProfileGraphReuse {
  private readonly held = new Map<string, { identity: string; until: number; graph: Promise<ProfileGraph> }>();

  constructor(
    private readonly build: (profile: ProfileView) => Promise<ProfileGraph>,
    private readonly now: () => number,
    private readonly reuseMs = GRAPH_REUSE_MS,
  ) {}

  graphFor(profile: ProfileView): Promise<ProfileGraph> {
    const identity = JSON.stringify(profile);
    const now = this.now();
    const entry = this.held.get(profile.id);
    if (entry !== undefined && entry.identity === identity && entry.until > now) return entry.graph;
    const graph = this.build(profile);
    const fresh = { identity, until: now + this.reuseMs, graph };
    this.held.set(profile.id, fresh);
    graph.then(
      (built) => {
        if (built.expiresAt !== undefined) fresh.until = Math.min(fresh.until, built.expiresAt - GRAPH_REUSE_EXPIRY_MARGIN_MS);
        if (fresh.until <= this.now()) this.drop(profile.id, fresh);
      },
      () => this.drop(profile.id, fresh),
    );
    return graph;
  }

  /** The profile's client was refused (401) or must not be used again: the next send builds a new one. */
  forget(profileId: string): void {
    this.held.delete(profileId);
  }

  private drop(profileId: string, entry: { graph: Promise<ProfileGraph> }): void {
    if (this.held.get(profileId) === entry) this.held.delete(profileId);
  }
}
