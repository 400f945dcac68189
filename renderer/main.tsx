import './zod-config';
import { firstCalls } from './first-calls';

// The first requests go out now (type imports only, no schema): they need not wait for the app's chunk.
void firstCalls().catch(() => undefined); // boot() meets a failure again
// The app comes in a chunk of its own, loaded once zod is configured: the schemas live in chunks the lazy
// dialogs share, and those would otherwise be evaluated before this module's zod-config (CSP, EL-7).
void import('./boot');
