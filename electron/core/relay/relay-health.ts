import { nodeQueueReadFs, readQueueListing, type QueueReadFs } from './relay-queue-reader';

/** Mail waiting longer than this is "stuck" (a warning in `check`, a badge in the list). */
export const RELAY_STUCK_MS = 15 * 60_000;
/** A bounce counts as a failure of the profile for a day: long enough for the next morning's check to see it. */
export const RELAY_FAILURE_WINDOW_MS = 24 * 3_600_000;

export interface RelayProfileHealth {
  oldestPendingAt: string | null;
  stuck: number;
  failedRecently: number;
  /** The last reply of the oldest stuck message (e.g. "Mail.ReadWrite missing"), for `check` to say why. */
  stuckReason: string | null;
  /** Sent again after a crash without the mailbox lookup (no read access) in the last day: maybe twice. */
  uncheckedResends: number;
}

/**
 * Per profile: the oldest message still waiting and the bounces of the last day, read from the queue directory
 * without changing it (a check runs beside the relay): envelope trailers and states only, never a message body.
 * Empty when the relay never ran.
 */
export async function relayHealth(
  dataDir: string,
  now: Date,
  fs: QueueReadFs = nodeQueueReadFs,
): Promise<Map<string, RelayProfileHealth>> {
  const health = new Map<string, RelayProfileHealth>();
  const entry = (profileId: string) => {
    const found = health.get(profileId) ?? {
      oldestPendingAt: null,
      stuck: 0,
      failedRecently: 0,
      stuckReason: null,
      uncheckedResends: 0,
    };
    health.set(profileId, found);
    return found;
  };
  // Oldest first, so the stuck reason is the oldest stuck message's.
  const items = (await readQueueListing(dataDir, fs)).sort((a, b) => (a.envelope.acceptedAt < b.envelope.acceptedAt ? -1 : 1));
  for (const { envelope, state } of items) {
    if (state.status === 'failed' || state.status === 'sent') {
      const recent = state.finishedAt !== null && now.getTime() - Date.parse(state.finishedAt) <= RELAY_FAILURE_WINDOW_MS;
      if (recent && state.status === 'failed') entry(envelope.profileId).failedRecently += 1;
      if (recent && state.uncheckedResend === true) entry(envelope.profileId).uncheckedResends += 1;
      continue;
    }
    const h = entry(envelope.profileId);
    if (h.oldestPendingAt === null || envelope.acceptedAt < h.oldestPendingAt) h.oldestPendingAt = envelope.acceptedAt;
    if (now.getTime() - Date.parse(envelope.acceptedAt) >= RELAY_STUCK_MS) {
      h.stuck += 1;
      h.stuckReason ??= state.lastReply?.text ?? null;
    }
  }
  return health;
}
