import { basename } from 'node:path';
import { openCoreStores, type CoreStores, type StoreStartup } from './storage/core-stores';
import { collectOrphanSecrets } from './storage/orphans';
import type { AbsenderApi, ApiEvents } from '../../shared/ipc/contract';
import { HELP_URLS } from '../../shared/help';
import { redactText } from './logging/redact';
import { systemTimer, type EventSink, type HostInfo, type OsPorts, type SystemBrowser } from './ports';
import type { AppInfo, Language, ProfileView } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { RelayApp } from './relay/relay-app';
import { profileGraph, type ProfileGraph } from './mail/profile-graph';
import { writeFailureReason } from './storage/write-guard';
import { KeepAliveScheduler } from './keep-alive/keep-alive';
import { ClientCredentialsTokens } from './auth/client-credentials';
import { DEFAULT_SIGN_IN_TIMEOUT_MS, SignInService } from './auth/sign-in-service';
import { runConnectionTest } from './connection-test/connection-tests';
import { DEFAULT_NETWORK, type NetworkSettings } from './net/endpoints';
import { ProfileRepository, type TestRecord } from './profiles/profile-repository';
import { memoryStore, ProfileHistory, recordedProfiles } from './history/profile-history';
import { applyImport, buildExport, previewImport, type TransferDeps } from './transfer/profile-transfer';
import { JOURNAL_FILE, mapProfileRecords } from './storage/profile-journal';
import { ProfileService } from './profiles/profile-service';
import { renewSecret } from './profiles/renew-secret';
import { CertificateService } from './certificates/certificate-service';
import { SettingsService, type SettingsDefaults } from './settings/settings-service';
import { SetupService } from './setup/setup-service';
import { SecretVault } from './vault/secret-vault';
import { HealthWatch } from './test-all/health-watch';
import { forgetDraftPath } from './cli/draft-path';
import { SendJournal } from './cli/send-journal';
import { realSleep, runTestAll } from './test-all/test-all';
import type { SaveProfileRequest, TestAllResult, TestAllRow } from '../../shared/ipc/contract';

export type { CoreStores, StoreStartup } from './storage/core-stores';

export interface CoreDeps {
  stores: CoreStores;
  os: OsPorts;
  events: { emit: EventSink };
  host: HostInfo;
  /** The log file sink (FileLogSink): its path and first failed write are shown in the window. */
  logFile?: {
    readonly path: string;
    failure(): { code: string; path: string } | null;
    onFailure?(listener: () => void): () => void;
  };
  /** Endpoints, timeouts and retry bounds; the emulator's endpoints in tests, Microsoft's otherwise. */
  network?: Partial<NetworkSettings>;
  /** Waits for a Retry-After inside "test all" (setTimeout by default; tests count the waits). */
  sleep?: (ms: number) => Promise<void>;
  /** How long the sign-in window may stay open (default 5 min); then the attempt is cancelled. */
  signInTimeoutMs?: number;
  /**
   * The window runs the SMTP relay, its files (queue, logins, TLS key, lock) under `<dataDir>/relay`, the place
   * `Absender relay` uses; without it the relay methods answer relay-not-available. `defaults` stand until the admin
   * first saves the relay settings (the test host's free port); the SettingsService applies them, so the relay, the
   * panel and settings.get read the same.
   */
  relay?: { defaults?: SettingsDefaults['relay'] };
  /**
   * The data directory (the stores' directory; required with `relay`): the relay's files, and the per-profile files
   * the commands keep there (draft-path markers, send journal), which go with a deleted profile. One source, so the
   * relay of the window and the commands can never look in two places.
   */
  dataDir?: string;
}

const noSystemBrowser: SystemBrowser = { open: () => Promise.reject(new Error('this host has no system browser')) };

export interface Core {
  api: AbsenderApi;
  /** Background refresh of signed-in Modern Authentication profiles; the host starts it once the app runs. */
  keepAlive: KeepAliveScheduler;
  /** The daily "test all" that notifies about profiles going bad; the host starts it with the window. */
  healthWatch: HealthWatch;
  /** What the batch commands use beside the API (never reachable over IPC). */
  batch: { graphFor(profile: ProfileView): Promise<ProfileGraph> };
  /** The window's SMTP relay: the host starts it if it was left on, and closes it at quit (null without a data dir). */
  relay: RelayApp | null;
}

/**
 * Store start-up (DS-3) and composition in one call, for hosts with nothing to do in between. The
 * Electron host opens its stores in a start-up step of their own (before the keychain) and calls createCore.
 */
export async function startCore(
  deps: Omit<CoreDeps, 'stores'> & { storeFiles: StoreStartup },
): Promise<Core & { stores: CoreStores }> {
  const { storeFiles, ...rest } = deps;
  const stores = await openCoreStores(storeFiles);
  return { ...createCore({ dataDir: storeFiles.dir, ...rest, stores }), stores };
}

/** The composition of the core: both hosts call this with their own ports. */
export function createCore(deps: CoreDeps): Core {
  const { stores, os, events } = deps;
  const settings = new SettingsService(stores.settings, { relay: deps.relay?.defaults });
  // Deletions reach the `.bak.json` files too (DS-7).
  const vault = new SecretVault(stores.secrets, os.cipher, () => settings.get().acceptedWeakEncryption, stores.backups?.secrets);
  const history = new ProfileHistory(stores.history ?? memoryStore(), os.logger, stores.backups?.history);
  // Every write of a profile (save, test, sign-in, sign-out) passes the history on its way to the records.
  const records = recordedProfiles(stores.profileRecords ?? mapProfileRecords(stores.profiles), history, () => os.clock.now());
  const repo = new ProfileRepository(stores.profiles, os.clock, stores.backups?.profiles, records);
  const profiles = new ProfileService(repo, vault, () => os.clock.now());
  if (stores.results) {
    const profilesResult = stores.results.find((r) => r.name === 'profiles');
    // A brand-new profiles file next to existing secrets means the profiles went missing: keep the secrets.
    const profilesState = profilesResult?.created === true ? 'started-empty' : (profilesResult?.state ?? 'ok');
    // Skipped journal lines may have been profiles whose secrets must stay until the admin looked at the copy.
    if (profilesResult?.damagedJournalFile)
      os.logger.warn('profile journal had damaged lines', { file: profilesResult.damagedJournalFile });
    collectOrphanSecrets({
      profilesState: profilesResult?.damagedJournalFile ? 'journal-damaged' : profilesState,
      liveProfileIds: () => repo.list().map((p) => p.id),
      vault,
    });
  }
  // The admin's federation servers are read per sign-in, so a change applies to the next attempt.
  const network: NetworkSettings = { ...DEFAULT_NETWORK, ...deps.network, signInHosts: () => settings.get().signInHosts };
  const transport = os.transport;
  // The stored proxy setting from the first request on; settings.update re-applies it (no restart).
  transport.useProxy(settings.get().proxy);
  const tokens = new ClientCredentialsTokens(os.logger, network.requestTimeoutMs, transport);
  const delegated = new SignInService({
    repo,
    vault,
    network,
    transport,
    logger: os.logger,
    clock: os.clock,
    signInWindow: os.signInWindow,
    systemBrowser: os.systemBrowser ?? noSystemBrowser,
    signInTimeoutMs: deps.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS,
    timer: os.signInTimer ?? systemTimer,
    emit: (p) => events.emit('signIn.state', p),
  });
  const setup = new SetupService(repo, os.clock, (url) => os.opener(url));
  const testDeps = {
    repo,
    vault,
    tokens,
    delegated,
    network,
    transport,
    clock: os.clock,
    emit: (p: ApiEvents['tests.progress']) => events.emit('tests.progress', p),
  };

  // A failed log write while the app runs reaches the window once, not only one found at start-up.
  const logFile = deps.logFile;
  if (logFile?.onFailure && logFile.failure() === null) logFile.onFailure(() => events.emit('app.logFailure', logInfo(logFile)));

  const keepAlive = new KeepAliveScheduler({
    timer: os.timer ?? systemTimer,
    clock: os.clock,
    logger: os.logger,
    intervalDays: () => settings.get().keepAliveDays,
    profiles: () => repo.list(),
    refresh: (profileId) => delegated.keepAlive(profileId),
  });

  const certificates = new CertificateService({
    repo,
    profiles,
    clock: os.clock,
    forgetTokens: (id) => tokens.forget(id),
    testNext: (run) => runConnectionTest(testDeps, run, { nextCertificate: true }),
  });
  // Without a test message; the batch's steps are not pushed as tests.progress (that is the single test's panel).
  const batchTestDeps = { ...testDeps, emit: () => undefined };
  let testAllRun: Promise<TestAllResult> | undefined;
  const testAll = (): Promise<TestAllResult> => {
    // One batch at a time: a second click (or the daily check) joins the one that runs.
    // The results are written together when the batch ends: 50 fsyncs on the event loop would hold up the others' replies.
    const results: TestRecord[] = [];
    testAllRun ??= runTestAll({
      clock: os.clock,
      profiles: () => repo.list(),
      test: (profileId) => runConnectionTest({ ...batchTestDeps, deferRecord: (r) => results.push(r) }, { profileId }),
      sleep: deps.sleep ?? realSleep,
      progress: (p) => events.emit('tests.allProgress', p),
    }).finally(() => {
      testAllRun = undefined;
      try {
        repo.recordTests(results);
      } catch (error) {
        // The summary still reaches the window; only the list's badges keep their earlier state.
        os.logger.warn('test all: results not stored', { error: error instanceof Error ? error.name : 'unknown' });
      }
    });
    return testAllRun;
  };
  // The admin's saved language, else the OS's: notifications and relay replies speak it.
  const adminLanguage = (): Language => settings.get().language ?? (deps.host.osLanguage.startsWith('de') ? 'de' : 'en');
  const healthWatch = new HealthWatch({
    timer: os.healthTimer ?? os.timer ?? systemTimer,
    clock: os.clock,
    logger: os.logger,
    notifier: os.notifier ?? { notify: () => undefined },
    language: adminLanguage,
    testAll,
    baseline: () => new Map(repo.list().map((p): [string, TestAllRow['state']] => [p.id, p.lastTest?.outcome ?? 'ok'])),
  });

  const saveProfile = async (
    draft: SaveProfileRequest['draft'],
    clientSecret: string | undefined,
    imported = false,
  ): Promise<ProfileView> => {
    // An edit ends a running sign-in for that profile: its result would belong to the old values.
    if (draft.id !== undefined) delegated.cancel(draft.id);
    const saved = imported ? await profiles.saveImported(draft) : await profiles.save(draft, clientSecret);
    // Recorded as a fact, never a value or a hint of it.
    if (saved.accountType === 'client-secret' && clientSecret?.trim())
      history.append(saved.id, [{ kind: 'secret-replaced', at: os.clock.now().toISOString() }]);
    if (saved.delegated === null) delegated.forget(saved.id);
    tokens.forget(saved.id); // a changed secret, app or tenant must not be answered from the old cache
    return saved;
  };
  const removeProfile = async (id: string, revision: number): Promise<void> => {
    delegated.cancel(id);
    await profiles.remove(id, revision); // the vault's deleteAll takes the token cache too, the records the history
    delegated.forget(id);
    tokens.forget(id); // and the profile's cached app-only tokens go with it
    if (deps.dataDir !== undefined) forgetCommandFiles(deps.dataDir, id);
  };
  const forgetCommandFiles = (dataDir: string, id: string): void => {
    try {
      forgetDraftPath(dataDir, id);
      new SendJournal(dataDir).forgetProfile(id);
    } catch (error) {
      // The profile is gone already; a file left behind names no secret and is logged for the admin.
      os.logger.warn('profile delete: command files left', { error: error instanceof Error ? error.name : 'unknown' });
    }
  };
  const transfer: TransferDeps = {
    list: () => repo.list(),
    save: (draft) => saveProfile(draft, undefined),
    replace: (existing, draft) => saveProfile({ ...draft, id: existing.id, revision: existing.revision }, undefined, true),
    history,
    now: () => os.clock.now(),
  };
  const graphFor = (profile: ProfileView) => profileGraph({ tokens, delegated, vault, network, transport }, profile);
  const relayDir = deps.relay === undefined ? undefined : deps.dataDir;
  if (deps.relay !== undefined && relayDir === undefined) throw new Error('the relay needs the data directory (dataDir)');
  const relay =
    relayDir === undefined
      ? null
      : new RelayApp({
          dataDir: relayDir,
          cipher: os.cipher,
          weakEncryptionAccepted: () => settings.get().acceptedWeakEncryption,
          logger: os.logger,
          profiles: () => Promise.resolve(profiles.list()),
          graphFor,
          settings: { get: () => settings.get().relay, set: (next) => void settings.update({ relay: next }) },
          language: adminLanguage,
          emit: (status) => events.emit('relay.changed', status),
          now: () => os.clock.now().getTime(),
        });
  const relayApp = (): RelayApp => {
    if (relay === null) throw new AppError('relay-not-available');
    return relay;
  };

  const api: AbsenderApi = {
    app: {
      openHelp: (req) => os.opener(HELP_URLS[req.topic]),
      copy: (req) => os.clipboard.writeText(redactText(req.text)),
      info: () =>
        Promise.resolve({
          ...deps.host,
          encryption: { available: os.cipher.isAvailable(), backend: os.cipher.backend() },
          storage: (stores.results ?? []).flatMap((r) => [
            ...(r.state === 'restored-from-backup' || r.state === 'started-empty'
              ? [
                  {
                    file: basename(r.file),
                    state: r.state,
                    corruptFile: r.corruptFile ? basename(r.corruptFile) : null,
                    backupFile: r.backupFile ? basename(r.backupFile) : null,
                  },
                ]
              : []),
            ...(r.damagedJournalFile
              ? [{ file: JOURNAL_FILE, state: 'journal-damaged' as const, corruptFile: r.damagedJournalFile, backupFile: null }]
              : []),
          ]),
          ...(deps.logFile ? { log: logInfo(deps.logFile) } : {}),
        }),
    },
    settings: {
      get: () => Promise.resolve(settings.get()),
      update: (req) => {
        const next = settings.update({
          ...(req.language !== undefined ? { language: req.language } : {}),
          ...(req.acceptedWeakEncryption !== undefined ? { acceptedWeakEncryption: req.acceptedWeakEncryption } : {}),
          ...(req.keepAliveDays !== undefined ? { keepAliveDays: req.keepAliveDays } : {}),
          ...(req.proxy !== undefined ? { proxy: req.proxy } : {}),
          ...(req.signInHosts !== undefined ? { signInHosts: req.signInHosts } : {}),
          ...(req.manualHintsCollapsed !== undefined ? { manualHintsCollapsed: req.manualHintsCollapsed } : {}),
        });
        transport.useProxy(next.proxy);
        return Promise.resolve(next);
      },
    },
    profiles: {
      list: () => Promise.resolve(profiles.list()),
      save: (req) => saveProfile(req.draft, req.clientSecret),
      delete: (req) => removeProfile(req.id, req.revision),
      duplicate: (req) => Promise.resolve(profiles.duplicate(req.id)),
      export: (req) => settle(() => buildExport(transfer, req.includeHistory)),
      importPreview: (req) => settle(() => previewImport(transfer, req.text)),
      importApply: (req) => applyImport(transfer, req.text, req.choices),
      history: (req) => settle(() => history.list(repo.get(req.profileId).id)),
    },
    signIn: {
      start: (req) => delegated.signIn(req.profileId),
      signOut: (req) => Promise.resolve(delegated.signOut(req.profileId)),
      cancel: (req) => Promise.resolve(delegated.cancel(req.profileId)),
    },
    tests: { run: async (req) => setup.learnFromTest(await runConnectionTest(testDeps, req)), runAll: () => testAll() },
    certificates: {
      create: (req) => certificates.create(req),
      import: (req) => certificates.import(req),
      export: (req) => certificates.export(req),
      testNext: (req) => certificates.testNext(req),
      switchNext: (req) => certificates.switchNext(req),
    },
    setup: {
      update: (req) => Promise.resolve(setup.update(req)),
      openAdminConsent: (req) => setup.openAdminConsent(req.profileId),
    },
    secrets: {
      renew: async (req) => {
        const result = await renewSecret(
          {
            repo,
            profiles,
            test: (run, candidate) => runConnectionTest(testDeps, run, candidate),
            forgetTokens: (id) => tokens.forget(id),
          },
          req,
        );
        if (result.outcome === 'renewed')
          history.append(req.profileId, [{ kind: 'secret-renewed', at: os.clock.now().toISOString() }]);
        return result;
      },
    },
    relay: {
      status: () => Promise.resolve(relayApp().status()),
      start: (req) => relayApp().start(req ?? {}),
      stop: () => relayApp().stop(),
      list: (req) => Promise.resolve(relayApp().list(req?.profileId)),
      retryNow: (req) => Promise.resolve(relayApp().retryNow(req.id)),
      remove: (req) => Promise.resolve(relayApp().remove(req.id)),
      newPassword: (req) => relayApp().newPassword(req.profileId),
      revoke: (req) => Promise.resolve(relayApp().revoke(req.profileId)),
    },
  };
  const batch = { graphFor };
  return { api, keepAlive, healthWatch, batch, relay };
}

/** A refusal becomes a rejected promise, as from every other method, not a synchronous throw. */
const settle = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));

function logInfo(sink: NonNullable<CoreDeps['logFile']>): NonNullable<AppInfo['log']> {
  const failure = sink.failure();
  return {
    path: failure?.path ?? sink.path,
    failure: failure ? { code: failure.code, reason: writeFailureReason(failure.code) } : null,
  };
}
