import type { Language, ProfileView } from '../../../shared/domain';
import { t } from '../../../shared/i18n/translate';
import { abortableSleep, MailPacer } from '../mail/pacing';
import { ProfileGraphReuse, type ProfileGraph } from '../mail/profile-graph';
import type { Cipher } from '../ports';
import { RelayCredentials } from './relay-credentials';
import { RelayQueue } from './relay-queue';
import {
  DEFAULT_LISTEN,
  startRelayServer,
  type RelayListening,
  type RelayListenOptions,
  type RelayProfile,
} from './relay-server';
import { acquireRelayLock } from './relay-lock';
import { loadRelayTls, type RelayTlsTemporary } from './relay-tls';
import { RelayWorker, type RelayWorkerOptions } from './relay-worker';

/** What the relay needs from the core: the profiles, their Graph clients, the data directory and the OS cipher. */
export interface RelayCore {
  profiles: { list(): Promise<ProfileView[]> };
  batch: { graphFor(profile: ProfileView): Promise<ProfileGraph> };
  dataDir: string;
  cipher: Cipher;
  /** The admin accepted storing secrets without OS protection (settings): the TLS key follows the vault's gate. */
  weakEncryptionAccepted?: () => boolean;
}

export interface RelayStartOptions {
  listen?: Partial<RelayListenOptions>;
  worker?: Partial<RelayWorkerOptions>;
  /** The admin's certificate (PEM); without it a generated one whose fingerprint is shown. */
  tls?: { key: string; cert: string };
  /** Exchange's mailbox limits; default a pacer of its own on `now` (the relay runs in its own process). */
  pacer?: MailPacer;
  language: Language;
  now?: () => number;
  log?: (event: string, data: Record<string, string | number | boolean>) => void;
}

/** A running relay: the listener, the worker and what a panel shows (status, counts, list, retry, delete). */
export interface RelayHandle {
  listening: RelayListening;
  worker: RelayWorker;
  credentials: RelayCredentials;
  /** This run serves a temporary certificate (`listening.fingerprint`): the stored one waits for its cipher. */
  tlsTemporary: RelayTlsTemporary | null;
  close(): Promise<void>;
}

/** The translator's reason a profile cannot send at all, checked at MAIL FROM (so the ERP gets a 451 at once). */
export function unusableReason(profile: ProfileView, language: Language): string | null {
  if (profile.accountType === 'client-secret' && !profile.secret.hasSecret)
    return t(language, 'diagnostics:aad-secret-missing.title');
  if (profile.accountType === 'modern-auth' && profile.delegated === null) return t(language, 'host:relay.notSignedIn');
  return null;
}

export async function startRelay(core: RelayCore, options: RelayStartOptions): Promise<RelayHandle> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const listen: RelayListenOptions = { ...DEFAULT_LISTEN, ...options.listen };
  // Before anything reads the queue: a second relay on it would send its messages a second time.
  const lock = acquireRelayLock(core.dataDir, listen);
  try {
    return await startLocked(core, options, listen, lock, now, log);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startLocked(
  core: RelayCore,
  options: RelayStartOptions,
  listen: RelayListenOptions,
  lock: ReturnType<typeof acquireRelayLock>,
  now: () => number,
  log: NonNullable<RelayStartOptions['log']>,
): Promise<RelayHandle> {
  const queue = new RelayQueue(core.dataDir);
  const credentials = new RelayCredentials(core.dataDir);
  const hostNames = ['localhost', listen.host, ...(listen.host === '127.0.0.1' ? [] : ['127.0.0.1'])];
  const tls = await loadRelayTls(
    {
      dataDir: core.dataDir,
      cipher: core.cipher,
      hostNames,
      now: new Date(now()),
      ...(core.weakEncryptionAccepted ? { weakEncryptionAccepted: core.weakEncryptionAccepted } : {}),
      log,
    },
    options.tls,
  );
  const damage = credentials.damage();
  if (damage !== null) log('relay.logins-damaged', { kept: damage.file });
  const profileById = async (id: string) => (await core.profiles.list()).find((p) => p.id === id) ?? null;
  let listening: RelayListening | undefined;
  // One client per profile for the stream of messages (not one per message): see ProfileGraphReuse.
  const graphs = new ProfileGraphReuse((p) => core.batch.graphFor(p), now);
  const worker = new RelayWorker(
    {
      queue,
      profile: profileById,
      graphFor: (p) => graphs.graphFor(p),
      graphRefused: (id) => graphs.forget(id),
      pacer: options.pacer ?? new MailPacer({ now, sleep: abortableSleep }),
      now,
      log,
      listenerBusy: () => (listening?.openSessions() ?? 0) > 0,
    },
    { language: options.language, ...options.worker },
  );
  worker.start();
  const relayProfile = async (id: string): Promise<RelayProfile | null> => {
    const profile = await profileById(id);
    if (profile === null) return null;
    const aliases = credentials.list().find((c) => c.profileId === id)?.aliases ?? [];
    return {
      id,
      name: profile.name,
      senderAddress: profile.senderAddress,
      aliases,
      unusable: unusableReason(profile, options.language),
    };
  };
  try {
    listening = await startRelayServer(listen, {
      queue,
      credentials,
      profile: relayProfile,
      tls,
      now,
      accepted: (e) => worker.enqueue(e),
      log,
    });
  } catch (error) {
    await worker.stop();
    throw error;
  }
  const temporary = tls.temporary ?? null;
  lock.update(
    listening.port,
    temporary === null
      ? undefined
      : { fingerprint: tls.fingerprint, storedFingerprint: temporary.storedFingerprint, reason: temporary.reason },
  );
  return {
    listening,
    worker,
    credentials,
    tlsTemporary: temporary,
    async close() {
      await listening.close();
      await worker.stop();
      lock.release();
    },
  };
}
