import { z } from 'zod';

// Imported first by main.tsx, before boot.tsx and any schema exist: zod probes eval support with new Function()
// while building object schemas, which the CSP (rightly) reports. Never try it.
z.config({ jitless: true });
