import { LogLevel, type Configuration } from '@azure/msal-node';
import type { HttpTransport, Logger } from '../ports';
import type { CloudEndpoints } from '../net/endpoints';
import { TimedNetworkClient } from '../net/timed-network-client';

/**
 * The authority with its metadata given up front: MSAL makes no discovery request, exactly as it
 * does for Microsoft's own hosts, so an unknown tenant fails at the token endpoint (AADSTS90002).
 */
export function authorityOptions(
  endpoints: CloudEndpoints,
  tenant: string,
): Pick<NonNullable<Configuration['auth']>, 'authority' | 'knownAuthorities' | 'authorityMetadata'> {
  const base = `${endpoints.authorityHost}/${encodeURIComponent(tenant)}`;
  return {
    authority: base,
    knownAuthorities: [new URL(endpoints.authorityHost).host],
    authorityMetadata: JSON.stringify({
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      issuer: `${base}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
    }),
  };
}

/** PII logging off; anything MSAL marks as PII is dropped before our (redacting) logger sees it (SH-4). */
export function systemOptions(
  logger: Logger,
  timeoutMs: number,
  transport: HttpTransport,
  level: LogLevel = LogLevel.Warning,
): NonNullable<Configuration['system']> {
  return {
    networkClient: new TimedNetworkClient(timeoutMs, transport),
    loggerOptions: {
      piiLoggingEnabled: false,
      logLevel: level,
      loggerCallback: (msgLevel, message, containsPii) => {
        if (containsPii) return;
        if (msgLevel === LogLevel.Error) logger.error(`msal: ${message}`);
        else if (msgLevel === LogLevel.Warning) logger.warn(`msal: ${message}`);
        else logger.info(`msal: ${message}`);
      },
    },
  };
}

export const graphScope = (endpoints: CloudEndpoints): string => `${endpoints.graphResource}/.default`;
