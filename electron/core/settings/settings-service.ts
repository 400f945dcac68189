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

export class SettingsService {
  constructor(private readonly store: KeyValueStore) {}

  get(): Settings {
    const parsed = Settings.safeParse(this.store.get('settings'));
    return parsed.success ? parsed.data : DEFAULTS;
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
