import type { AccountType } from './domain';
import { isAppOnlyType, isGuid } from './domain-basics';

// Warnings for the mistakes admins make when copying values out of the Entra admin center.
// They never block saving; the schema's errors do.

export interface PasteWarning {
  field: 'name' | 'senderAddress' | 'mailboxAddress' | 'clientId' | 'tenant' | 'clientSecret';
  key: string;
  params?: Record<string, string>;
}

export interface GuardInput {
  accountType: AccountType;
  senderAddress: string;
  mailboxAddress: string;
  clientId: string;
  tenant: string;
  /** The secret being typed (never stored in the renderer beyond the input). '' = unchanged. */
  clientSecret: string;
}

/** Well-known Microsoft first-party application IDs that admins paste by mistake. */
export const FIRST_PARTY_APPS: Readonly<Record<string, string>> = {
  '00000003-0000-0000-c000-000000000000': 'Microsoft Graph',
  '00000002-0000-0ff1-ce00-000000000000': 'Office 365 Exchange Online',
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': 'Microsoft Azure CLI',
  '1950a258-227b-4e31-a9cf-717495945fc2': 'Microsoft Azure PowerShell',
  '14d82eec-204b-4c2f-b7e8-296a70dab67e': 'Microsoft Graph Command Line Tools',
  'de8bc8b5-d9f9-48b1-a8ad-b748da725064': 'Graph Explorer',
  'fb78d390-0c51-40cd-8e17-fdbfab77341b': 'Microsoft Exchange REST API Based Powershell',
  'd3590ed6-52b3-4102-aeff-aad2292ab01c': 'Microsoft Office',
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264': 'Microsoft Teams',
  'c44b4083-3bb0-49c1-b47d-974e53cbdf3c': 'Azure Portal',
};

/** The tenant of personal Microsoft accounts; a work mailbox never lives there. */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';
const PERSONAL_DOMAINS = /@(outlook|hotmail|live|msn|gmail|googlemail|gmx|web|yahoo|t-online|icloud)\.[a-z.]+$/i;

const hasOuterWhitespace = (v: string): boolean => v !== v.trim();

export function checkPaste(
  input: GuardInput,
  otherProfiles: ReadonlyArray<{ clientId: string; tenant: string }> = [],
): PasteWarning[] {
  const warnings: PasteWarning[] = [];
  const isSecretType = input.accountType === 'client-secret';
  const fields = [
    'senderAddress',
    'clientId',
    'tenant',
    ...(isAppOnlyType(input.accountType) ? (['mailboxAddress'] as const) : []),
    ...(isSecretType ? (['clientSecret'] as const) : []),
  ] as const;
  for (const field of fields) {
    if (hasOuterWhitespace(input[field])) warnings.push({ field, key: 'paste.whitespace' });
  }
  const clientId = input.clientId.trim().toLowerCase();
  const tenant = input.tenant.trim().toLowerCase();
  const secret = input.clientSecret.trim();

  if (isSecretType && secret !== '' && isGuid(secret)) warnings.push({ field: 'clientSecret', key: 'paste.secretIsGuid' });
  else if (isSecretType && secret !== '' && secret.length < 20)
    warnings.push({ field: 'clientSecret', key: 'paste.secretShort' });

  if (clientId !== '' && clientId === tenant) warnings.push({ field: 'tenant', key: 'paste.tenantEqualsClient' });
  else if (
    otherProfiles.some(
      (p) => (p.tenant.toLowerCase() === clientId && clientId !== '') || (p.clientId.toLowerCase() === tenant && tenant !== ''),
    )
  ) {
    warnings.push({ field: 'tenant', key: 'paste.swapped' });
  }
  const firstParty = FIRST_PARTY_APPS[clientId];
  if (firstParty !== undefined) warnings.push({ field: 'clientId', key: 'paste.firstPartyApp', params: { app: firstParty } });
  if (tenant === CONSUMER_TENANT_ID || tenant === 'consumers') warnings.push({ field: 'tenant', key: 'paste.consumerTenant' });
  if (tenant === 'common' || tenant === 'organizations') warnings.push({ field: 'tenant', key: 'paste.multiTenantSegment' });

  const sender = input.senderAddress.trim().toLowerCase();
  if (PERSONAL_DOMAINS.test(sender)) warnings.push({ field: 'senderAddress', key: 'paste.personalDomain' });
  const mailbox = input.mailboxAddress.trim().toLowerCase();
  if (isAppOnlyType(input.accountType) && sender !== '' && mailbox !== '' && sender !== mailbox) {
    warnings.push({ field: 'mailboxAddress', key: 'paste.senderDiffers' });
  }
  return warnings;
}
