import './zod-config';
import { firstCalls } from './first-calls';
import { languageOfTag, loadTexts } from './i18n/texts';

// The first requests go out now (no schema in them): they need not wait for the app's chunk.
void firstCalls().catch(() => undefined); // boot() meets a failure again
// The texts of the likely language already load beside them (the browser's language is Electron's --lang, the
// OS language; settings may still name the other one, then firstCalls loads that).
void loadTexts(languageOfTag(navigator.language)).catch(() => undefined);
// The app comes in a chunk of its own, loaded once zod is configured: the schemas live in chunks the lazy
// dialogs share, and those would otherwise be evaluated before this module's zod-config (CSP, EL-7). zod itself
// is not in the entry: zod-config sets its global configuration without it.
void import('./boot');
