import { join } from 'node:path';
import type { Language, ProfileView, RelaySettings } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { RelayQueueRow, RelayStatusView } from '../../../shared/ipc/contract';
import type { ProfileGraph } from '../mail/profile-graph';
import type { Cipher, Logger } from '../ports';
import { RELAY_STUCK_MS } from './relay-health';
import { RelayCredentials } from './relay-credentials';
import { relayLockOwner, RelayLockedError } from './relay-lock';
import type { RelayEnvelope, RelayItemState } from './relay-queue';
import { readQueueListing, type QueueReadFs } from './relay-queue-reader';
import { RelayConfigError } from './relay-server';
import { relayTlsNotice } from './relay-tls';
import { startRelay, type RelayHandle } from './relay-service';

export interface RelayAppDeps {
  dataDir: string;
  cipher: Cipher;
  logger: Logger;
  profiles: () => Promise<ProfileView[]>;
  graphFor: (profile: ProfileView) => Promise<ProfileGraph>;
  settings: { get(): RelaySettings; set(next: RelaySettings): void };
  language: () => Language;
  emit: (status: RelayStatusView) => void;
  now?: () => number;
  /** The listing's file reads (a spy in tests). */
  readFs?: QueueReadFs;
  /** The vault's gate for secrets without OS protection, applied to the relay's generated TLS key. */
  weakEncryptionAccepted?: () => boolean;
}

const EMPTY_COUNTS = { pending: 0, sending: 0, sent: 0, failed: 0, oldestPendingAt: null };

/** RFC 2047 encoded words (=?utf-8?B?…?= / ?Q?) of a Subject, for display only. */
export function decodeSubject(raw: string): string {
  const utf8 = Buffer.from(raw, 'latin1').toString('utf8');
  return utf8.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=(\s+(?==\?))?/g, (all, charset: string, kind: string, text: string) => {
    try {
      const bytes =
        kind.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    } catch {
      return all;
    }
  });
}

function rowOf(envelope: RelayEnvelope, state: RelayItemState, status: RelayQueueRow['status']): RelayQueueRow {
  return {
    id: envelope.id,
    profileId: envelope.profileId,
    mailFrom: envelope.mailFrom,
    rcptTo: [...envelope.rcptTo],
    subject: envelope.subject === undefined ? null : decodeSubject(envelope.subject),
    size: envelope.size,
    acceptedAt: envelope.acceptedAt,
    status,
    attempts: state.attempts,
    nextAttemptAt: state.nextAttemptAt,
    finishedAt: state.finishedAt,
    bounced: state.bounced,
    uncheckedResend: state.uncheckedResend === true,
    lastReply:
      state.lastReply === null
        ? null
        : {
            code: state.lastReply.code,
            enhanced: state.lastReply.enhanced,
            diagnosis: state.lastReply.diagnosis,
            text: state.lastReply.text,
          },
  };
}

/**
 * The relay inside the window: one at a time per data directory (a lock file; a headless `Absender relay` holding it
 * makes the panel read only), started and stopped from the panel, its settings kept in the settings store.
 */
export class RelayApp {
  private handle: RelayHandle | null = null;
  /** Every start, stop and close runs after the one before it: never two binds, never a start inside a stop. */
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private emitTimer: NodeJS.Timeout | undefined;
  private readonly credentials: RelayCredentials;

  constructor(private readonly deps: RelayAppDeps) {
    this.credentials = new RelayCredentials(deps.dataDir);
  }

  /** At app start: the relay runs again if the admin left it on (a refusal is logged, the panel shows it off). */
  async startIfEnabled(): Promise<void> {
    if (!this.deps.settings.get().enabled) return;
    try {
      await this.start({});
    } catch (error) {
      this.deps.logger.warn('relay.autostart-failed', { code: error instanceof AppError ? error.code : 'internal' });
    }
  }

  start(request: { [K in Exclude<keyof RelaySettings, 'enabled'>]?: RelaySettings[K] | undefined }): Promise<RelayStatusView> {
    const patch = Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined)) as Partial<RelaySettings>;
    return this.serial(() => this.startNow(patch));
  }

  /** Runs `op` once everything queued before it settled (whether it failed or not). */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op, op);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async startNow(patch: Partial<Omit<RelaySettings, 'enabled'>>): Promise<RelayStatusView> {
    // The host is quitting: a start queued behind the close must not leave a relay running at exit.
    if (this.closed) throw new AppError('relay-not-available');
    const wanted: RelaySettings = { ...this.deps.settings.get(), ...patch, enabled: true };
    // The autostart and a click on "on" with the same settings: one relay, not a restart.
    if (this.handle !== null && sameListen(this.deps.settings.get(), wanted)) {
      this.deps.settings.set(wanted);
      return this.status();
    }
    if (this.handle !== null) await this.closeHandle();
    const language = this.deps.language();
    try {
      this.handle = await startRelay(
        {
          profiles: { list: this.deps.profiles },
          batch: { graphFor: this.deps.graphFor },
          dataDir: this.deps.dataDir,
          cipher: this.deps.cipher,
          ...(this.deps.weakEncryptionAccepted ? { weakEncryptionAccepted: this.deps.weakEncryptionAccepted } : {}),
        },
        {
          listen: { host: wanted.host, port: wanted.port, allowClients: wanted.allowClients },
          language,
          ...(this.deps.now ? { now: this.deps.now } : {}),
          log: (event, data) => {
            this.deps.logger.info(event, data);
            this.changed();
          },
        },
      );
    } catch (error) {
      throw this.refusal(error, wanted);
    }
    this.deps.settings.set(wanted);
    this.changed();
    return this.status();
  }

  private refusal(error: unknown, wanted: RelaySettings): AppError {
    const where = { host: wanted.host, port: String(wanted.port) };
    if (error instanceof RelayLockedError) {
      // The same address held by the other relay reads as what it is for the admin: the address is in use.
      const same = error.owner.host === wanted.host && error.owner.port === wanted.port;
      return new AppError(same ? 'relay-address-in-use' : 'relay-locked', {
        params: same ? where : { pid: String(error.owner.pid), host: error.owner.host, port: String(error.owner.port) },
      });
    }
    if ((error as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE')
      return new AppError('relay-address-in-use', { params: where });
    if (error instanceof RelayConfigError || (error instanceof Error && /CIDR/.test(error.message)))
      return new AppError('relay-allowlist-required', { params: { host: wanted.host } });
    return new AppError('internal', { cause: error });
  }

  stop(): Promise<RelayStatusView> {
    return this.serial(async () => {
      await this.closeHandle();
      this.deps.settings.set({ ...this.deps.settings.get(), enabled: false });
      this.changed();
      return this.status();
    });
  }

  /** The host's shutdown: the relay stops, the setting stays (it runs again at the next start); later starts refused. */
  close(): Promise<void> {
    this.closed = true;
    if (this.emitTimer !== undefined) clearTimeout(this.emitTimer);
    return this.serial(() => this.closeHandle());
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }

  async status(): Promise<RelayStatusView> {
    const rows = await this.rows();
    const counts = { ...EMPTY_COUNTS } as RelayStatusView['counts'];
    const stuck: Record<string, number> = {};
    const now = this.deps.now?.() ?? Date.now();
    for (const row of rows) {
      counts[row.status] += 1;
      const waiting = row.status === 'pending' || row.status === 'sending';
      if (waiting && (counts.oldestPendingAt === null || row.acceptedAt < counts.oldestPendingAt))
        counts.oldestPendingAt = row.acceptedAt;
      if (row.status === 'failed' || (waiting && now - Date.parse(row.acceptedAt) > RELAY_STUCK_MS))
        stuck[row.profileId] = (stuck[row.profileId] ?? 0) + 1;
    }
    const listening = this.handle?.listening ?? null;
    const owner = listening === null ? relayLockOwner(this.deps.dataDir) : null;
    const temporary = this.handle?.tlsTemporary ?? null;
    return {
      running: listening !== null,
      lockedBy: owner === null ? null : { pid: owner.pid, host: owner.host, port: owner.port },
      settings: this.deps.settings.get(),
      address: listening?.address ?? null,
      port: listening?.port ?? null,
      fingerprint: listening?.fingerprint ?? null,
      counts,
      logins: this.credentials.list().map((c) => ({ profileId: c.profileId, user: c.user, createdAt: c.createdAt })),
      loginsDamaged: this.loginsDamaged(),
      tlsRegenerated: this.tlsRegenerated(now),
      // Another process's relay tells its temporary certificate in its lock record (fingerprints only).
      tlsTemporary:
        listening !== null && temporary !== null
          ? { fingerprint: listening.fingerprint, storedFingerprint: temporary.storedFingerprint, reason: temporary.reason }
          : (owner?.tlsTemporary ?? null),
      stuck,
    };
  }

  /** Full paths: the admin finds the files without knowing where the data directory is. */
  private loginsDamaged(): NonNullable<RelayStatusView['loginsDamaged']> | null {
    const damage = this.credentials.damage();
    const dir = join(this.deps.dataDir, 'relay');
    return damage === null ? null : { file: join(dir, 'credentials.json'), kept: join(dir, damage.file), at: damage.at };
  }

  private tlsRegenerated(now: number): NonNullable<RelayStatusView['tlsRegenerated']> | null {
    const notice = relayTlsNotice(this.deps.dataDir, new Date(now));
    return notice === null ? null : { ...notice, keptFile: join(this.deps.dataDir, 'relay', notice.keptFile) };
  }

  async list(profileId?: string): Promise<RelayQueueRow[]> {
    const rows = await this.rows();
    return (profileId === undefined ? rows : rows.filter((r) => r.profileId === profileId)).sort((a, b) =>
      a.id < b.id ? 1 : -1,
    );
  }

  /**
   * Running here: the worker's memory holds every envelope and state, so no file is read. Otherwise the queue
   * directory, read without changing it (a relay in another process may be working on it): trailers and states only.
   */
  private async rows(): Promise<RelayQueueRow[]> {
    const handle = this.handle;
    const items =
      handle !== null
        ? handle.worker.snapshot()
        : (await readQueueListing(this.deps.dataDir, this.deps.readFs)).map((i) => ({ ...i, status: i.state.status }));
    // A finished item from before envelopes were kept in its state has nothing to show.
    return items.filter((i) => i.envelope.profileId !== '').map((i) => rowOf(i.envelope, i.state, i.status));
  }

  private worker(): NonNullable<RelayHandle['worker']> {
    const handle = this.handle;
    if (handle === null) {
      const owner = relayLockOwner(this.deps.dataDir);
      throw new AppError(owner === null ? 'relay-not-available' : 'relay-locked', { params: lockParams(owner) });
    }
    return handle.worker;
  }

  async retryNow(id: string): Promise<RelayQueueRow[]> {
    if (!this.worker().retryNow(id)) throw new AppError('not-found');
    this.changed();
    return await this.list();
  }

  async remove(id: string): Promise<RelayQueueRow[]> {
    if (!this.worker().remove(id)) throw new AppError('not-found');
    this.changed();
    return await this.list();
  }

  async newPassword(profileId: string): Promise<{ user: string; password: string }> {
    this.writable();
    const profile = (await this.deps.profiles()).find((p) => p.id === profileId);
    if (profile === undefined) throw new AppError('not-found');
    const aliases = this.credentials.list().find((c) => c.profileId === profileId)?.aliases ?? [];
    const password = await this.credentials.issue(
      profileId,
      profile.senderAddress,
      new Date(this.deps.now?.() ?? Date.now()),
      aliases,
    );
    this.deps.logger.info('relay.login-created', { profileId });
    this.changed();
    return { user: profile.senderAddress.toLowerCase(), password };
  }

  async revoke(profileId: string): Promise<RelayStatusView> {
    this.writable();
    if (!this.credentials.revoke(profileId)) throw new AppError('not-found');
    this.deps.logger.info('relay.login-revoked', { profileId });
    this.changed();
    return this.status();
  }

  /** Logins change what the other process's relay accepts too: they stay the admin's to manage there (CLI). */
  private writable(): void {
    const owner = this.handle === null ? relayLockOwner(this.deps.dataDir) : null;
    if (owner !== null) throw new AppError('relay-locked', { params: lockParams(owner) });
  }

  /** Many events in a burst (a batch of ERP mail) reach the window as one. */
  private changed(): void {
    if (this.emitTimer !== undefined) return;
    this.emitTimer = setTimeout(() => {
      this.emitTimer = undefined;
      this.status()
        .then((status) => this.deps.emit(status))
        .catch((error: unknown) =>
          this.deps.logger.warn('relay.status-unreadable', { reason: error instanceof Error ? error.name : 'unknown' }),
        );
    }, 100);
    this.emitTimer.unref();
  }
}

/** The listener would be the same: address, port and allowed clients. */
const sameListen = (a: RelaySettings, b: RelaySettings): boolean =>
  a.host === b.host && a.port === b.port && a.allowClients.join(',') === b.allowClients.join(',');

const lockParams = (owner: RelayStatusView['lockedBy']): Record<string, string> =>
  owner === null ? {} : { pid: String(owner.pid), host: owner.host, port: String(owner.port) };
