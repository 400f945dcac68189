import { describe, expect, it } from 'vitest';
import { languageOfTag, loadTexts } from './i18n/texts';
import { showStartupNotice, startupNotice } from './startup-notice';

describe('startupNotice', () => {
  it('says the keychain is being opened, in German or English', async () => {
    const notice = async (tag: string): Promise<string> => startupNotice((await loadTexts(languageOfTag(tag))).ui);
    expect(await notice('de-DE')).toBe('Absender wird gestartet – Schlüsselbund wird geöffnet …');
    expect(await notice('de')).toContain('Schlüsselbund');
    expect(await notice('en-US')).toBe('Starting Absender – opening the keychain …');
    expect(await notice('fr-FR')).toBe(await notice('en'));
  });

  it('texts that fail to load show no notice and leave no unhandled rejection (the start reports the failure)', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const root = { childNodes: [] } as unknown as HTMLElement;
      // As in boot: the load is still under way when the notice's timer fires, and fails after.
      const failing = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('chunk failed')), 10));
      showStartupNotice(root, failing, 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
      expect(root.childNodes).toHaveLength(0);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
