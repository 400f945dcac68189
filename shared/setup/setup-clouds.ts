import type { Cloud } from '../domain';
import { CLOUDS } from '../clouds';
import { nativeClientRedirectUri } from '../redirect-uris';

/** What the assistant needs per cloud; national clouds add a row here (fixed in code, never a typed host). */
export interface SetupCloud {
  /** Where the admin-consent URL and the nativeclient redirect URI live. */
  authorityHost: string;
  /** The Entra admin center the steps point to. */
  entraPortal: string;
  /** `Connect-ExchangeOnline -ExchangeEnvironmentName`: null for the worldwide cloud (the default). */
  exchangeEnvironment: string | null;
}

// Connect-ExchangeOnline's -ExchangeEnvironmentName values for the national clouds (Microsoft's cmdlet reference).
const EXCHANGE_ENVIRONMENT: Readonly<Record<Cloud, string | null>> = {
  global: null,
  usgov: 'O365USGovGCCHigh',
  'usgov-dod': 'O365USGovDoD',
  china: 'O365China',
};

export const SETUP_CLOUDS: Readonly<Record<Cloud, SetupCloud>> = Object.fromEntries(
  (Object.keys(EXCHANGE_ENVIRONMENT) as Cloud[]).map((cloud) => [
    cloud,
    {
      authorityHost: CLOUDS[cloud].authorityHost,
      entraPortal: CLOUDS[cloud].portal,
      exchangeEnvironment: EXCHANGE_ENVIRONMENT[cloud],
    },
  ]),
) as Record<Cloud, SetupCloud>;

/** The hosts an admin-consent URL may open in the system browser (the opener's allowlist adds them). */
export const ADMIN_CONSENT_HOSTS: readonly string[] = Object.values(SETUP_CLOUDS).map((c) => new URL(c.authorityHost).hostname);

export const nativeClientUriFor = (cloud: Cloud): string => nativeClientRedirectUri(SETUP_CLOUDS[cloud].authorityHost);
