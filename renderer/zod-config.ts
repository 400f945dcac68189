import { z } from 'zod';

// Imported first by main.tsx, before any schema exists: zod probes eval support with new Function()
// while building object schemas, which the CSP (rightly) reports. Never try it.
z.config({ jitless: true });
