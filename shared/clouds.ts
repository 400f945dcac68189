// The Microsoft clouds a profile can live in: one fixed table, so authority, Graph, scopes, redirect
// URI, consent URL and the sign-in window's allowlist always switch together (never a free-text host).
// Sources: docs/entra-graph-protocol.md, "National clouds".

export const CLOUD_IDS = ['global', 'usgov', 'usgov-dod', 'china'] as const;
export type CloudId = (typeof CLOUD_IDS)[number];

export interface CloudDefinition {
  id: CloudId;
  /** Microsoft Entra ID endpoint (MSAL's AzureCloudInstance for this cloud). */
  authorityHost: string;
  /** Microsoft Graph service root (the Graph client adds /v1.0). */
  graphRoot: string;
  /** The resource tokens are requested for: `{graphResource}/.default`, `{graphResource}/Mail.Send`. */
  graphResource: string;
  /** The Azure portal of this cloud, where the app registration has to be created. */
  portal: string;
  /** `cloud_instance_name` in the tenant's OpenID configuration: how Entra names the cloud. */
  instanceName: string;
  /** Hosts the embedded sign-in window may show besides the authority host (same cloud only). */
  signInHosts: readonly string[];
}

export const CLOUDS: Readonly<Record<CloudId, CloudDefinition>> = {
  global: {
    id: 'global',
    authorityHost: 'https://login.microsoftonline.com',
    graphRoot: 'https://graph.microsoft.com',
    graphResource: 'https://graph.microsoft.com',
    portal: 'https://entra.microsoft.com',
    instanceName: 'microsoftonline.com',
    // MSA and Entra login hosts, device registration and seamless SSO (interrupt flows such as MFA registration).
    signInHosts: [
      'login.microsoftonline.com',
      'login.microsoft.com',
      'login.live.com',
      'account.live.com',
      'device.login.microsoftonline.com',
      'autologon.microsoftazuread-sso.com',
    ],
  },
  // GCC High: Azure Government's Entra ID with Graph L4 (graph.microsoft.us).
  usgov: {
    id: 'usgov',
    authorityHost: 'https://login.microsoftonline.us',
    graphRoot: 'https://graph.microsoft.us',
    graphResource: 'https://graph.microsoft.us',
    portal: 'https://portal.azure.us',
    instanceName: 'microsoftonline.us',
    signInHosts: ['login.microsoftonline.us'],
  },
  // DoD: the same Entra ID instance as GCC High, Graph L5 on its own host.
  'usgov-dod': {
    id: 'usgov-dod',
    authorityHost: 'https://login.microsoftonline.us',
    graphRoot: 'https://dod-graph.microsoft.us',
    graphResource: 'https://dod-graph.microsoft.us',
    portal: 'https://portal.azure.us',
    instanceName: 'microsoftonline.us',
    signInHosts: ['login.microsoftonline.us'],
  },
  // Operated by 21Vianet; login.partner.microsoftonline.cn is the preferred alias of login.chinacloudapi.cn.
  china: {
    id: 'china',
    authorityHost: 'https://login.chinacloudapi.cn',
    graphRoot: 'https://microsoftgraph.chinacloudapi.cn',
    graphResource: 'https://microsoftgraph.chinacloudapi.cn',
    portal: 'https://portal.azure.cn',
    instanceName: 'partner.microsoftonline.cn',
    signInHosts: ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
  },
};

/** The cloud whose Entra ID answers for this `cloud_instance_name`, if it is one of ours. */
export function cloudOfInstance(instanceName: string): CloudId | undefined {
  return CLOUD_IDS.find((id) => CLOUDS[id].instanceName === instanceName.trim().toLowerCase());
}

/** `{graph}/.default`: the app-only scope of the cloud's Graph. */
export const defaultScope = (cloud: CloudId): string => `${CLOUDS[cloud].graphResource}/.default`;

/** `{authority host}/common/oauth2/nativeclient` of the cloud: the redirect URI the app registration needs. */
export const cloudNativeClientRedirectUri = (cloud: CloudId): string =>
  `${CLOUDS[cloud].authorityHost}/common/oauth2/nativeclient`;

/**
 * The admin-consent URL of the cloud's Entra ID for one tenant and app
 * (`{authority host}/{tenant}/adminconsent?client_id=…`); empty tenant or client ID give "".
 */
export function adminConsentUrl(cloud: CloudId, tenant: string, clientId: string): string {
  const t = tenant.trim();
  const c = clientId.trim();
  if (t === '' || c === '') return '';
  const url = new URL(`${CLOUDS[cloud].authorityHost}/${encodeURIComponent(t)}/adminconsent`);
  url.searchParams.set('client_id', c);
  return url.toString();
}
