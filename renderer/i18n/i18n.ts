import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../shared/domain';
import { diagnosticCatalogue } from '../../shared/diagnostics/catalogue';
import de from './de.json';
import en from './en.json';

export const CATALOGUES = { de, en } as const;

/** The admin's choice wins; otherwise the OS language, German for any German locale. */
export function pickLanguage(chosen: Language | null, osLanguage: string): Language {
  return chosen ?? (osLanguage.toLowerCase().startsWith('de') ? 'de' : 'en');
}

export async function initI18n(language: Language): Promise<i18n> {
  await i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: false,
    // Diagnoses live in shared/ (the core names them); the UI shows them as the `diagnostics` namespace.
    resources: {
      de: { translation: de, diagnostics: diagnosticCatalogue.de },
      en: { translation: en, diagnostics: diagnosticCatalogue.en },
    },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}
