import { describe, expect, it } from 'vitest';
import { startupNotice } from './startup-notice';

describe('startupNotice', () => {
  it('says the keychain is being opened, in German or English', () => {
    expect(startupNotice('de-DE')).toBe('Absender wird gestartet – Schlüsselbund wird geöffnet …');
    expect(startupNotice('de')).toContain('Schlüsselbund');
    expect(startupNotice('en-US')).toBe('Starting Absender – opening the keychain …');
    expect(startupNotice('fr-FR')).toBe(startupNotice('en'));
  });
});
