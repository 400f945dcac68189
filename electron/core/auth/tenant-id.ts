import { isGuid } from '../../../shared/domain';
import type { HttpTransport } from '../ports';

/** The tenant GUID in an Entra issuer: https://{host}/{tid}/v2.0 (v2) or https://sts.windows.net/{tid}/ (v1). */
export function tenantOfIssuer(issuer: unknown): string | null {
  if (typeof issuer !== 'string') return null;
  let path: string[];
  try {
    path = new URL(issuer).pathname.split('/').filter((p) => p !== '');
  } catch {
    return null;
  }
  const tid = path[0];
  return tid !== undefined && isGuid(tid) ? tid.toLowerCase() : null;
}

/**
 * The tenant GUID a profile's tenant stands for (OA-3 compares it with the token's `tid`): a GUID is
 * itself; a verified domain is what Entra's discovery document for it names as issuer. Asked once per
 * authority and domain through the core's transport (proxy and certificates as every other call).
 */
export class TenantIds {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly transport: HttpTransport,
    private readonly timeoutMs: number,
  ) {}

  async resolve(authorityHost: string, tenant: string): Promise<string> {
    if (isGuid(tenant)) return tenant.toLowerCase();
    const key = `${authorityHost}\n${tenant.toLowerCase()}`;
    const cached = this.known.get(key);
    if (cached !== undefined) return cached;
    const url = `${authorityHost}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
    const response = await this.transport.fetch(url, {
      method: 'GET',
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    let issuer: unknown;
    try {
      issuer = (JSON.parse(text) as { issuer?: unknown }).issuer;
    } catch {
      issuer = undefined;
    }
    const tid = response.status === 200 ? tenantOfIssuer(issuer) : null;
    if (tid === null) throw new Error(`no tenant id for ${tenant} (discovery answered HTTP ${response.status})`);
    this.known.set(key, tid);
    return tid;
  }
}
