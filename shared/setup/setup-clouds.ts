import type { Cloud } from '../domain';
import { MICROSOFT_AUTHORITY_HOST, nativeClientRedirectUri } from '../redirect-uris';

/** What the assistant needs per cloud; national clouds add a row here (fixed in code, never a typed host). */
export interface SetupCloud {
  /** Where the admin-consent URL and the nativeclient redirect URI live. */
  authorityHost: string;
  /** The Entra admin center the steps point to. */
  entraPortal: string;
  /** `Connect-ExchangeOnline -ExchangeEnvironmentName`: null for the worldwide cloud (the default). */
  exchangeEnvironment: string | null;
}

export const SETUP_CLOUDS: Readonly<Record<Cloud, SetupCloud>> = {
  global: { authorityHost: MICROSOFT_AUTHORITY_HOST, entraPortal: 'https://entra.microsoft.com', exchangeEnvironment: null },
};

/** The hosts an admin-consent URL may open in the system browser (the opener's allowlist adds them). */
export const ADMIN_CONSENT_HOSTS: readonly string[] = Object.values(SETUP_CLOUDS).map((c) => new URL(c.authorityHost).hostname);

export const nativeClientUriFor = (cloud: Cloud): string => nativeClientRedirectUri(SETUP_CLOUDS[cloud].authorityHost);
