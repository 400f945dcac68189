// Imported first by main.tsx, before any schema exists: zod probes eval support with new Function() while
// building object schemas, which the CSP (rightly) reports. Never try it.
//
// zod 4 keeps its configuration on globalThis.__zod_globalConfig and adopts one that is already there
// (`globalThis.__zod_globalConfig ??= {}` in zod/v4/core), so the entry sets jitless without loading zod:
// zod and the schemas come with the chunks that validate, after the first paint (renderer.ready_ratio).
// zod-config.test.ts fails if a zod update stops reading it.
const holder = globalThis as { __zod_globalConfig?: Record<string, unknown> };
holder.__zod_globalConfig = { ...holder.__zod_globalConfig, jitless: true };

export {};
