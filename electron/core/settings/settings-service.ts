import { DEFAULT_KEEP_ALIVE_DAYS, DEFAULT_RELAY_SETTINGS, RelaySettings, Settings, SignInHosts } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { KeyValueStore } from '../ports';
import { guardedWrite } from '../storage/write-guard';

const DEFAULTS: Settings = {
  language: null,
  acceptedWeakEncryption: false,
  keepAliveDays: DEFAULT_KEEP_ALIVE_DAYS,
  proxy: 'system',
  signInHosts: [],
  manualHintsCollapsed: false,
  relay: DEFAULT_RELAY_SETTINGS,
};

/** What a host may set other than the product's defaults: the test hosts' relay on a free port. */
export interface SettingsDefaults {
  relay?: Partial<Omit<RelaySettings, 'enabled'>> | undefined;
}

/**
 * The one way the core reads and writes the settings. A default given here stands until the admin first saves that
 * setting: a file without it (from before it existed, or never changed) reads as the host's default, and so does no
 * file at all. Another setting's save keeps it (it is written as it reads), so a changed language never moves the
 * test host's relay back to port 2525.
 */
export class SettingsService {
  private readonly defaults: Settings;

  constructor(
    private readonly store: KeyValueStore,
    overrides: SettingsDefaults = {},
  ) {
    this.defaults = { ...DEFAULTS, relay: { ...DEFAULTS.relay, ...overrides.relay } };
  }

  get(): Settings {
    const stored = this.store.get('settings');
    const withDefaults =
      typeof stored === 'object' && stored !== null && !('relay' in stored) ? { ...stored, relay: this.defaults.relay } : stored;
    const parsed = Settings.safeParse(withDefaults);
    return parsed.success ? parsed.data : this.defaults;
  }

  update(patch: Partial<Settings>): Settings {
    const next: Settings = { ...this.get() };
    if (patch.language !== undefined) next.language = patch.language;
    if (patch.acceptedWeakEncryption !== undefined) next.acceptedWeakEncryption = patch.acceptedWeakEncryption;
    if (patch.keepAliveDays !== undefined) next.keepAliveDays = patch.keepAliveDays;
    if (patch.proxy !== undefined) next.proxy = patch.proxy;
    if (patch.manualHintsCollapsed !== undefined) next.manualHintsCollapsed = patch.manualHintsCollapsed;
    if (patch.signInHosts !== undefined) {
      // Stored canonical (lower case, punycode) whoever calls: the window compares exactly this form.
      const hosts = SignInHosts.safeParse(patch.signInHosts);
      if (!hosts.success) throw new AppError('invalid-request', { params: { field: 'signInHosts' } });
      next.signInHosts = hosts.data;
    }
    if (patch.relay !== undefined) {
      const relay = RelaySettings.safeParse(patch.relay);
      if (!relay.success) throw new AppError('invalid-request', { params: { field: 'relay' } });
      next.relay = relay.data;
    }
    guardedWrite(() => this.store.set('settings', next));
    return next;
  }
}
