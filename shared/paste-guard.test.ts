import { describe, expect, it } from 'vitest';
import { checkPaste, type GuardInput } from './paste-guard';

const OK: GuardInput = {
  accountType: 'client-secret',
  senderAddress: 'bestellung@contoso.com',
  mailboxAddress: 'bestellung@contoso.com',
  clientId: '11111111-2222-3333-4444-555555555555',
  tenant: '99999999-8888-7777-6666-555555555555',
  clientSecret: 'Abc8Q~realistic.secret-value_0123456789ab',
};
const keys = (input: Partial<GuardInput>, others: Array<{ clientId: string; tenant: string }> = []) =>
  checkPaste({ ...OK, ...input }, others).map((w) => `${w.field}:${w.key}`);

describe('paste guard', () => {
  it('is silent for a clean profile', () => {
    expect(keys({})).toEqual([]);
  });

  it.each([
    [{ clientSecret: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' }, 'clientSecret:paste.secretIsGuid'],
    [{ clientSecret: 'short' }, 'clientSecret:paste.secretShort'],
    [{ clientSecret: `${OK.clientSecret}\n` }, 'clientSecret:paste.whitespace'],
    [{ clientId: ` ${OK.clientId}` }, 'clientId:paste.whitespace'],
    [{ tenant: OK.clientId }, 'tenant:paste.tenantEqualsClient'],
    [{ clientId: '00000003-0000-0000-c000-000000000000' }, 'clientId:paste.firstPartyApp'],
    [{ tenant: 'consumers' }, 'tenant:paste.consumerTenant'],
    [{ tenant: 'common' }, 'tenant:paste.multiTenantSegment'],
    [
      { senderAddress: 'max.mustermann@gmail.com', mailboxAddress: 'max.mustermann@gmail.com' },
      'senderAddress:paste.personalDomain',
    ],
    [{ mailboxAddress: 'einkauf@contoso.com' }, 'mailboxAddress:paste.senderDiffers'],
  ])('warns for %j', (input, expected) => {
    expect(keys(input)).toContain(expected);
  });

  it('spots tenant and client ID swapped against another profile', () => {
    expect(keys({}, [{ clientId: OK.tenant, tenant: OK.clientId }])).toContain('tenant:paste.swapped');
  });

  it('ignores client-secret-only checks for Modern Authentication', () => {
    expect(
      keys({ accountType: 'modern-auth', clientSecret: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', mailboxAddress: 'x@y.de' }),
    ).toEqual([]);
  });
});
