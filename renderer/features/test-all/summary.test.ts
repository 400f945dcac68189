import { describe, expect, it } from 'vitest';
import type { TestAllRow } from '../../../shared/ipc/contract';
import { parseCsv, toCsv, toTsv } from './summary';

const t = (key: string) => `<${key}>`;
const row = (patch: Partial<TestAllRow>): TestAllRow => ({
  profileId: 'id',
  name: 'Bestellungen',
  accountType: 'client-secret',
  state: 'ok',
  outcome: 'ok',
  failedStep: null,
  failedMessageKey: null,
  failedParams: {},
  code: null,
  secretExpiresOn: '2027-06-30',
  secretDaysLeft: 200,
  signInAgeDays: null,
  signInDaysLeft: null,
  error: null,
  ...patch,
});

describe('test-all summary export', () => {
  it('writes a BOM, CRLF and the German separator, and reads back the same cells', () => {
    const rows = [
      row({ name: 'Einkauf; "Zentrale"', state: 'failed', failedStep: 'token', code: 'AADSTS7000222' }),
      row({ name: '=HYPERLINK("x")', accountType: 'modern-auth', secretExpiresOn: null, signInAgeDays: 12 }),
    ];
    const csv = toCsv(rows, t, 'de');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4);
    const cells = parseCsv(csv, ';');
    expect(cells[0]).toEqual([
      '<testAll.col.profile>',
      '<testAll.col.state>',
      '<testAll.col.step>',
      '<testAll.col.code>',
      '<testAll.col.secretExpires>',
      '<testAll.col.signInAge>',
    ]);
    expect(cells[1]).toEqual([
      'Einkauf; "Zentrale"',
      '<testAll.state.failed>',
      '<steps.label.token>',
      'AADSTS7000222',
      '2027-06-30',
      '',
    ]);
    // Excel must not run a profile name as a formula.
    expect(cells[2]?.[0]).toBe(`'=HYPERLINK("x")`);
    expect(cells[2]?.[5]).toBe('12');
  });

  it('uses the comma in English and tabs on the clipboard', () => {
    const csv = toCsv([row({ name: 'A, B' })], t, 'en');
    expect(parseCsv(csv, ',')[1]?.[0]).toBe('A, B');
    const tsv = toTsv([row({ name: 'A\tB' })], t);
    expect(tsv.split('\n')[1]?.split('\t')[0]).toBe('A B');
  });
});
