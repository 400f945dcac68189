import { CLOUD_IDS, cloudOfInstance, type CloudId } from '../../../shared/clouds';
import type { Finding } from '../diagnostics/classify';
import { type NetworkSettings } from '../net/endpoints';
import type { HttpTransport } from '../ports';

/** Product names for the diagnosis text: the same in German and English (Microsoft's own names). */
export const CLOUD_NAMES: Readonly<Record<CloudId, string>> = {
  global: 'Global (Microsoft Entra ID)',
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
  for (const host of hosts) {
    try {
      const url = `${host}/${encodeURIComponent(profile.tenant.trim())}/v2.0/.well-known/openid-configuration`;
      const response = await deps.transport.fetch(url, {
        method: 'GET',
        headers: { Accept: 'application/json' },
        signal: AbortSignal.timeout(Math.min(deps.network.requestTimeoutMs, 10_000)),
      });
      if (response.status !== 200) continue;
      const body = JSON.parse(await response.text()) as { cloud_instance_name?: unknown };
      const cloud = typeof body.cloud_instance_name === 'string' ? cloudOfInstance(body.cloud_instance_name) : undefined;
      // GCC High and DoD share one instance: the profile's own choice of the two is not a mismatch.
      if (cloud !== undefined && cloud !== profile.cloud && !(cloud.startsWith('usgov') && profile.cloud.startsWith('usgov')))
        return cloud;
    } catch {
      // A cloud that cannot be reached tells nothing; the original diagnosis stands.
    }
  }
  return undefined;
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
