import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../shared/domain';
import { i18nextOptions } from '../../shared/i18n/resources';

/** The admin's choice wins; otherwise the OS language, German for any German locale. */
export function pickLanguage(chosen: Language | null, osLanguage: string): Language {
  return chosen ?? (osLanguage.toLowerCase().startsWith('de') ? 'de' : 'en');
}

export async function initI18n(language: Language): Promise<i18n> {
  // The texts live in shared/i18n, where the main process's translator reads them too. They are bundled, so
  // init need not wait a timer tick for a backend (initAsync) before the first render.
  await i18next.use(initReactI18next).init({ ...i18nextOptions(language), initAsync: false });
  return i18next;
}
