import { basename } from 'node:path';
import type { StoreFileResult } from './storage/store-bootstrap';
import { collectOrphanSecrets } from './storage/orphans';
import type { AbsenderApi, ApiEvents } from '../../shared/ipc/contract';
import { HELP_URLS } from '../../shared/help';
import { redactText } from './logging/redact';
import {
  systemTimer,
  type Cipher,
  type Clock,
  type HostInfo,
  type HttpTransport,
  type KeyValueStore,
  type Logger,
  type SignInWindow,
  type SystemBrowser,
  type Timer,
} from './ports';
import { KeepAliveScheduler } from './keep-alive/keep-alive';
import { ClientCredentialsTokens } from './auth/client-credentials';
import { DEFAULT_SIGN_IN_TIMEOUT_MS, DelegatedAuth } from './auth/delegated-auth';
import { runConnectionTest } from './connection-test/connection-tests';
import { DEFAULT_NETWORK, type NetworkSettings } from './net/endpoints';
import { ProfileRepository } from './profiles/profile-repository';
import { ProfileService } from './profiles/profile-service';
import { renewSecret } from './profiles/renew-secret';
import { SettingsService } from './settings/settings-service';
import { SecretVault } from './vault/secret-vault';

export interface CoreDeps {
  profileStore: KeyValueStore;
  secretStore: KeyValueStore;
  settingsStore: KeyValueStore;
  cipher: Cipher;
  clock: Clock;
  logger: Logger;
  hostInfo: HostInfo;
  /** From openStoreFiles(): what start-up found; orphan ciphertexts are collected when profiles loaded cleanly (DS-6). */
  storeResults?: readonly StoreFileResult[];
  /** Endpoints, timeouts and retry bounds; the emulator's endpoints in tests, Microsoft's otherwise. */
  network?: Partial<NetworkSettings>;
  /** All HTTP to Microsoft: session.fetch in the app (OS proxy and certificates), undici in Node hosts. */
  transport: HttpTransport;
  /** Opens an https page in the system browser (never inside the app). */
  openExternal: (url: string) => Promise<void>;
  /** The OS clipboard (Electron's clipboard module in main: the renderer holds no clipboard permission). */
  clipboard: { writeText: (text: string) => Promise<void> };
  emit: <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => void;
  /** Shows Microsoft's sign-in page for Modern Authentication (popup window / Playwright page). */
  signInWindow: SignInWindow;
  /** The system browser for profiles that sign in there (RFC 8252); without one such a sign-in fails plainly. */
  systemBrowser?: SystemBrowser;
  /** How long the sign-in window may stay open (default 10 min); then the attempt is cancelled. */
  signInTimeoutMs?: number;
  /** Drives the keep-alive's checks (setTimeout by default; tests drive it by hand). */
  timer?: Timer;
  /** Runs the sign-in timeout (setTimeout by default; integration tests drive it by hand). */
  signInTimer?: Timer;
}

const noSystemBrowser: SystemBrowser = { open: () => Promise.reject(new Error('this host has no system browser')) };

export interface Core {
  api: AbsenderApi;
  /** Background refresh of signed-in Modern Authentication profiles; the host starts it once the app runs. */
  keepAlive: KeepAliveScheduler;
}

/** The API alone, for callers without background work (integration tests). */
export function createCoreApi(deps: CoreDeps): AbsenderApi {
  return createCore(deps).api;
}

/** The composition of the core: both hosts call this with their own ports. */
export function createCore(deps: CoreDeps): Core {
  const settings = new SettingsService(deps.settingsStore);
  const vault = new SecretVault(deps.secretStore, deps.cipher, () => settings.get().acceptedWeakEncryption);
  const repo = new ProfileRepository(deps.profileStore, deps.clock);
  const profiles = new ProfileService(repo, vault);
  if (deps.storeResults) {
    const profilesResult = deps.storeResults.find((r) => r.name === 'profiles');
    // A brand-new profiles file next to existing secrets means the profiles went missing: keep the secrets.
    const profilesState = profilesResult?.created === true ? 'started-empty' : (profilesResult?.state ?? 'ok');
    collectOrphanSecrets({ profilesState, liveProfileIds: () => repo.list().map((p) => p.id), vault });
  }
  const network: NetworkSettings = { ...DEFAULT_NETWORK, ...deps.network };
  const transport = deps.transport;
  // The stored proxy setting from the first request on; settings.update re-applies it (no restart).
  transport.useProxy(settings.get().proxy);
  const tokens = new ClientCredentialsTokens(deps.logger, network.requestTimeoutMs, transport);
  const delegated = new DelegatedAuth({
    repo,
    vault,
    network,
    transport,
    logger: deps.logger,
    clock: deps.clock,
    signInWindow: deps.signInWindow,
    systemBrowser: deps.systemBrowser ?? noSystemBrowser,
    signInTimeoutMs: deps.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS,
    timer: deps.signInTimer ?? systemTimer,
    emit: (p) => deps.emit('auth.state', p),
  });
  const testDeps = {
    repo,
    vault,
    tokens,
    delegated,
    network,
    transport,
    clock: deps.clock,
    emit: (p: ApiEvents['tests.progress']) => deps.emit('tests.progress', p),
  };

  const keepAlive = new KeepAliveScheduler({
    timer: deps.timer ?? systemTimer,
    clock: deps.clock,
    logger: deps.logger,
    intervalDays: () => settings.get().keepAliveDays,
    profiles: () => repo.list(),
    refresh: (profileId) => delegated.keepAlive(profileId),
  });

  const api: AbsenderApi = {
    app: {
      openHelp: (req) => deps.openExternal(HELP_URLS[req.topic]),
      copy: (req) => deps.clipboard.writeText(redactText(req.text)),
      info: () =>
        Promise.resolve({
          ...deps.hostInfo,
          encryption: { available: deps.cipher.isAvailable(), backend: deps.cipher.backend() },
          storage: (deps.storeResults ?? []).flatMap((r) =>
            r.state === 'restored-from-backup' || r.state === 'started-empty'
              ? [
                  {
                    file: basename(r.file),
                    state: r.state,
                    corruptFile: r.corruptFile ? basename(r.corruptFile) : null,
                    backupFile: r.backupFile ? basename(r.backupFile) : null,
                  },
                ]
              : [],
          ),
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
        });
        transport.useProxy(next.proxy);
        return Promise.resolve(next);
      },
    },
    profiles: {
      list: () => Promise.resolve(profiles.list()),
      save: async (req) => {
        // An edit ends a running sign-in for that profile: its result would belong to the old values.
        if (req.draft.id !== undefined) delegated.cancel(req.draft.id);
        const saved = await profiles.save(req.draft, req.clientSecret);
        if (saved.delegated === null) delegated.forget(saved.id);
        tokens.forget(saved.id); // a changed secret, app or tenant must not be answered from the old cache
        return saved;
      },
      delete: async (req) => {
        delegated.cancel(req.id);
        await profiles.remove(req.id, req.revision); // the vault's deleteAll takes the token cache too
        delegated.forget(req.id);
        tokens.forget(req.id); // and MSAL's in-memory client with the secret goes with the profile
      },
      duplicate: (req) => Promise.resolve(profiles.duplicate(req.id)),
    },
    auth: {
      signIn: (req) => delegated.signIn(req.profileId),
      signOut: (req) => Promise.resolve(delegated.signOut(req.profileId)),
      cancel: (req) => Promise.resolve(delegated.cancel(req.profileId)),
    },
    tests: { run: (req) => runConnectionTest(testDeps, req) },
    secrets: {
      renew: (req) =>
        renewSecret(
          {
            repo,
            profiles,
            test: (run, candidate) => runConnectionTest(testDeps, run, candidate),
            forgetTokens: (id) => tokens.forget(id),
          },
          req,
        ),
    },
  };
  return { api, keepAlive };
}
