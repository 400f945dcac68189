import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../shared/domain';
import { baseI18nextOptions } from '../../shared/i18n/options';
import { loadTexts, type LanguageTexts } from './texts';

const RENDERER_NAMESPACES = ['ui', 'diagnostics'] satisfies (keyof LanguageTexts)[];

export async function initI18n(language: Language, texts: LanguageTexts): Promise<i18n> {
  // The texts live in shared/i18n, where the main process's translator reads them too. The admin's language is
  // already loaded, so init need not wait a timer tick for a backend (initAsync) before the first render.
  await i18next.use(initReactI18next).init({
    ...baseI18nextOptions(language),
    resources: { [language]: { ui: texts.ui, diagnostics: texts.diagnostics } },
    ns: RENDERER_NAMESPACES,
    initAsync: false,
  });
  return i18next;
}

/** Loads the other language's chunk the first time the admin picks it, then switches. */
export async function switchLanguage(instance: i18n, language: Language): Promise<void> {
  if (!instance.hasResourceBundle(language, 'ui')) {
    const texts = await loadTexts(language);
    for (const ns of RENDERER_NAMESPACES) instance.addResourceBundle(language, ns, texts[ns]);
  }
  await instance.changeLanguage(language);
}
