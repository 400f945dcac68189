import { describe, expect, it } from 'vitest';

describe('zod-config', () => {
  it('makes zod jitless when zod loads after it, without importing zod itself', async () => {
    await import('./zod-config');
    const { z } = await import('zod');
    expect(z.config().jitless).toBe(true);
  });

  it('keeps object schemas from probing eval (the CSP reports new Function)', async () => {
    await import('./zod-config');
    const { z } = await import('zod');
    const original = globalThis.Function;
    let probed = false;
    globalThis.Function = new Proxy(original, {
      construct: (target, args: string[]) => {
        probed = true;
        return Reflect.construct(target, args);
      },
    });
    try {
      const schema = z.object({ a: z.string(), b: z.number().optional() }).strict();
      expect(schema.safeParse({ a: 'x' }).success).toBe(true);
      expect(schema.safeParse({ a: 1 }).success).toBe(false);
    } finally {
      globalThis.Function = original;
    }
    expect(probed).toBe(false);
  });
});
