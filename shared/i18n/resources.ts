// The one home of every user-visible text, as i18next resources: language › namespace › key.
// `ui` is the renderer, `host` the texts the main process and the core show themselves (dialogs,
// the sign-in window's title, the system browser's loopback pages), `diagnostics` the diagnosis
// catalogue (kept in shared/diagnostics: the core names its ids). No Node built-ins (browser code too).
import type { InitOptions } from 'i18next';
import type { Language } from '../domain';
import { diagnosticCatalogue } from '../diagnostics/catalogue';
import deHost from './de/host.json' with { type: 'json' };
import deUi from './de/ui.json' with { type: 'json' };
import enHost from './en/host.json' with { type: 'json' };
import enUi from './en/ui.json' with { type: 'json' };
import { baseI18nextOptions, NAMESPACES, type Namespace } from './options';

export { DEFAULT_NAMESPACE, NAMESPACES, type Namespace } from './options';

export type TextTree = { readonly [key: string]: string | TextTree };

export const RESOURCES: Record<Language, Record<Namespace, TextTree>> = {
  de: { ui: deUi, host: deHost, diagnostics: diagnosticCatalogue.de },
  en: { ui: enUi, host: enHost, diagnostics: diagnosticCatalogue.en },
};

/** The renderer's i18next options with every text, so the translator test sets up the very same i18next. */
export function i18nextOptions(lng: Language): InitOptions {
  return { ...baseI18nextOptions(lng), resources: RESOURCES, ns: [...NAMESPACES] };
}
