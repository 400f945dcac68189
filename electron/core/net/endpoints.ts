import { MICROSOFT_AUTHORITY_HOST } from '../../../shared/redirect-uris';
import type { Cloud } from '../../../shared/domain';

export interface CloudEndpoints {
  /** e.g. https://login.microsoftonline.com */
  authorityHost: string;
  /** Where Graph requests go, e.g. https://graph.microsoft.com (the Graph client adds /v1.0). */
  graphRoot: string;
  /** The resource the token is for (scope prefix); the same as graphRoot at Microsoft. */
  graphResource: string;
}

export const MICROSOFT_CLOUDS: Readonly<Record<Cloud, CloudEndpoints>> = {
  global: {
    authorityHost: MICROSOFT_AUTHORITY_HOST,
    graphRoot: 'https://graph.microsoft.com',
    graphResource: 'https://graph.microsoft.com',
  },
};

export interface NetworkSettings {
  endpoints: Readonly<Record<Cloud, CloudEndpoints>>;
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
