import { describe, expect, it } from 'vitest';
import { passwordStoreSwitchFor } from './password-store-switch';

describe('passwordStoreSwitchFor', () => {
  it.each([
    ['basic_text', 'basic'],
    ['gnome_libsecret', 'gnome-libsecret'],
    ['kwallet', 'kwallet'],
    ['kwallet5', 'kwallet5'],
    ['kwallet6', 'kwallet6'],
  ])('%s → --password-store=%s', (backend, value) => {
    expect(passwordStoreSwitchFor(backend)).toBe(value);
  });

  it.each(['dpapi', 'keychain', 'unknown', 'aes-256-gcm (test)', '', 'constructor', '__proto__'])(
    '%s has no switch value',
    (backend) => {
      expect(passwordStoreSwitchFor(backend)).toBeNull();
    },
  );
});
