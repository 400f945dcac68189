import type { AbsenderApi, ApiEvents } from '../../shared/ipc/contract';
import { AppError } from '../../shared/errors';
import { HELP_URLS } from '../../shared/help';
import type { Cipher, Clock, HostInfo, KeyValueStore, Logger } from './ports';
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
  /** Opens an https page in the system browser (never inside the app). */
  openExternal: (url: string) => Promise<void>;
  emit: <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => void;
}

/** The composition of the core: both hosts call this with their own ports. */
export function createCoreApi(deps: CoreDeps): AbsenderApi {
  const settings = new SettingsService(deps.settingsStore);
  const vault = new SecretVault(deps.secretStore, deps.cipher, () => settings.get().acceptedWeakEncryption);
  const profiles = new ProfileService(new ProfileRepository(deps.profileStore, deps.clock), vault);
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
    // Filled by the Modern Authentication and connection-test issues.
    auth: { signIn: notYet('auth.signIn'), signOut: notYet('auth.signOut') },
    tests: { run: notYet('tests.run') },
  };
}
