import { describe, expect, it } from 'vitest';
import { ProfileDraft, ProfileView } from './domain';
import { VALID_DRAFT } from './testing/fixtures';

const DRAFT = VALID_DRAFT;
const errorsOf = (input: unknown) =>
  ProfileDraft.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}:${i.message}`) ?? [];

describe('ProfileDraft', () => {
  it('accepts a GUID or a verified domain as tenant', () => {
    expect(errorsOf(DRAFT)).toEqual([]);
    expect(errorsOf({ ...DRAFT, tenant: '99999999-8888-7777-6666-555555555555' })).toEqual([]);
  });

  it.each([
    [{ tenant: 'contoso' }, 'tenant:validation.tenant'],
    [{ clientId: '1234' }, 'clientId:validation.guid'],
    [{ senderAddress: 'bestellung' }, 'senderAddress:validation.email'],
    [{ name: '   ' }, 'name:validation.required'],
  ])('names the field and the i18n key for %j', (patch, expected) => {
    expect(errorsOf({ ...DRAFT, ...patch })).toContain(expected);
  });

  it('rejects unknown keys (no field can smuggle a secret into a profile)', () => {
    expect(ProfileDraft.safeParse({ ...DRAFT, clientSecret: 'x' }).success).toBe(false);
  });
});

describe('ProfileView (what the renderer sees)', () => {
  it('has no key that could carry a secret or a token beyond the allowed metadata', () => {
    const allowed = new Set(['secret', 'hasSecret', 'secretHint', 'secretExpiresOn']);
    const keys: string[] = [];
    const walk = (shape: Record<string, unknown>): void => {
      for (const [key, value] of Object.entries(shape)) {
        keys.push(key);
        const inner = (
          value as { def?: { shape?: Record<string, unknown>; innerType?: { def?: { shape?: Record<string, unknown> } } } }
        ).def;
        const nested = inner?.shape ?? inner?.innerType?.def?.shape;
        if (nested) walk(nested);
      }
    };
    walk(ProfileView.shape);
    expect(keys).toContain('secretHint');
    expect(keys.filter((k) => /secret|token|password/i.test(k) && !allowed.has(k))).toEqual([]);
  });
});
