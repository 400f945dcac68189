import { CLOUD_IDS, cloudOfInstance, type CloudId } from '../../../shared/clouds';
import type { Finding } from '../diagnostics/classify';
import type { NetworkSettings } from '../net/endpoints';
import type { HttpTransport } from '../ports';

/** Product names for the diagnosis text, as the mask's cloud list shows them (the same in German and English). */
export const CLOUD_NAMES: Readonly<Record<CloudId, string>> = {
  global: 'Global',
  usgov: 'US Government (GCC High)',
  'usgov-dod': 'US Government (DoD)',
  china: 'China (21Vianet)',
};

/** What the login service says when the tenant may live in another cloud instance. */
const MISMATCH_SUSPECTS = new Set(['aad-cross-cloud', 'aad-tenant-not-found']);

/**
 * Asks the other clouds' Entra ID (OpenID discovery, no credentials) where the tenant lives: the first
 * that knows it names its cloud in `cloud_instance_name`. undefined when none answers with another cloud.
 */
export async function findTenantCloud(
  deps: { network: NetworkSettings; transport: HttpTransport },
  profile: { cloud: CloudId; tenant: string },
): Promise<CloudId | undefined> {
  const own = deps.network.endpoints[profile.cloud]?.authorityHost;
  const hosts = [...new Set(CLOUD_IDS.map((id) => deps.network.endpoints[id]?.authorityHost))].filter(
    (h): h is string => h !== undefined && h !== own,
  );
  // Asked in parallel, so an unreachable cloud delays the diagnosis by one timeout at most.
  const answers = await Promise.all(
    hosts.map(async (host): Promise<CloudId | undefined> => {
      try {
        const url = `${host}/${encodeURIComponent(profile.tenant.trim())}/v2.0/.well-known/openid-configuration`;
        const response = await deps.transport.fetch(url, {
          method: 'GET',
          headers: { Accept: 'application/json' },
          signal: AbortSignal.timeout(Math.min(deps.network.requestTimeoutMs, 10_000)),
        });
        if (response.status !== 200) return undefined;
        const body = JSON.parse(await response.text()) as { cloud_instance_name?: unknown };
        return typeof body.cloud_instance_name === 'string' ? cloudOfInstance(body.cloud_instance_name) : undefined;
      } catch {
        return undefined; // a cloud that cannot be reached tells nothing; the original diagnosis stands
      }
    }),
  );
  // GCC High and DoD share one instance: the profile's own choice of the two is not a mismatch.
  const sameInstance = (cloud: CloudId): boolean => cloud.startsWith('usgov') && profile.cloud.startsWith('usgov');
  return answers.find((cloud): cloud is CloudId => cloud !== undefined && cloud !== profile.cloud && !sameInstance(cloud));
}

/**
 * A token failure that may be a cloud mismatch (AADSTS900382, AADSTS90002) becomes "the tenant is in
 * cloud X, the profile in cloud Y" when another cloud's Entra ID knows the tenant; otherwise unchanged.
 */
export async function explainCloudMismatch(
  deps: { network: NetworkSettings; transport: HttpTransport },
  profile: { cloud: CloudId; tenant: string },
  finding: Finding,
): Promise<Finding> {
  if (!MISMATCH_SUSPECTS.has(finding.id) || profile.tenant.trim() === '') return finding;
  const tenantCloud = await findTenantCloud(deps, profile);
  if (tenantCloud === undefined) return finding;
  return {
    ...finding,
    id: 'aad-cloud-mismatch',
    params: {
      ...finding.params,
      tenant: profile.tenant.trim(),
      tenantCloud: CLOUD_NAMES[tenantCloud],
      profileCloud: CLOUD_NAMES[profile.cloud],
    },
  };
}
