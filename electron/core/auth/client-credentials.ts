import { ConfidentialClientApplication, type AuthenticationResult } from '@azure/msal-node';
import { createHash } from 'node:crypto';
import type { HttpTransport, Logger } from '../ports';
import type { CloudEndpoints } from '../net/endpoints';
import { authorityOptions, graphScope, systemOptions } from './msal-options';

interface CachedApp {
  key: string;
  app: ConfidentialClientApplication;
}

/**
 * One ConfidentialClientApplication per profile, kept while tenant, client ID and secret are the
 * same, so MSAL's in-memory cache serves a still-valid token without a round trip.
 */
export class ClientCredentialsTokens {
  private readonly apps = new Map<string, CachedApp>();

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    private readonly transport: HttpTransport,
  ) {}

  async acquire(
    profile: { id: string; tenant: string; clientId: string },
    endpoints: CloudEndpoints,
    secret: string,
  ): Promise<{ result: AuthenticationResult; fromCache: boolean }> {
    const key = createHash('sha256')
      .update(`${endpoints.authorityHost}\n${profile.tenant}\n${profile.clientId}\n${secret}`)
      .digest('hex');
    let cached = this.apps.get(profile.id);
    if (cached?.key !== key) {
      cached = {
        key,
        app: new ConfidentialClientApplication({
          auth: { clientId: profile.clientId, clientSecret: secret, ...authorityOptions(endpoints, profile.tenant) },
          system: systemOptions(this.logger, this.timeoutMs, this.transport),
        }),
      };
      this.apps.set(profile.id, cached);
    }
    const result = await cached.app.acquireTokenByClientCredential({ scopes: [graphScope(endpoints)] });
    if (!result) throw new Error('MSAL returned no token');
    return { result, fromCache: result.fromCache };
  }

  forget(profileId: string): void {
    this.apps.delete(profileId);
  }
}
