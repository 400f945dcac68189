import { join } from 'node:path';
import { nodeFsSeam } from '../storage/fs-seam';
import type { RelayItemState } from './relay-queue';

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
 * without changing it (a check runs beside the relay). Empty when the relay never ran.
 */
export function relayHealth(dataDir: string, now: Date): Map<string, RelayProfileHealth> {
  const dir = join(dataDir, 'relay', 'queue');
  const health = new Map<string, RelayProfileHealth>();
  if (!nodeFsSeam.existsSync(dir)) return health;
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
  const names = nodeFsSeam.readdirSync(dir);
  for (const name of names) {
    try {
      if (name.endsWith('.msg')) {
        const raw = nodeFsSeam.readFileSync(join(dir, name));
        const at = raw.lastIndexOf('\r\n#absender-relay-envelope ');
        if (at < 0) continue;
        const envelope = JSON.parse(raw.subarray(at + '\r\n#absender-relay-envelope '.length).toString('utf8')) as {
          profileId: string;
          acceptedAt: string;
        };
        const stateFile = join(dir, `${name.slice(0, -'.msg'.length)}.state.json`);
        let reason: string | null = null;
        if (nodeFsSeam.existsSync(stateFile)) {
          const state = JSON.parse(nodeFsSeam.readFileSync(stateFile).toString('utf8')) as RelayItemState;
          if (state.status === 'sent' || state.status === 'failed') continue;
          reason = state.lastReply?.text ?? null;
        }
        const h = entry(envelope.profileId);
        const oldest = h.oldestPendingAt === null || envelope.acceptedAt < h.oldestPendingAt;
        if (oldest) h.oldestPendingAt = envelope.acceptedAt;
        if (now.getTime() - Date.parse(envelope.acceptedAt) >= RELAY_STUCK_MS) {
          h.stuck += 1;
          if (oldest || h.stuckReason === null) h.stuckReason = reason ?? h.stuckReason;
        }
      } else if (name.endsWith('.state.json')) {
        const state = JSON.parse(nodeFsSeam.readFileSync(join(dir, name)).toString('utf8')) as RelayItemState;
        if (state.finishedAt === null || state.envelope === undefined) continue;
        if (now.getTime() - Date.parse(state.finishedAt) > RELAY_FAILURE_WINDOW_MS) continue;
        if (state.status === 'failed') entry(state.envelope.profileId).failedRecently += 1;
        if (state.uncheckedResend === true) entry(state.envelope.profileId).uncheckedResends += 1;
      }
    } catch {
      // A file being written right now by the relay: the next check reads it.
    }
  }
  return health;
}
