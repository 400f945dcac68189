import { describe, expect, it } from 'vitest';
import type { ProfileView } from '../../../shared/domain';
import { buildFilterIndex, filterProfiles } from './profile-filter';

const p = (name: string, senderAddress: string): ProfileView => ({ id: name, name, senderAddress }) as ProfileView;

describe('filterProfiles', () => {
  const index = buildFilterIndex([p('Orders', 'orders@contoso.com'), p('Invoices', 'billing@contoso.com')]);

  it('matches name or sender address, case-insensitive and trimmed', () => {
    expect(filterProfiles(index, '  ORD ').map((x) => x.name)).toEqual(['Orders']);
    expect(filterProfiles(index, 'billing@').map((x) => x.name)).toEqual(['Invoices']);
  });

  it('returns the list itself for an empty query and nothing for no match', () => {
    expect(filterProfiles(index, ' ')).toBe(index.profiles);
    expect(filterProfiles(index, 'fabrikam')).toEqual([]);
  });
});
