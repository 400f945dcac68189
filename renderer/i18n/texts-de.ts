import { diagnosticCatalogue } from '../../shared/diagnostics/catalogue';
import ui from '../../shared/i18n/de/ui.json' with { type: 'json' };
import type { LanguageTexts } from './texts';

export const texts: LanguageTexts = { ui, diagnostics: diagnosticCatalogue.de };
