import { passwordStoreSwitchFor } from '../../../shared/password-store-switch';

export interface KeyringAdvice {
  messageKey: 'errors.secret-unreadable' | 'vault.backendChanged' | 'vault.backendChangedNoSwitch';
  params: Record<string, string>;
}

/**
 * The text for a secret the vault refused (SS-4): with the `--password-store` value Chromium accepts, and
 * without any switch where none brings the old keyring back (Windows, macOS, an unknown backend).
 */
export function keyringAdvice(errorParams: Readonly<Record<string, string>>): KeyringAdvice {
  const previousBackend = errorParams['previousBackend'];
  if (previousBackend === undefined) return { messageKey: 'errors.secret-unreadable', params: {} };
  const backend = errorParams['backend'] ?? '';
  const passwordStore = passwordStoreSwitchFor(previousBackend);
  return passwordStore === null
    ? { messageKey: 'vault.backendChangedNoSwitch', params: { previousBackend, backend } }
    : { messageKey: 'vault.backendChanged', params: { previousBackend, backend, passwordStore } };
}
