import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Language, ProfileView, RelaySettings } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { RelayQueueRow, RelayStatusView } from '../../../shared/ipc/contract';
import type { ProfileGraph } from '../mail/profile-graph';
import type { Cipher, Logger } from '../ports';
import { RELAY_STUCK_MS } from './relay-health';
import { RelayCredentials } from './relay-credentials';
import { relayLockOwner, RelayLockedError } from './relay-lock';
import { RelayQueue, type RelayEnvelope, type RelayItemState } from './relay-queue';
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
  private starting: Promise<RelayStatusView> | null = null;
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
    this.starting ??= this.startNow(patch).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async startNow(patch: Partial<Omit<RelaySettings, 'enabled'>>): Promise<RelayStatusView> {
    const wanted: RelaySettings = { ...this.deps.settings.get(), ...patch, enabled: true };
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

  async stop(): Promise<RelayStatusView> {
    await this.starting?.catch(() => undefined);
    await this.closeHandle();
    this.deps.settings.set({ ...this.deps.settings.get(), enabled: false });
    this.changed();
    return this.status();
  }

  /** The host's shutdown: the relay stops, the setting stays (it runs again at the next start). */
  async close(): Promise<void> {
    if (this.emitTimer !== undefined) clearTimeout(this.emitTimer);
    await this.starting?.catch(() => undefined);
    await this.closeHandle();
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }

  status(): RelayStatusView {
    const rows = this.rows();
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
    return {
      running: listening !== null,
      lockedBy: listening === null ? relayLockOwner(this.deps.dataDir) : null,
      settings: this.deps.settings.get(),
      address: listening?.address ?? null,
      port: listening?.port ?? null,
      fingerprint: listening?.fingerprint ?? null,
      counts,
      logins: this.credentials.list().map((c) => ({ profileId: c.profileId, user: c.user, createdAt: c.createdAt })),
      loginsDamaged: this.loginsDamaged(),
      tlsRegenerated: this.tlsRegenerated(now),
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

  list(profileId?: string): RelayQueueRow[] {
    const rows = this.rows();
    return (profileId === undefined ? rows : rows.filter((r) => r.profileId === profileId)).sort((a, b) =>
      a.id < b.id ? 1 : -1,
    );
  }

  private rows(): RelayQueueRow[] {
    const handle = this.handle;
    if (handle !== null) {
      const entries = new Map(handle.worker.list().map((e) => [e.id, e]));
      return this.readDisk().map((row) => {
        const live = entries.get(row.id);
        return live === undefined
          ? row
          : { ...row, status: live.status, attempts: live.attempts, nextAttemptAt: live.nextAttemptAt };
      });
    }
    return this.readDisk();
  }

  /** The queue directory read without changing it: a relay in another process may be working on it. */
  private readDisk(): RelayQueueRow[] {
    // Reading must not create the directory: the relay never ran here, so there is nothing to show.
    if (!existsSync(join(this.deps.dataDir, 'relay', 'queue'))) return [];
    let queue: RelayQueue;
    try {
      queue = new RelayQueue(this.deps.dataDir);
    } catch {
      return [];
    }
    const rows: RelayQueueRow[] = [];
    const seen = new Set<string>();
    for (const id of queue.ids()) {
      try {
        const envelope = queue.readEnvelope(id);
        const state = queue.readState(id, envelope);
        rows.push(rowOf(envelope, state, state.status));
        seen.add(id);
      } catch {
        // Being written or damaged: the relay itself reports it.
      }
    }
    for (const id of queue.stateIds()) {
      if (seen.has(id)) continue;
      try {
        const state = queue.readState(id);
        if (state.envelope !== undefined) rows.push(rowOf(state.envelope, state, state.status));
      } catch {
        // As above.
      }
    }
    return rows;
  }

  private worker(): NonNullable<RelayHandle['worker']> {
    const handle = this.handle;
    if (handle === null)
      throw new AppError(this.status().lockedBy === null ? 'relay-not-available' : 'relay-locked', {
        params: lockParams(this.status().lockedBy),
      });
    return handle.worker;
  }

  retryNow(id: string): RelayQueueRow[] {
    if (!this.worker().retryNow(id)) throw new AppError('not-found');
    this.changed();
    return this.list();
  }

  remove(id: string): RelayQueueRow[] {
    if (!this.worker().remove(id)) throw new AppError('not-found');
    this.changed();
    return this.list();
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

  revoke(profileId: string): RelayStatusView {
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
      try {
        this.deps.emit(this.status());
      } catch (error) {
        this.deps.logger.warn('relay.status-unreadable', { reason: error instanceof Error ? error.name : 'unknown' });
      }
    }, 100);
    this.emitTimer.unref();
  }
}

const lockParams = (owner: RelayStatusView['lockedBy']): Record<string, string> =>
  owner === null ? {} : { pid: String(owner.pid), host: owner.host, port: String(owner.port) };
