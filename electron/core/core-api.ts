import type { AbsenderApi, ApiEvents } from '../../shared/ipc/contract';
import { AppError } from '../../shared/errors';
import { HELP_URLS } from '../../shared/help';
import type { Cipher, Clock, HostInfo, KeyValueStore, Logger } from './ports';
import { ClientCredentialsTokens } from './auth/client-credentials';
import { runConnectionTest } from './connection-test/connection-tests';
import { DEFAULT_NETWORK, type NetworkSettings } from './net/endpoints';
import { dispatcherTrusting } from './net/trust';
import { ProfileRepository } from './profiles/profile-repository';
import { ProfileService } from './profiles/profile-service';
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
  /** Endpoints, timeouts and retry bounds; the emulator's endpoints in tests, Microsoft's otherwise. */
  network?: Partial<NetworkSettings>;
  /** Opens an https page in the system browser (never inside the app). */
  openExternal: (url: string) => Promise<void>;
  emit: <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => void;
}

/** The composition of the core: both hosts call this with their own ports. */
export function createCoreApi(deps: CoreDeps): AbsenderApi {
  const settings = new SettingsService(deps.settingsStore);
  const vault = new SecretVault(deps.secretStore, deps.cipher, () => settings.get().acceptedWeakEncryption);
  const repo = new ProfileRepository(deps.profileStore, deps.clock);
  const profiles = new ProfileService(repo, vault);
  const network: NetworkSettings = { ...DEFAULT_NETWORK, ...deps.network };
  const dispatcher = dispatcherTrusting(network.extraCaPem);
  const tokens = new ClientCredentialsTokens(deps.logger, network.requestTimeoutMs, dispatcher);
  const testDeps = {
    repo,
    vault,
    tokens,
    network,
    dispatcher,
    clock: deps.clock,
    emit: (p: ApiEvents['tests.progress']) => deps.emit('tests.progress', p),
  };
  const notYet = (feature: string) => (): Promise<never> =>
    Promise.reject(new AppError('not-implemented', { params: { feature } }));

  return {
    app: {
      openHelp: (req) => deps.openExternal(HELP_URLS[req.topic]),
      info: () =>
        Promise.resolve({
          ...deps.hostInfo,
          encryption: { available: deps.cipher.isAvailable(), backend: deps.cipher.backend() },
        }),
    },
    settings: {
      get: () => Promise.resolve(settings.get()),
      update: (req) =>
        Promise.resolve(
          settings.update({
            ...(req.language !== undefined ? { language: req.language } : {}),
            ...(req.acceptedWeakEncryption !== undefined ? { acceptedWeakEncryption: req.acceptedWeakEncryption } : {}),
          }),
        ),
    },
    profiles: {
      list: () => Promise.resolve(profiles.list()),
      save: (req) => profiles.save(req.draft, req.clientSecret),
      delete: (req) => Promise.resolve(profiles.remove(req.id, req.revision)),
      duplicate: (req) => Promise.resolve(profiles.duplicate(req.id)),
    },
    // Filled by the Modern Authentication issue.
    auth: { signIn: notYet('auth.signIn'), signOut: notYet('auth.signOut') },
    tests: { run: (req) => runConnectionTest(testDeps, req) },
  };
}
