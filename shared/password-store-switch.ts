/**
 * Chromium's `--password-store` switch takes other spellings than safeStorage.getSelectedStorageBackend()
 * reports (components/os_crypt/sync/key_storage_util_linux.cc, SelectBackend): advice must name the switch value.
 */
const SWITCH_VALUES: Readonly<Record<string, string>> = {
  basic_text: 'basic',
  gnome_libsecret: 'gnome-libsecret',
  kwallet: 'kwallet',
  kwallet5: 'kwallet5',
  kwallet6: 'kwallet6',
};

/** The `--password-store=` value that selects this backend again; null where no switch selects it (dpapi, keychain, unknown). */
export function passwordStoreSwitchFor(backend: string): string | null {
  return Object.hasOwn(SWITCH_VALUES, backend) ? (SWITCH_VALUES[backend] ?? null) : null;
}
