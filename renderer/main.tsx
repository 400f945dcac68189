import './zod-config';

// The app comes in a chunk of its own, loaded once zod is configured: the schemas live in chunks the lazy
// dialogs share, and those would otherwise be evaluated before this module's zod-config (CSP, EL-7).
void import('./boot');
