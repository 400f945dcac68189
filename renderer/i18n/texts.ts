import type { Language } from '../../shared/domain';
import type { TextTree } from '../../shared/i18n/resources';

/** One language's namespaces as the renderer shows them (the main process's `host` texts stay out). */
export interface LanguageTexts {
  ui: TextTree;
  diagnostics: TextTree;
}

const loads = new Map<Language, Promise<LanguageTexts>>();

/**
 * A language's texts, each in a chunk of its own: the first paint parses only the admin's language, the other
 * comes when the admin switches (renderer.ready_ratio). The diagnosis catalogue holds both languages in one
 * module (shared/diagnostics), so it is a third chunk both share.
 */
export function loadTexts(language: Language): Promise<LanguageTexts> {
  let load = loads.get(language);
  if (!load) {
    load = (language === 'de' ? import('./texts-de') : import('./texts-en')).then((m) => m.texts);
    loads.set(language, load);
  }
  return load;
}

/** German for any German locale tag, English otherwise. */
export const languageOfTag = (tag: string): Language => (tag.toLowerCase().startsWith('de') ? 'de' : 'en');

/** The admin's choice wins; otherwise the OS language. */
export function pickLanguage(chosen: Language | null, osLanguage: string): Language {
  return chosen ?? languageOfTag(osLanguage);
}
