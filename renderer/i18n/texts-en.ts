import { diagnosticCatalogue } from '../../shared/diagnostics/catalogue';
import ui from '../../shared/i18n/en/ui.json' with { type: 'json' };
import type { LanguageTexts } from './texts';

export const texts: LanguageTexts = { ui, diagnostics: diagnosticCatalogue.en };
