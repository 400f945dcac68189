import { describe, expect, it } from 'vitest';
import {
  isScriptComplete,
  legacyCommands,
  rbacCommands,
  scopeName,
  scriptText,
  type RestrictionInput,
} from './restriction-script';

const input: RestrictionInput = {
  profile: {
    name: "Kasse O'Brien $1",
    cloud: 'global',
    senderAddress: "o'brien@contoso.com",
    clientId: '11111111-2222-3333-4444-555555555555',
  },
  servicePrincipalObjectId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  controlMailbox: 'ceo@contoso.com',
};

describe('RBAC for Applications script', () => {
  it('produces the documented commands field by field, quoted for an address with an apostrophe', () => {
    const byId = Object.fromEntries(rbacCommands(input).map((c) => [c.id, c.text]));
    expect(byId).toEqual({
      connect: 'Connect-ExchangeOnline',
      'service-principal':
        "New-ServicePrincipal -AppId '11111111-2222-3333-4444-555555555555' -ObjectId 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' -DisplayName 'Kasse O''Brien $1'",
      scope: `New-ManagementScope -Name 'Absender o''brien@contoso.com' -RecipientRestrictionFilter "PrimarySmtpAddress -eq 'o''brien@contoso.com'"`,
      assignment:
        "New-ManagementRoleAssignment -App '11111111-2222-3333-4444-555555555555' -Role 'Application Mail.Send' -CustomResourceScope 'Absender o''brien@contoso.com'",
      'test-sender':
        "Test-ServicePrincipalAuthorization -Identity '11111111-2222-3333-4444-555555555555' -Resource 'o''brien@contoso.com'",
      'test-control':
        "Test-ServicePrincipalAuthorization -Identity '11111111-2222-3333-4444-555555555555' -Resource 'ceo@contoso.com'",
    });
  });

  it('escapes $ and backtick in the filter, which is a double-quoted string', () => {
    const scope = rbacCommands({ ...input, profile: { ...input.profile, senderAddress: '$kasse`1@contoso.com' } }).find(
      (c) => c.id === 'scope',
    );
    expect(scope?.text).toBe(
      "New-ManagementScope -Name 'Absender $kasse`1@contoso.com' -RecipientRestrictionFilter \"PrimarySmtpAddress -eq '`$kasse``1@contoso.com'\"",
    );
  });

  it('shows placeholders (and says so) until object ID and control mailbox are entered', () => {
    const empty = { ...input, servicePrincipalObjectId: ' ', controlMailbox: '' };
    const text = scriptText(rbacCommands(empty));
    expect(text).toContain("-ObjectId '<OBJECT-ID>'");
    expect(text).toContain("-Resource '<kontrollpostfach@contoso.com>'");
    expect(isScriptComplete(empty)).toBe(false);
    expect(isScriptComplete(input)).toBe(true);
  });

  it('keeps the scope name within Exchange’s 64 characters', () => {
    expect(scopeName(`${'a'.repeat(80)}@contoso.com`)).toHaveLength(64);
  });

  it('one command per line, in the documented order', () => {
    expect(
      scriptText(rbacCommands(input))
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toEqual([
      'Connect-ExchangeOnline',
      'New-ServicePrincipal',
      'New-ManagementScope',
      'New-ManagementRoleAssignment',
      'Test-ServicePrincipalAuthorization',
      'Test-ServicePrincipalAuthorization',
    ]);
  });

  it('legacy Application Access Policy commands, quoted the same way', () => {
    expect(legacyCommands(input).map((c) => c.text)).toEqual([
      "New-ApplicationAccessPolicy -AppId '11111111-2222-3333-4444-555555555555' -PolicyScopeGroupId 'o''brien@contoso.com' -AccessRight RestrictAccess -Description 'Absender Kasse O''Brien $1'",
      "Test-ApplicationAccessPolicy -Identity 'o''brien@contoso.com' -AppId '11111111-2222-3333-4444-555555555555'",
      "Get-ApplicationAccessPolicy | Where-Object { $_.AppId -eq '11111111-2222-3333-4444-555555555555' } | Remove-ApplicationAccessPolicy",
    ]);
  });
});
