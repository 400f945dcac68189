import type { AuthenticationResult } from '@azure/msal-node';
import type { ProfileView } from '../../../shared/domain';
import type { ApiEvents } from '../../../shared/ipc/contract';
import type { ClassifyContext, Finding } from '../diagnostics/classify';
import type { CloudEndpoints } from '../net/endpoints';
import type { AttemptDeadline } from './attempt-deadline';
import type { ProfileClient } from './profile-clients';

/** What both interactive methods (popup, system browser) get for one attempt. */
export interface Attempt {
  profile: ProfileView;
  client: ProfileClient;
  scopes: string[];
  /** The redirect URI as registered (the loopback one without its port). */
  redirectUri: string;
  endpoints: CloudEndpoints;
  /** Microsoft's sign-in hosts of the cloud plus the admin's federation servers, read when the attempt starts. */
  allowedHosts: readonly string[];
  expectedState: string;
  nonce: string;
  correlationId: string;
  context: ClassifyContext;
  state: (s: ApiEvents['signIn.state']['state']) => void;
  /** Timeout and cancel of this attempt, registered before its first await. */
  deadline: AttemptDeadline;
}

/** How the interactive part ended, before the account checks that both methods share. */
export type AttemptOutcome =
  | { kind: 'result'; result: AuthenticationResult }
  | { kind: 'cancelled'; reason: 'closed' | 'timeout' }
  | { kind: 'failed'; finding: Finding };

/** The deadline's end as the attempt's outcome: the timeout says so, a cancel is a close. */
export const endedBy = (why: 'timeout' | 'cancel'): AttemptOutcome => ({
  kind: 'cancelled',
  reason: why === 'timeout' ? 'timeout' : 'closed',
});

/**
 * A diagnosis the flow itself decides (no library error exists for it): no Microsoft code exists
 * either, so none is shown; our own diagnosis id must not pass for one.
 */
export function callerFinding(
  id: Finding['id'],
  params: Record<string, string>,
  detail: string,
  ids: { correlationId?: string; requestId?: string | null } = {},
): Finding {
  return {
    id,
    code: '',
    httpStatus: null,
    correlationId: ids.correlationId ?? null,
    requestId: ids.requestId ?? null,
    timestamp: null,
    params,
    detail,
  };
}

/** The sign-in went to a host outside Microsoft's sign-in hosts: ended, naming the host (OA-P3). */
export function hostBlocked(host: string): AttemptOutcome {
  return {
    kind: 'failed',
    finding: callerFinding('signin-host-blocked', { host }, `Navigation to ${host} blocked`),
  };
}
