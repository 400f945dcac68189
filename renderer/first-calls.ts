import type { AppInfo, Language, Settings } from '../shared/domain';
import { api } from './api';
import { prefetchProfiles } from './features/profiles/initial-profiles';
import { loadTexts, pickLanguage, type LanguageTexts } from './i18n/texts';

export interface FirstCalls {
  info: AppInfo;
  settings: Settings;
  /** The admin's language (settings, else the OS) and its texts, loaded once settings and app info named it. */
  language: Language;
  texts: LanguageTexts;
}

let first: Promise<FirstCalls> | undefined;

/**
 * The three requests the first render waits for, at once, and then the texts of the language they name.
 * main.tsx starts them before it imports the app, so their round trips run while the first-paint chunk is still
 * being parsed (renderer.ready_ratio); boot() only awaits them. Called again, it returns the same requests.
 */
export function firstCalls(): Promise<FirstCalls> {
  first ??= Promise.all([api.app.info(), api.settings.get(), prefetchProfiles()]).then(async ([info, settings]) => {
    const language = pickLanguage(settings.language, info.osLanguage);
    return { info, settings, language, texts: await loadTexts(language) };
  });
  return first;
}
