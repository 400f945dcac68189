import { describe, expect, it } from 'vitest';
import { languageOfTag, loadTexts } from './i18n/texts';
import { startupNotice } from './startup-notice';

describe('startupNotice', () => {
  it('says the keychain is being opened, in German or English', async () => {
    const notice = async (tag: string): Promise<string> => startupNotice((await loadTexts(languageOfTag(tag))).ui);
    expect(await notice('de-DE')).toBe('Absender wird gestartet – Schlüsselbund wird geöffnet …');
    expect(await notice('de')).toContain('Schlüsselbund');
    expect(await notice('en-US')).toBe('Starting Absender – opening the keychain …');
    expect(await notice('fr-FR')).toBe(await notice('en'));
  });
});
