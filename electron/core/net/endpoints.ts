import { CLOUD_IDS, CLOUDS } from '../../../shared/clouds';
import type { Cloud } from '../../../shared/domain';

export interface CloudEndpoints {
  /** e.g. https://login.microsoftonline.com */
  authorityHost: string;
  /** Where Graph requests go, e.g. https://graph.microsoft.com (the Graph client adds /v1.0). */
  graphRoot: string;
  /** The resource the token is for (scope prefix); the same as graphRoot at Microsoft. */
  graphResource: string;
  /** Hosts of this cloud the sign-in window may show besides the authority host (default: the global cloud's). */
  signInHosts?: readonly string[];
}

/** Every cloud from the one table (shared/clouds.ts): hosts are never typed in by anyone. */
export const MICROSOFT_CLOUDS: Readonly<Record<Cloud, CloudEndpoints>> = Object.fromEntries(
  CLOUD_IDS.map((id) => {
    const c = CLOUDS[id];
    return [
      id,
      { authorityHost: c.authorityHost, graphRoot: c.graphRoot, graphResource: c.graphResource, signInHosts: c.signInHosts },
    ];
  }),
) as Record<Cloud, CloudEndpoints>;

/** A cloud the composition root did not configure (tests wire only the clouds their emulator serves). */
export class CloudNotConfiguredError extends Error {
  constructor(readonly cloud: Cloud) {
    super(`cloud not configured: ${cloud}`);
    this.name = 'CloudNotConfiguredError';
  }
}

/** The endpoints of the profile's cloud; never another cloud's as a fallback. */
export function cloudEndpoints(network: Pick<NetworkSettings, 'endpoints'>, cloud: Cloud): CloudEndpoints {
  const endpoints = network.endpoints[cloud];
  if (endpoints === undefined) throw new CloudNotConfiguredError(cloud);
  return endpoints;
}

export interface NetworkSettings {
  /** Production: every cloud (MICROSOFT_CLOUDS); tests: the clouds their emulator serves. */
  endpoints: Readonly<Partial<Record<Cloud, CloudEndpoints>>>;
  /** Every request gets an answer or a clear "no answer after N s" (never a spinner forever). */
  requestTimeoutMs: number;
  /** 429/503/504 retries: bounded in count and in total wait. */
  maxRetries: number;
  maxRetryDelaySeconds: number;
  /** Extra hosts (host[:port]) the sign-in window may show: the admin's federation servers (Settings). */
  signInHosts?: () => readonly string[];
}

export const DEFAULT_NETWORK: NetworkSettings = {
  endpoints: MICROSOFT_CLOUDS,
  requestTimeoutMs: 30_000,
  maxRetries: 3,
  maxRetryDelaySeconds: 60,
};

export const hostOf = (url: string): string => new URL(url).host;
