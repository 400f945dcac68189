import {
  ConfidentialClientApplication,
  type AuthenticationResult,
  type ICachePlugin,
  type TokenCacheContext,
} from '@azure/msal-node';
import { createHmac, randomBytes } from 'node:crypto';
import type { HttpTransport, Logger } from '../ports';
import type { CloudEndpoints } from '../net/endpoints';
import { authorityOptions, graphScope, systemOptions } from './msal-options';

/**
 * The app's own credential: a secret, or a certificate (SHA-256 thumbprint + PKCS#8 key PEM, which
 * msal-node turns into a PS256 assertion with x5t#S256). Both exist only inside the vault's withSecret().
 */
export type AppCredential =
  { kind: 'secret'; secret: string } | { kind: 'certificate'; thumbprintSha256: string; privateKey: string };

const credentialOf = (c: string | AppCredential): AppCredential => (typeof c === 'string' ? { kind: 'secret', secret: c } : c);

/** One profile's app-only tokens as MSAL serializes them: access tokens and metadata, never the secret. */
interface CacheEntry {
  /** Keyed HMAC of authority, tenant, client ID and secret: a changed value never reuses the old token. */
  key: string;
  serialized: string;
}

/**
 * App-only tokens for client-secret and certificate profiles. A ConfidentialClientApplication (whose config holds the
 * secret or key) is built for each call inside the caller's vault.withSecret() and dropped with it; what
 * outlives the call is only MSAL's serialized token cache per profile, so a warm test is served
 * from memory (one Graph round trip, no token request) while no secret stays reachable.
 */
export class ClientCredentialsTokens {
  private readonly caches = new Map<string, CacheEntry>();
  /** Token requests under way, by credential fingerprint: profiles of one app and secret (test all) ask Entra once. */
  private readonly inFlight = new Map<string, Promise<{ result: AuthenticationResult; fromCache: boolean }>>();
  /** Per process: the fingerprint cannot be checked against a guessed secret outside this process. */
  private readonly fingerprintKey = randomBytes(32);

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    private readonly transport: HttpTransport,
  ) {}

  async acquire(
    profile: { id: string; tenant: string; clientId: string },
    endpoints: CloudEndpoints,
    credential: string | AppCredential,
  ): Promise<{ result: AuthenticationResult; fromCache: boolean }> {
    const c = credentialOf(credential);
    const material = c.kind === 'secret' ? c.secret : `${c.thumbprintSha256}\n${c.privateKey}`;
    const key = createHmac('sha256', this.fingerprintKey)
      // The Graph resource too: GCC High and DoD share login.microsoftonline.us but not their Graph (token audience).
      .update(
        `${endpoints.authorityHost}\n${graphScope(endpoints)}\n${profile.tenant}\n${profile.clientId}\n${c.kind}\n${material}`,
      )
      .digest('hex');
    // Another profile with the same app, tenant and credential is fetching a token: its answer is this one's too
    // (the same token MSAL's cache would hand out), without a client of its own. After a failure each asks itself.
    const pending = this.inFlight.get(key);
    if (pending) {
      const shared = await pending.catch(() => undefined);
      if (shared) return { result: shared.result, fromCache: true };
    }
    const run = this.request(profile, endpoints, c, key);
    if (!pending && !this.inFlight.has(key)) {
      this.inFlight.set(key, run);
      void run.catch(() => undefined).finally(() => this.inFlight.delete(key));
    }
    return run;
  }

  private async request(
    profile: { id: string; tenant: string; clientId: string },
    endpoints: CloudEndpoints,
    c: AppCredential,
    key: string,
  ): Promise<{ result: AuthenticationResult; fromCache: boolean }> {
    const auth =
      c.kind === 'secret'
        ? { clientSecret: c.secret }
        : { clientCertificate: { thumbprintSha256: c.thumbprintSha256, privateKey: c.privateKey } };
    const app = new ConfidentialClientApplication({
      auth: { clientId: profile.clientId, ...auth, ...authorityOptions(endpoints, profile.tenant) },
      system: systemOptions(this.logger, this.timeoutMs, this.transport),
      cache: { cachePlugin: this.pluginFor(profile.id, key) },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: [graphScope(endpoints)] });
    if (!result) throw new Error('MSAL returned no token');
    return { result, fromCache: result.fromCache };
  }

  forget(profileId: string): void {
    this.caches.delete(profileId);
  }

  /** What this class keeps between calls, serialized (for the test that no secret is among it). */
  heldState(): string {
    return JSON.stringify([...this.caches.entries()]);
  }

  /** Hands the profile's cache to the new client and takes back what MSAL changed (a fresh token). */
  private pluginFor(profileId: string, key: string): ICachePlugin {
    let fromSibling = false;
    return {
      beforeCacheAccess: (context: TokenCacheContext) => {
        // The profile's own tokens, else those of a profile with the identical credential (same fingerprint).
        const own = this.caches.get(profileId);
        const entry = own?.key === key ? own : [...this.caches.values()].find((e) => e.key === key);
        if (entry) context.tokenCache.deserialize(entry.serialized);
        fromSibling = entry !== undefined && entry !== own;
        return Promise.resolve();
      },
      afterCacheAccess: (context: TokenCacheContext) => {
        if (context.cacheHasChanged || fromSibling)
          this.caches.set(profileId, { key, serialized: context.tokenCache.serialize() });
        return Promise.resolve();
      },
    };
  }
}
