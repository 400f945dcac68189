// The i18next options every i18next of ours shares, without the texts: the renderer loads only the admin's
// language (renderer/i18n/texts.ts), the translator test and resources.ts add all of them. No imports with
// values, so a module that needs only these options does not pull every text into its bundle.
import type { InitOptions } from 'i18next';
import type { Language } from '../domain';

export const NAMESPACES = ['ui', 'host', 'diagnostics'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** A key without `ns:` is a `ui` key, in the renderer's i18next and in t() alike. */
export const DEFAULT_NAMESPACE: Namespace = 'ui';

export function baseI18nextOptions(lng: Language): InitOptions {
  return {
    lng,
    fallbackLng: false,
    defaultNS: DEFAULT_NAMESPACE,
    interpolation: { escapeValue: false },
    returnNull: false,
  };
}
