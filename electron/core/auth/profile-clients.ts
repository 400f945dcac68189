import { PublicClientApplication } from '@azure/msal-node';
import type { ProfileView } from '../../../shared/domain';
import { cloudEndpoints, type CloudEndpoints, type NetworkSettings } from '../net/endpoints';
import type { HttpTransport, Logger } from '../ports';
import type { SecretVault } from '../vault/secret-vault';
import { authorityOptions, systemOptions } from './msal-options';
import { VaultCachePlugin } from './token-cache-plugin';

/** Delegated Graph scopes under the cloud's resource; offline_access brings the refresh token. */
export const delegatedScopes = (endpoints: CloudEndpoints): string[] => [
  `${endpoints.graphResource}/Mail.Send`,
  `${endpoints.graphResource}/User.Read`,
  'offline_access',
];

export interface ProfileClient {
  key: string;
  app: PublicClientApplication;
  cache: VaultCachePlugin;
}

/**
 * One PublicClientApplication per profile, each with its own cache plugin, so profiles never share
 * tokens; rebuilt when the profile's cloud, tenant or app changes.
 */
export class ProfileClients {
  private readonly clients = new Map<string, ProfileClient>();

  constructor(
    private readonly deps: { vault: SecretVault; network: NetworkSettings; transport: HttpTransport; logger: Logger },
  ) {}

  for(profile: ProfileView): ProfileClient {
    const endpoints = cloudEndpoints(this.deps.network, profile.cloud);
    const key = `${endpoints.authorityHost}\n${profile.tenant}\n${profile.clientId}`;
    const existing = this.clients.get(profile.id);
    if (existing?.key === key) return existing;
    const cache = new VaultCachePlugin(this.deps.vault, profile.id, this.deps.logger);
    const app = new PublicClientApplication({
      auth: { clientId: profile.clientId, ...authorityOptions(endpoints, profile.tenant) },
      system: systemOptions(this.deps.logger, this.deps.network.requestTimeoutMs, this.deps.transport),
      cache: { cachePlugin: cache },
    });
    const client = { key, app, cache };
    this.clients.set(profile.id, client);
    return client;
  }

  /** Drops the in-memory client (profile deleted or edited); the stored cache is the vault's business. */
  forget(profileId: string): void {
    this.clients.delete(profileId);
  }
}
