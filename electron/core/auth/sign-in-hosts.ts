import type { CloudEndpoints, NetworkSettings } from '../net/endpoints';
import { signInAllowedHosts } from './redirect-guard';

/**
 * The hosts the sign-in window may show for one attempt: the cloud's authority host, that cloud's
 * Microsoft sign-in hosts and the admin's federation servers (Settings › extra sign-in hosts), read at the
 * start of each attempt so a change applies to the next sign-in without a restart.
 */
export function allowedSignInHosts(endpoints: CloudEndpoints, network: Pick<NetworkSettings, 'signInHosts'>): string[] {
  return signInAllowedHosts(endpoints.authorityHost, network.signInHosts?.() ?? [], endpoints.signInHosts);
}
