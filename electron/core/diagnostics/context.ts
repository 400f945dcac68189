import type { ProfileView } from '../../../shared/domain';
import { hostOf, type NetworkSettings } from '../net/endpoints';
import type { ClassifyContext, DiagnosticOperation } from './classify';

/** What every diagnosis of one profile's calls needs to name: host, timeout, app, tenant, mailbox. */
export function classifyContextFor(
  network: NetworkSettings,
  profile: Pick<ProfileView, 'clientId' | 'tenant'>,
  mailbox: string,
): (operation: DiagnosticOperation, url: string) => ClassifyContext {
  return (operation, url) => ({
    operation,
    host: hostOf(url),
    timeoutSeconds: Math.round(network.requestTimeoutMs / 1000),
    clientId: profile.clientId,
    tenant: profile.tenant,
    mailbox,
  });
}
