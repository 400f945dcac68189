import { isAppOnlyType, type Language, type ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { t } from '../../../shared/i18n/translate';
import { DRAFT_PERMISSION } from '../cli/draft-path';
import { classifyError, type Finding } from '../diagnostics/classify';
import type { DraftUploadDeps } from '../mail/attachments';
import { PacerAborted, type MailPacer } from '../mail/pacing';
import { DiagnosedError, type ProfileGraph } from '../mail/profile-graph';
import { retryAfterSeconds } from '../net/retry-after';
import { buildDsn, dsnMessageId, originalHeaders } from './relay-dsn';
import {
  DraftAccessDenied,
  madeSince,
  MARKER_CLOCK_SKEW_MS,
  markerFilter,
  MIME_SENDMAIL_MAX_BYTES,
  parseLarge,
  sendLarge,
} from './relay-large';
import { prepareMimeFor } from './relay-mime';
import {
  initialState,
  type RelayEnvelope,
  type RelayItem,
  type RelayItemState,
  type RelayQueue,
  type RelayReply,
  type RelayStatus,
} from './relay-queue';
import { replyFor } from './relay-reply';

export interface RelayWorkerOptions {
  /** How long temporary failures are retried before the bounce (24 h). */
  maxAgeMs: number;
  concurrency: number;
  firstRetryMs: number;
  maxRetryMs: number;
  /** Where a bounce goes when the envelope sender cannot get it. */
  bounceTo: string | null;
  language: Language;
  /** Sent and failed items stay in the list (and for `check`) this long after they finished (7 days). */
  keepFinishedMs: number;
  /** At most this many finished items are kept; the oldest go first. */
  maxFinished: number;
}

export const DEFAULT_WORKER: RelayWorkerOptions = {
  maxAgeMs: 24 * 3_600_000,
  concurrency: 4,
  firstRetryMs: 60_000,
  maxRetryMs: 3_600_000,
  bounceTo: null,
  language: 'en',
  keepFinishedMs: 7 * 24 * 3_600_000,
  maxFinished: 10_000,
};

/** Finished items are pruned at start and then hourly. */
export const PRUNE_INTERVAL_MS = 3_600_000;

export interface RelayWorkerDeps {
  queue: RelayQueue;
  profile: (id: string) => Promise<ProfileView | null>;
  graphFor: (profile: ProfileView) => Promise<ProfileGraph>;
  /** Graph refused the profile's token (401): a reused client must not be used again. */
  graphRefused?: (profileId: string) => void;
  /** Exchange's per-mailbox limits and Graph's per-app concurrency (shared with `send` when in one process). */
  pacer: MailPacer;
  now: () => number;
  log: (event: string, data: Record<string, string | number | boolean>) => void;
  /** True while SMTP clients are connected: delivery then runs one at a time, so accepting keeps the CPU. */
  listenerBusy?: () => boolean;
}

/** One row of the queue as a panel or `check` shows it (no message content). */
export interface RelayQueueEntry {
  id: string;
  profileId: string;
  mailFrom: string;
  recipients: number;
  size: number;
  acceptedAt: string;
  status: RelayStatus;
  attempts: number;
  nextAttemptAt: string;
  lastReply: RelayReply | null;
  finishedAt: string | null;
  bounced: boolean;
}

export type RelayCounts = Record<RelayStatus, number> & { oldestPendingAt: string | null };

const IMMUTABLE = 'IdType="ImmutableId"';

/** What a Graph call to the profile's mailbox needs: the client, the path, and the pacer's keys. */
type MailboxCalls = Pick<DraftUploadDeps, 'client' | 'user' | 'mailbox' | 'app' | 'pacer'>;

/**
 * Sends what the listener queued, through Graph with the message's profile: MIME as received (recipients as the
 * envelope says), at most once across crashes (a fsynced marker; only a marked message is looked up before a resend),
 * with backoff and Retry-After, then an RFC 3464 bounce. Messages over 3 MB of MIME go as a draft with upload sessions.
 */
export class RelayWorker {
  private readonly items = new Map<string, RelayItem>();
  private readonly running = new Set<string>();
  /** Finished in memory, but writing the state or deleting the .msg failed: only the file work is retried. */
  private readonly unfinished = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  /** Aborted by stop(): waits in the pacer end at once (deferred, not attempted). */
  private abort = new AbortController();
  private stopped = true;
  private idleWaiters: Array<() => void> = [];
  private readonly options: RelayWorkerOptions;
  /** Finishes being written again right now (retryFinishes): not pruned or removed under that write. */
  private readonly finishingNow = new Set<string>();
  /** Mailboxes whose marker lookup was refused (403): logged once each, not per message. */
  private readonly lookupDenied = new Set<string>();

  constructor(
    private readonly deps: RelayWorkerDeps,
    options: Partial<RelayWorkerOptions> = {},
  ) {
    this.options = { ...DEFAULT_WORKER, ...options };
  }

  /** Reads the queue directory (after a crash too) and starts sending. */
  start(): void {
    const { queue } = this.deps;
    queue.sweepTemps();
    for (const id of queue.stateIds()) {
      if (queue.hasMessage(id)) continue;
      const state = queue.readState(id);
      if (state.status === 'sent' || state.status === 'failed')
        this.items.set(id, { envelope: state.envelope ?? stubEnvelope(id), state });
    }
    for (const id of queue.ids()) {
      try {
        // The trailer only: 2 000 queued 20 MB messages are not 40 GB read before the first send.
        const envelope = queue.readEnvelopeTail(id);
        const state = queue.readState(id, envelope);
        if (state.status === 'sent' || state.status === 'failed') {
          // Finished but the message file outlived the crash: finish again (deletes the bytes).
          queue.finish(id, state);
        }
        // The "sending" marker is fsynced before Graph gets the message: without one on disk (or one an unknown
        // outcome kept) it was never handed to Graph and goes without a lookup. A reused Message-ID elsewhere in the
        // mailbox then cannot make it count as sent.
        const open = state.status === 'sending' || state.status === 'pending';
        const sendingSince = state.status === 'sending' ? (state.sendingSince ?? envelope.acceptedAt) : state.sendingSince;
        this.items.set(id, { envelope, state: open ? { ...state, status: 'pending', sendingSince } : state });
      } catch (error) {
        this.deps.log('relay.queue-unreadable', { id, reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown' });
      }
    }
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Bounded: attempts waiting in the pacer (a Retry-After of minutes, the 30-a-minute pacing) end at once and stay
   * pending; only requests already on the wire are waited for (each has its deadline).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.pruneTimer !== undefined) clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
    this.abort.abort();
    while (this.running.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** The pacer as this run of the worker sees it: its waits end when stop() aborts. */
  private pacerView(): MailPacer {
    return this.deps.pacer.withSignal(this.abort.signal);
  }

  /**
   * Drops finished items older than keepFinishedMs, and beyond the newest maxFinished, from memory and disk (their
   * state files; the message bytes went when they finished). Returns how many went.
   */
  prune(): number {
    const cutoff = this.deps.now() - this.options.keepFinishedMs;
    const finished = [...this.items.values()]
      // Not while its finish is being written again: that write would bring the state file back as an orphan.
      .filter(
        (i) =>
          (i.state.status === 'sent' || i.state.status === 'failed') &&
          !this.running.has(i.envelope.id) &&
          !this.finishingNow.has(i.envelope.id),
      )
      .sort((a, b) => finishedAt(b) - finishedAt(a));
    let removed = 0;
    finished.forEach((item, index) => {
      if (index < this.options.maxFinished && finishedAt(item) >= cutoff) return;
      const { id } = item.envelope;
      try {
        this.deps.queue.remove(id);
        this.items.delete(id);
        this.unfinished.delete(id);
        removed += 1;
      } catch (error) {
        this.deps.log('relay.prune-failed', { id, reason: errorCode(error) });
      }
    });
    if (removed > 0) this.deps.log('relay.pruned', { removed });
    return removed;
  }

  /** The listener committed a message: send it now. */
  enqueue(envelope: RelayEnvelope): void {
    this.items.set(envelope.id, { envelope, state: initialState(envelope.acceptedAt) });
    this.schedule(0);
  }

  list(): RelayQueueEntry[] {
    return [...this.items.values()].map(({ envelope, state }) => ({
      id: envelope.id,
      profileId: envelope.profileId,
      mailFrom: envelope.mailFrom,
      recipients: envelope.rcptTo.length,
      size: envelope.size,
      acceptedAt: envelope.acceptedAt,
      status: this.running.has(envelope.id) ? 'sending' : state.status,
      attempts: state.attempts,
      nextAttemptAt: state.nextAttemptAt,
      lastReply: state.lastReply,
      finishedAt: state.finishedAt,
      bounced: state.bounced,
    }));
  }

  /** Envelope and state of every item as held in memory (the panel's list: no file is read). */
  snapshot(): Array<{ envelope: RelayEnvelope; state: RelayItemState; status: RelayStatus }> {
    return [...this.items.values()].map(({ envelope, state }) => ({
      envelope,
      state,
      status: this.running.has(envelope.id) ? 'sending' : state.status,
    }));
  }

  counts(): RelayCounts {
    const counts: RelayCounts = { pending: 0, sending: 0, sent: 0, failed: 0, oldestPendingAt: null };
    for (const entry of this.list()) {
      counts[entry.status] += 1;
      if (
        (entry.status === 'pending' || entry.status === 'sending') &&
        (counts.oldestPendingAt === null || entry.acceptedAt < counts.oldestPendingAt)
      )
        counts.oldestPendingAt = entry.acceptedAt;
    }
    return counts;
  }

  /** The panel's "retry now": a pending message is due at once. */
  retryNow(id: string): boolean {
    const item = this.items.get(id);
    // Running: memory still says pending until the marker is on disk, and this write must not replace the marker.
    if (item === undefined || this.running.has(id) || item.state.status !== 'pending') return false;
    item.state = { ...item.state, nextAttemptAt: new Date(this.deps.now()).toISOString() };
    this.deps.queue.writeState(id, item.state);
    this.schedule(0);
    return true;
  }

  /** The panel's "delete": a message not being sent right now is dropped (the admin decided it must not go). */
  remove(id: string): boolean {
    if (this.running.has(id) || this.finishingNow.has(id) || !this.items.has(id)) return false;
    this.deps.queue.remove(id);
    this.items.delete(id);
    this.unfinished.delete(id);
    return true;
  }

  /** Resolves when nothing is due and nothing is sending (tests and the bench wait for this). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.due().length > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when no message is pending or sending (everything sent or given up), or after timeoutMs. */
  async settled(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (
      Date.now() < deadline &&
      [...this.items.values()].some((i) => i.state.status === 'pending' || this.running.has(i.envelope.id))
    )
      await new Promise((resolve) => setTimeout(resolve, 25));
  }

  private due(): RelayItem[] {
    const now = this.deps.now();
    return [...this.items.values()]
      .filter((i) => i.state.status === 'pending' && !this.running.has(i.envelope.id) && dueAt(i.state) <= now)
      .sort((a, b) => (a.envelope.id < b.envelope.id ? -1 : 1));
  }

  /**
   * The oldest `count` due items whose Message-ID is not in `busy` (nor twice among them), as due() would start them.
   * While clients send, one slot frees at a time with hundreds of messages pending: sorting all of them on every
   * pump was a tenth of a delivery's CPU on the accepting thread; a scan per free slot is not.
   */
  private nextDue(count: number, busy: Set<string>): RelayItem[] {
    const now = this.deps.now();
    const candidates: RelayItem[] = [];
    for (const i of this.items.values())
      if (i.state.status === 'pending' && !this.running.has(i.envelope.id) && dueAt(i.state) <= now) candidates.push(i);
    const picked: RelayItem[] = [];
    const keys = new Set(busy);
    while (picked.length < count && candidates.length > 0) {
      let best = -1;
      for (let k = 0; k < candidates.length; k += 1) {
        const c = candidates[k] as RelayItem;
        const key = messageKey(c);
        if (key !== '' && keys.has(key)) continue;
        if (best < 0 || c.envelope.id < (candidates[best] as RelayItem).envelope.id) best = k;
      }
      if (best < 0) break;
      const [item] = candidates.splice(best, 1) as [RelayItem];
      keys.add(messageKey(item));
      picked.push(item);
    }
    return picked;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), Math.max(0, Math.min(delayMs, 2 ** 31 - 1)));
  }

  private wake(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private pump(): void {
    this.timer = undefined;
    if (this.stopped) return;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    if (this.pruneTimer === undefined) {
      // The first pump after start(): the history is cut now and then hourly.
      this.prune();
      this.pruneTimer = setInterval(() => this.prune(), PRUNE_INTERVAL_MS);
      this.pruneTimer.unref();
    }
    const now = this.deps.now();
    // Accepting first (a 250 waits on it, delivery does not): never 0, so a busy listener cannot starve delivery.
    const limit = this.deps.listenerBusy?.() === true ? 1 : this.options.concurrency;
    // One send per Message-ID at a time: the marker lookup of one must never find the other's copy.
    const busy = new Set([...this.running].map((id) => messageKey(this.items.get(id))));
    // At the limit nothing can start: no scan of the whole queue (each attempt's end pumps again).
    for (const item of this.running.size < limit ? this.nextDue(limit - this.running.size, busy) : []) {
      busy.add(messageKey(item));
      this.running.add(item.envelope.id);
      void this.attempt(item)
        .catch((error: unknown) => this.crashed(item, error))
        .finally(() => {
          this.running.delete(item.envelope.id);
          this.schedule(0);
          this.wake();
        });
    }
    if (this.unfinished.size > 0) void this.retryFinishes();
    const next =
      this.running.size < limit
        ? [...this.items.values()]
            .filter((i) => i.state.status === 'pending' && !this.running.has(i.envelope.id))
            .map((i) => dueAt(i.state))
            .concat(this.unfinished.size > 0 ? [now + this.options.firstRetryMs] : [])
            .reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY)
        : Number.POSITIVE_INFINITY;
    if (Number.isFinite(next)) this.schedule(Math.max(50, next - now));
    this.wake();
  }

  /** An attempt threw past its own handling (a state write): log without content, try again with backoff. */
  private crashed(item: RelayItem, error: unknown): void {
    this.deps.log('relay.attempt-crashed', { id: item.envelope.id, reason: errorCode(error) });
    // Finished in memory (sent or bounced): never re-queued, only its file work is retried.
    if (item.state.status === 'sent' || item.state.status === 'failed') return;
    const attempts = Math.max(1, item.state.attempts);
    const backoff = Math.min(this.options.maxRetryMs, this.options.firstRetryMs * 2 ** Math.min(attempts - 1, 20));
    item.state = {
      ...item.state,
      status: 'pending',
      attempts,
      nextAttemptAt: new Date(this.deps.now() + backoff * (0.8 + Math.random() * 0.4)).toISOString(),
    };
  }

  private retryingFinishes = false;

  private async retryFinishes(): Promise<void> {
    if (this.retryingFinishes) return;
    this.retryingFinishes = true;
    try {
      await this.retryFinishesOnce();
    } finally {
      this.retryingFinishes = false;
    }
  }

  private async retryFinishesOnce(): Promise<void> {
    for (const id of [...this.unfinished]) {
      const item = this.items.get(id);
      if (item === undefined) {
        this.unfinished.delete(id);
        continue;
      }
      this.finishingNow.add(id);
      try {
        await this.deps.queue.finishQuick(id, item.state);
        this.unfinished.delete(id);
        this.deps.log('relay.finish-recovered', { id });
      } catch {
        // Still failing: tried again at the next pump, or by start() after a restart (the marker lookup finds it sent).
      } finally {
        this.finishingNow.delete(id);
      }
    }
  }

  /** The "sending" marker and the bounce journal are fsynced; a later state lost in a power cut leaves the marker. */
  private async save(item: RelayItem, state: RelayItemState, durable = false): Promise<void> {
    // On disk first, then in memory: the write is async now, and the list must not show a state mid-write.
    await this.deps.queue.writeStateFor(item.envelope.id, state, durable);
    item.state = state;
  }

  private async attempt(item: RelayItem): Promise<void> {
    const { envelope } = item;
    const language = this.options.language;
    const profile = await this.deps.profile(envelope.profileId).catch(() => null);
    if (profile === null) {
      return this.retryOrBounce(item, null, {
        code: 451,
        enhanced: '4.3.5',
        text: t(language, 'host:relay.profileMissing'),
        diagnosis: null,
      });
    }
    let graph: ProfileGraph;
    try {
      graph = await this.deps.graphFor(profile);
    } catch (error) {
      if (error instanceof DiagnosedError) return this.failed(item, profile, error.finding, undefined);
      if (error instanceof AppError && error.code === 'secret-unreadable')
        return this.retryOrBounce(item, profile, {
          code: 451,
          enhanced: '4.3.5',
          text: t(language, 'host:relay.profileMisconfigured', {
            profile: profile.name,
            reason: t(language, 'host:cli.secretUnreadable'),
          }),
          diagnosis: null,
        });
      return this.failed(item, profile, classifyError(error), undefined);
    }
    const user = `/users/${encodeURIComponent(graph.mailbox)}`;
    const pacer = this.pacerView();
    if (item.state.bouncing) return this.bounce(item, profile, item.state.bouncing, pacer);
    const up: DraftUploadDeps = {
      client: graph.client,
      user,
      mailbox: graph.mailbox,
      app: profile.clientId,
      transport: graph.transport,
      timeoutMs: graph.network.requestTimeoutMs,
      maxRetryDelaySeconds: graph.network.maxRetryDelaySeconds,
      pacer,
    };
    let accepted = false;
    let mime: Buffer;
    let large: boolean;
    let resume: boolean;
    try {
      const raw = this.deps.queue.readMessage(envelope.id);
      const prepared = prepareMimeFor(raw, envelope);
      mime = prepared.mime;
      // Header-only addresses are taken out (the envelope decides); the count only, never an address.
      if (prepared.droppedHeaderRecipients > 0 && item.state.attempts === 0)
        this.deps.log('relay.header-recipients-dropped', { id: envelope.id, count: prepared.droppedHeaderRecipients });
      large = mime.length > MIME_SENDMAIL_MAX_BYTES;
      // Over the mailbox's 30 a minute or 150 MB in 5 minutes (or paused by Retry-After): defer, not an attempt.
      const wait = Math.max(pacer.messageDelayMs(graph.mailbox), large ? pacer.uploadDelayMs(graph.mailbox, mime.length) : 0);
      if (wait > 0) {
        item.state = { ...item.state, nextAttemptAt: new Date(this.deps.now() + wait).toISOString() };
        return;
      }
      resume = item.state.sendingSince !== null;
      const found = resume ? await this.alreadySent(up, envelope.messageId, this.lookupSince(item), envelope.rcptTo) : false;
      if (found === 'denied') item.state = { ...item.state, uncheckedResend: true };
      if (found === true) {
        this.deps.log('relay.recovered-sent', { id: envelope.id });
        accepted = true;
      }
    } catch (error) {
      // Stopped while the marker lookup waited in the pacer: nothing was asked or written, it stays as it was.
      if (error instanceof PacerAborted) return;
      return await this.failed(item, profile, classifyError(error, graph.context('sendMail', graph.graphRoot)), undefined);
    }
    // Outside the try: once Graph has the mail, an error while finishing must never re-queue (or bounce) it.
    if (accepted) return this.finish(item, 'sent', { lastReply: null });
    const before = item.state;
    try {
      // The marker first, fsynced: a crash after this line makes the next start look in the mailbox before sending
      // again. An unknown earlier outcome keeps its (earlier) time, so its copy or draft still counts as ours.
      const since = resume ? markerSince(item) : this.deps.now();
      await this.save(
        item,
        { ...item.state, status: 'sending', attempts: item.state.attempts + 1, sendingSince: new Date(since).toISOString() },
        true,
      );
      try {
        if (large) {
          await sendLarge(up, await parseLarge(mime, envelope.messageId, graph.mailbox, envelope.rcptTo), resume ? since : null);
        } else {
          await pacer.message(graph.mailbox);
          await pacer.request(up.app, graph.mailbox, () =>
            graph.client.api(`${user}/sendMail`).header('Content-Type', 'text/plain').post(mime.toString('base64')),
          );
        }
      } catch (error) {
        if (error instanceof PacerAborted) return await this.notAttempted(item, before, large);
        if (error instanceof DraftAccessDenied) {
          // Nothing was made: the profile needs a permission, which the admin can grant (so retried, not bounced).
          if (!resume) item.state = { ...item.state, sendingSince: null };
          return await this.retryOrBounce(item, profile, {
            code: 451,
            enhanced: '4.3.5',
            text: t(language, 'host:relay.profileMisconfigured', {
              profile: profile.name,
              reason: draftRefusedReason(language, profile.accountType, graph),
            }),
            diagnosis: null,
          });
        }
        // A definite HTTP refusal means nothing was sent; a lost answer keeps the marker so the next try looks first.
        const finding = classifyError(error, graph.context('sendMail', graph.graphRoot));
        const status = (error as { statusCode?: unknown }).statusCode;
        // The diagnosis knows which refusals may still have sent it (a 503/504 on sendMail): those keep the marker.
        // The draft path keeps it always: the next try completes the marked draft instead of making a second one.
        const definite = !large && typeof status === 'number' && status >= 400 && finding.id !== 'graph-send-outcome-unknown';
        // Only this attempt's own marker goes: a resumed one keeps the earlier unknown outcome's until a lookup finds it.
        if (definite && !resume) item.state = { ...item.state, sendingSince: null };
        if (status === 401) this.deps.graphRefused?.(profile.id);
        const header = headerOf(error, 'retry-after');
        const retryAfter = retryAfterSeconds(header, this.deps.now());
        if (retryAfter !== null || status === 429) pacer.throttled(graph.mailbox, header);
        return await this.failed(item, profile, finding, retryAfter ?? undefined);
      }
    } catch (error) {
      return await this.failed(item, profile, classifyError(error, graph.context('sendMail', graph.graphRoot)), undefined);
    }
    return this.finish(item, 'sent', { lastReply: null });
  }

  /**
   * stop() ended a pacer wait inside the attempt: the attempt does not count and the item stays pending. A small
   * message was not posted (the wait comes first), so its marker goes back to what it was; a large one may have a
   * draft already, so its marker stays and the next start completes that draft.
   */
  private async notAttempted(item: RelayItem, before: RelayItemState, large: boolean): Promise<void> {
    await this.save(item, {
      ...before,
      status: 'pending',
      sendingSince: large ? (item.state.sendingSince ?? before.sendingSince) : before.sendingSince,
    });
    this.deps.log('relay.stopped-waiting', { id: item.envelope.id });
  }

  /**
   * Whether the mailbox has our copy: the Message-ID, made since the marker (less the clock skew), not a draft, and
   * sent to every envelope recipient, so an earlier, different message with a reused Message-ID does not count.
   */
  private async alreadySent(
    up: MailboxCalls,
    messageId: string,
    since: number,
    recipients: string[],
  ): Promise<boolean | 'denied'> {
    try {
      return await this.lookUp(up, messageId, since, recipients);
    } catch (error) {
      // Without Mail.ReadBasic the mailbox cannot be asked: sending again may duplicate, not sending may lose it.
      if ((error as { statusCode?: unknown }).statusCode !== 403) throw error;
      if (!this.lookupDenied.has(up.mailbox)) {
        this.lookupDenied.add(up.mailbox);
        this.deps.log('relay.marker-lookup-denied', { mailbox: up.mailbox });
      }
      // Sent again, and the queue (and `check`) says so: the admin can grant read access.
      return 'denied';
    }
  }

  /**
   * The marker's time, and never before another message with this Message-ID was sent plus the clock skew: the
   * busy set keeps two of them apart, but one sent just before this one's marker would still be in the window and
   * be taken for this one's copy (lost mail). Within that window this one is sent again: a duplicate at worst.
   */
  private lookupSince(item: RelayItem): number {
    const key = messageKey(item);
    let since = markerSince(item);
    for (const other of this.items.values()) {
      if (other === item || other.state.status !== 'sent' || other.state.finishedAt === null || messageKey(other) !== key)
        continue;
      since = Math.max(since, Date.parse(other.state.finishedAt) + 2 * MARKER_CLOCK_SKEW_MS);
    }
    return since;
  }

  private async lookUp(up: MailboxCalls, messageId: string, since: number, recipients: string[]): Promise<boolean> {
    const page = (await up.pacer.request(up.app, up.mailbox, () =>
      up.client
        .api(`${up.user}/messages`)
        .header('Prefer', IMMUTABLE)
        .filter(markerFilter(messageId, since))
        .select('id,isDraft,createdDateTime,sentDateTime,toRecipients,ccRecipients,bccRecipients')
        .top(10)
        .get(),
    )) as { value: SentCopy[] };
    const wanted = recipients.map((r) => r.toLowerCase());
    return page.value.some((m) => {
      if (m.isDraft || !madeSince(m.createdDateTime, since)) return false;
      const got = new Set(
        [...(m.toRecipients ?? []), ...(m.ccRecipients ?? []), ...(m.bccRecipients ?? [])].map((r) =>
          (r.emailAddress?.address ?? '').toLowerCase(),
        ),
      );
      return wanted.every((r) => got.has(r));
    });
  }

  private async finish(item: RelayItem, status: 'sent' | 'failed', extra: Partial<RelayItemState> = {}): Promise<void> {
    const state: RelayItemState = {
      ...item.state,
      ...extra,
      status,
      sendingSince: null,
      finishedAt: new Date(this.deps.now()).toISOString(),
      // The message file goes: the list keeps who and when (never the content).
      envelope: item.envelope,
    };
    item.state = state;
    this.deps.log(status === 'sent' ? 'relay.sent' : 'relay.failed', { id: item.envelope.id, attempts: state.attempts });
    try {
      await this.deps.queue.finishQuick(item.envelope.id, state);
    } catch (error) {
      // Delivered (or bounced) all the same: the state stays in memory, only the file work is retried later.
      this.unfinished.add(item.envelope.id);
      this.deps.log('relay.finish-failed', { id: item.envelope.id, status, reason: errorCode(error) });
    }
  }

  private async failed(item: RelayItem, profile: ProfileView, finding: Finding, retryAfter: number | undefined): Promise<void> {
    const { permanent, ...reply } = replyFor(finding, profile.name, this.options.language);
    if (permanent) return this.bounce(item, profile, reply);
    return this.retryOrBounce(item, profile, reply, retryAfter);
  }

  private async retryOrBounce(
    item: RelayItem,
    profile: ProfileView | null,
    reply: RelayReply,
    retryAfter?: number,
  ): Promise<void> {
    const now = this.deps.now();
    const age = now - Date.parse(item.envelope.acceptedAt);
    if (age >= this.options.maxAgeMs) {
      // RFC 3463 5.4.7: delivery time expired; the last reply says why.
      const expired: RelayReply = { ...reply, code: 554, enhanced: '5.4.7' };
      return this.bounce(item, profile, expired);
    }
    const attempts = Math.max(1, item.state.attempts);
    const backoff = Math.min(this.options.maxRetryMs, this.options.firstRetryMs * 2 ** Math.min(attempts - 1, 20));
    const wait = Math.max(backoff * (0.8 + Math.random() * 0.4), (retryAfter ?? 0) * 1000);
    await this.save(item, {
      ...item.state,
      status: 'pending',
      attempts,
      lastReply: reply,
      nextAttemptAt: new Date(now + wait).toISOString(),
    });
    this.deps.log('relay.deferred', { id: item.envelope.id, code: reply.code, enhanced: reply.enhanced, attempts });
  }

  /**
   * RFC 3464 report to the envelope sender (else the admin address), through the same profile. Journaled like a
   * send: the state says "bouncing" before the report goes, and a restart looks for the report's Message-ID first.
   */
  private async bounce(
    item: RelayItem,
    profile: ProfileView | null,
    reply: RelayReply,
    pacer: MailPacer = this.pacerView(),
  ): Promise<void> {
    const { envelope } = item;
    let bounced = false;
    // A bounce journaled before, or a message found at start-up (its journal may have been lost in a power cut).
    const resume = (item.state.bouncing !== undefined && item.state.bouncing !== null) || item.state.sendingSince !== null;
    const targets = [envelope.mailFrom, this.options.bounceTo].filter((a): a is string => a !== null && a !== '');
    if (profile !== null && targets.length > 0) {
      await this.save(item, { ...item.state, bouncing: reply }, true);
      let raw: Buffer;
      try {
        raw = this.deps.queue.readMessage(envelope.id);
      } catch {
        raw = Buffer.alloc(0);
      }
      for (const to of targets) {
        try {
          const graph = await this.deps.graphFor(profile);
          const up: MailboxCalls = {
            client: graph.client,
            user: `/users/${encodeURIComponent(graph.mailbox)}`,
            mailbox: graph.mailbox,
            app: profile.clientId,
            pacer,
          };
          // The report's Message-ID is ours alone: only its time bounds the lookup (it cannot predate the message).
          const dsnId = dsnMessageId(envelope, profile.senderAddress);
          const found = resume ? await this.alreadySent(up, dsnId, Date.parse(envelope.acceptedAt), []) : false;
          if (found === 'denied') item.state = { ...item.state, uncheckedResend: true };
          if (found === true) {
            this.deps.log('relay.recovered-bounce', { id: envelope.id });
            bounced = true;
            break;
          }
          const dsn = buildDsn({
            envelope,
            from: profile.senderAddress,
            to,
            reply,
            originalHeaders: originalHeaders(raw),
            now: new Date(this.deps.now()),
          });
          await pacer.message(graph.mailbox);
          await pacer.request(up.app, up.mailbox, () =>
            graph.client.api(`${up.user}/sendMail`).header('Content-Type', 'text/plain').post(dsn.toString('base64')),
          );
          bounced = true;
          break;
        } catch (error) {
          // Stopped while the bounce waited: it stays journaled ("bouncing") and the next start sends it.
          if (error instanceof PacerAborted) return;
          if ((error as { statusCode?: unknown }).statusCode === 401) this.deps.graphRefused?.(profile.id);
          // Next target; a failed bounce is shown in the list as "failed, not reported".
        }
      }
    }
    await this.finish(item, 'failed', { lastReply: reply, bounced, bouncing: null });
  }
}

/** What the marker lookup reads of a message in the mailbox. */
interface SentCopy {
  isDraft: boolean;
  createdDateTime?: string | null;
  sentDateTime?: string | null;
  toRecipients?: Array<{ emailAddress?: { address?: string } }>;
  ccRecipients?: Array<{ emailAddress?: { address?: string } }>;
  bccRecipients?: Array<{ emailAddress?: { address?: string } }>;
}

/** The marker's time, never before the message was accepted (a damaged or old state says epoch). */
function markerSince(item: RelayItem): number {
  const accepted = Date.parse(item.envelope.acceptedAt);
  const marked = Date.parse(item.state.sendingSince ?? '');
  if (!Number.isFinite(marked)) return Number.isFinite(accepted) ? accepted : 0;
  return Number.isFinite(accepted) ? Math.max(marked, accepted) : marked;
}

const messageKey = (item: RelayItem | undefined): string => (item?.envelope.messageId ?? '').toLowerCase();

// Every pump looked at every pending message: parsing each one's time anew was most of the worker's own CPU.
// Keyed by the state object and checked against its text, so a state changed in place is parsed again.
const parsedDue = new WeakMap<RelayItemState, { text: string; at: number }>();
function dueAt(state: RelayItemState): number {
  const cached = parsedDue.get(state);
  if (cached?.text === state.nextAttemptAt) return cached.at;
  const at = Date.parse(state.nextAttemptAt);
  parsedDue.set(state, { text: state.nextAttemptAt, at });
  return at;
}

/** An errno code or the error's class name: never its message (it may quote paths or content). */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code.slice(0, 40);
  return error instanceof Error ? error.name : 'unknown';
}

function headerOf(error: unknown, name: string): string | undefined {
  const headers = (error as { headers?: unknown }).headers;
  if (headers !== null && typeof headers === 'object' && typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined;
  return undefined;
}

/** When a finished item finished (its acceptance if an old state has no finish time). */
function finishedAt(item: RelayItem): number {
  const at = Date.parse(item.state.finishedAt ?? item.envelope.acceptedAt);
  return Number.isNaN(at) ? 0 : at;
}

function stubEnvelope(id: string): RelayEnvelope {
  return {
    id,
    profileId: '',
    mailFrom: '',
    rcptTo: [],
    acceptedAt: new Date(0).toISOString(),
    clientAddress: '',
    size: 0,
    messageId: '',
    addedMessageId: false,
  };
}

/**
 * Why a draft was refused (403): an app-only profile lacks the application permission; a sign-in whose token lacks
 * delegated Mail.ReadWrite needs it (and a new sign-in); one whose token holds it lacks the account's rights in the
 * mailbox, and the permission advice would send the admin the wrong way.
 */
export function draftRefusedReason(
  language: Language,
  accountType: ProfileView['accountType'],
  graph: Pick<ProfileGraph, 'delegatedScopes' | 'mailbox'>,
): string {
  if (isAppOnlyType(accountType)) return t(language, 'host:relay.mailReadWriteMissing');
  return graph.delegatedScopes?.includes(DRAFT_PERMISSION) === true
    ? t(language, 'host:relay.mailReadWriteDelegatedRefused', { mailbox: graph.mailbox })
    : t(language, 'host:relay.mailReadWriteMissingDelegated');
}
