import { describe, expect, it } from 'vitest';
import de from '../../../shared/i18n/de/ui.json' with { type: 'json' };
import en from '../../../shared/i18n/en/ui.json' with { type: 'json' };
import { keyringAdvice } from './keyring-advice';

describe('keyringAdvice (SS-4)', () => {
  it('names the switch value Chromium accepts, not the backend id', () => {
    expect(keyringAdvice({ profileId: 'p', previousBackend: 'gnome_libsecret', backend: 'basic_text' })).toEqual({
      messageKey: 'vault.backendChanged',
      params: { previousBackend: 'gnome_libsecret', backend: 'basic_text', passwordStore: 'gnome-libsecret' },
    });
    expect(keyringAdvice({ previousBackend: 'basic_text', backend: 'kwallet6' }).params['passwordStore']).toBe('basic');
  });

  it('gives no switch where none selects the old keyring', () => {
    expect(keyringAdvice({ previousBackend: 'dpapi', backend: 'unknown' })).toEqual({
      messageKey: 'vault.backendChangedNoSwitch',
      params: { previousBackend: 'dpapi', backend: 'unknown' },
    });
    expect(keyringAdvice({ previousBackend: 'unknown', backend: 'basic_text' }).messageKey).toBe('vault.backendChangedNoSwitch');
  });

  it('without a previous backend it is the plain unreadable-secret text', () => {
    expect(keyringAdvice({ profileId: 'p' })).toEqual({ messageKey: 'errors.secret-unreadable', params: {} });
  });

  it.each([
    ['de', de],
    ['en', en],
  ])('%s: the switch text uses the switch value, the other none', (_lang, texts) => {
    expect(texts.vault.backendChanged).toContain('--password-store={{passwordStore}}');
    expect(texts.vault.backendChanged).not.toContain('--password-store={{previousBackend}}');
    expect(texts.vault.backendChangedNoSwitch).not.toContain('--password-store');
    expect(texts.vault.backendChangedNoSwitch).toContain('{{previousBackend}}');
  });
});
