// A valid client-secret draft, shared by the tests of shared/ and of the core.
export const VALID_DRAFT = {
  name: 'Bestellungen',
  accountType: 'client-secret',
  senderAddress: 'bestellung@contoso.com',
  mailboxAddress: 'bestellung@contoso.com',
  clientId: '11111111-2222-3333-4444-555555555555',
  tenant: 'contoso.onmicrosoft.com',
  secretExpiresOn: '2027-06-30',
} as const;
