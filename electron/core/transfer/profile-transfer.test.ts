import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { ExportFile, IMPORT_MAX_BYTES } from '../../../shared/transfer/profile-transfer';
import { parseImportFile } from './profile-transfer';

const profile = {
  name: 'Bestellungen',
  accountType: 'client-secret',
  cloud: 'global',
  senderAddress: 'bestellung@contoso.com',
  mailboxAddress: 'bestellung@contoso.com',
  clientId: '11111111-2222-3333-4444-555555555555',
  tenant: 'contoso.onmicrosoft.com',
  secretExpiresOn: '2027-06-30',
  signInMethod: 'popup',
};
const file = (over: Record<string, unknown> = {}) => ({
  format: 'absender-profiles',
  version: 1,
  exportedAt: '2026-12-01T10:00:00.000Z',
  profiles: [profile],
  ...over,
});

const refusal = (text: string): string | undefined => {
  try {
    parseImportFile(text);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('import-invalid');
    return (error as AppError).params['problem'];
  }
};

describe('the export file schema and parseImportFile', () => {
  it('accepts a well-formed file with history', () => {
    const text = JSON.stringify(
      file({
        profiles: [
          { ...profile, history: [{ kind: 'tested', at: '2026-12-01T09:00:00.000Z', outcome: 'failed', failedStep: 'token' }] },
        ],
      }),
    );
    expect(parseImportFile(text).profiles[0]?.history?.[0]).toMatchObject({ kind: 'tested', failedStep: 'token' });
  });

  it('names each refusal: non-JSON, wrong format, wrong version, extra field, over the size limit', () => {
    expect(refusal('{"format": "absender-profiles", ')).toBe('not-json');
    expect(refusal('[]')).toBe('wrong-format');
    expect(refusal(JSON.stringify(file({ format: 'other' })))).toBe('wrong-format');
    expect(refusal(JSON.stringify(file({ version: 2 })))).toBe('wrong-version');
    expect(refusal(JSON.stringify(file({ profiles: [{ ...profile, clientSecret: 'abc~def' }] })))).toBe('invalid');
    expect(refusal(JSON.stringify(file({ profiles: [{ ...profile, secretHint: 'abc' }] })))).toBe('invalid');
    expect(refusal(' '.repeat(IMPORT_MAX_BYTES + 1))).toBe('too-large');
    // Multi-byte characters count as bytes, not characters.
    expect(refusal('ä'.repeat(IMPORT_MAX_BYTES / 2 + 1))).toBe('too-large');
  });

  it('refuses a prototype key wherever it stands', () => {
    expect(refusal('{"__proto__": {"polluted": true}, "format": "absender-profiles", "version": 1}')).toBe('prototype-key');
    const nested = JSON.stringify(file()).replace('"name":', '"constructor": {"prototype": {}}, "name":');
    expect(refusal(nested)).toBe('prototype-key');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('the refusal names where, never the value that was there', () => {
    try {
      parseImportFile(JSON.stringify(file({ profiles: [{ ...profile, clientSecret: 'Zq8Q~verysecretvalue' }] })));
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).params['path']).toBe('profiles.0.clientSecret');
      expect(JSON.stringify((error as AppError).params)).not.toContain('verysecret');
    }
  });

  it('fast-check: any extra key at any level, or a prototype key, is refused and pollutes nothing', () => {
    const reserved = new Set(['__proto__', 'constructor', 'prototype', ...Object.keys(file()), ...Object.keys(profile)]);
    const extraKey = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !reserved.has(k));
    const plainValue = fc.jsonValue().filter((v) => !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(v)));
    fc.assert(
      fc.property(extraKey, plainValue, fc.boolean(), (key, value, top) => {
        const data = top ? { ...file(), [key]: value } : file({ profiles: [{ ...profile, [key]: value }] });
        expect(refusal(JSON.stringify(data))).toBe('invalid');
      }),
      { numRuns: 150 },
    );
    const protoKey = fc.constantFrom('__proto__', 'constructor', 'prototype');
    fc.assert(
      fc.property(protoKey, fc.jsonValue(), fc.integer({ min: 0, max: 2 }), (key, value, where) => {
        const inner = JSON.stringify({ [key]: value }).slice(1, -1);
        const base = JSON.stringify(file());
        const text =
          where === 0
            ? `{${inner},${base.slice(1)}`
            : where === 1
              ? base.replace('"profiles":[{', () => `"profiles":[{${inner},`)
              : base.replace('"exportedAt"', () => `"x":{${inner}},"exportedAt"`);
        expect(refusal(text)).toBe('prototype-key');
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  it('fast-check: arbitrary JSON is either a valid export or refused with a named reason, never a throw of another kind', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reason = refusal(JSON.stringify(value));
        if (reason === undefined) expect(ExportFile.safeParse(value).success).toBe(true);
        else expect(['not-json', 'prototype-key', 'wrong-format', 'wrong-version', 'invalid', 'too-large']).toContain(reason);
      }),
      { numRuns: 300 },
    );
  });
});
