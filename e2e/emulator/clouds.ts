// The clouds the emulator serves: the global cloud and one national cloud on hosts of their own, each
// knowing only its own tenants, as Entra's cloud instances do.

import { CLOUDS, type CloudId } from '../../shared/clouds';

/** The national cloud the emulator serves besides the global one (GCC High: login.microsoftonline.us). */
export const SECOND_CLOUD = 'usgov' satisfies CloudId;

export interface EmulatedCloud {
  id: CloudId;
  /** aud of the access tokens and prefix of the scopes (https://graph.microsoft.us for US Government). */
  graphResource: string;
  /** Microsoft's nativeclient URI of the cloud, as the app registration lists it. */
  nativeClient: string;
  /** OpenID configuration: cloud_instance_name, msgraph_host, tenant_region_scope. */
  instanceName: string;
  msgraphHost: string;
  regionScope: string;
}

const REGION_SCOPE: Record<CloudId, string> = { global: 'EU', usgov: 'USGov', 'usgov-dod': 'USGov', china: 'AS' };

export function emulatedCloud(id: CloudId = 'global'): EmulatedCloud {
  const c = CLOUDS[id];
  return {
    id,
    graphResource: c.graphResource,
    nativeClient: `${c.authorityHost}/common/oauth2/nativeclient`,
    instanceName: c.instanceName,
    msgraphHost: new URL(c.graphRoot).host,
    regionScope: REGION_SCOPE[id],
  };
}
