import { psSingleQuoted, recipientFilterArgument } from './powershell-quoting';
import { SETUP_CLOUDS } from './setup-clouds';
import type { SetupProfile } from './setup-steps';

export interface RestrictionInput {
  profile: Pick<SetupProfile, 'name' | 'cloud' | 'senderAddress' | 'clientId'>;
  /** The enterprise application's Object ID (Entra: Unternehmensanwendungen › app › Übersicht), not the app registration's. */
  servicePrincipalObjectId: string;
  /** A mailbox the app must NOT reach: Test-ServicePrincipalAuthorization shows InScope False for it. */
  controlMailbox: string;
}

/** Placeholders where the admin has not entered a value yet; the script is shown but marked incomplete. */
export const OBJECT_ID_PLACEHOLDER = '<OBJECT-ID>';
export const CONTROL_MAILBOX_PLACEHOLDER = '<kontrollpostfach@contoso.com>';

export interface RestrictionCommand {
  id: 'connect' | 'service-principal' | 'scope' | 'assignment' | 'test-sender' | 'test-control';
  text: string;
}

/** Exchange names a scope up to 64 characters; the sender makes it recognisable in Get-ManagementScope. */
export function scopeName(senderAddress: string): string {
  return `Absender ${senderAddress}`.slice(0, 64);
}

/**
 * RBAC for Applications, as Microsoft documents it: service principal pointer, a management scope for
 * exactly this sender, the "Application Mail.Send" role assigned with that scope, then the check.
 */
export function rbacCommands(input: RestrictionInput): RestrictionCommand[] {
  const { profile } = input;
  const env = SETUP_CLOUDS[profile.cloud].exchangeEnvironment;
  const objectId = input.servicePrincipalObjectId.trim() || OBJECT_ID_PLACEHOLDER;
  const control = input.controlMailbox.trim() || CONTROL_MAILBOX_PLACEHOLDER;
  const scope = psSingleQuoted(scopeName(profile.senderAddress));
  const app = psSingleQuoted(profile.clientId);
  return [
    { id: 'connect', text: env === null ? 'Connect-ExchangeOnline' : `Connect-ExchangeOnline -ExchangeEnvironmentName ${env}` },
    {
      id: 'service-principal',
      text: `New-ServicePrincipal -AppId ${app} -ObjectId ${psSingleQuoted(objectId)} -DisplayName ${psSingleQuoted(profile.name)}`,
    },
    {
      id: 'scope',
      text: `New-ManagementScope -Name ${scope} -RecipientRestrictionFilter ${recipientFilterArgument(profile.senderAddress)}`,
    },
    {
      id: 'assignment',
      text: `New-ManagementRoleAssignment -App ${app} -Role 'Application Mail.Send' -CustomResourceScope ${scope}`,
    },
    {
      id: 'test-sender',
      text: `Test-ServicePrincipalAuthorization -Identity ${app} -Resource ${psSingleQuoted(profile.senderAddress)}`,
    },
    { id: 'test-control', text: `Test-ServicePrincipalAuthorization -Identity ${app} -Resource ${psSingleQuoted(control)}` },
  ];
}

/** Application Access Policies: only for setups that still have one (Microsoft: create no new ones). */
export function legacyCommands(input: RestrictionInput): { id: 'policy' | 'test-policy' | 'remove-policy'; text: string }[] {
  const { profile } = input;
  const app = psSingleQuoted(profile.clientId);
  const sender = psSingleQuoted(profile.senderAddress);
  return [
    {
      id: 'policy',
      text: `New-ApplicationAccessPolicy -AppId ${app} -PolicyScopeGroupId ${sender} -AccessRight RestrictAccess -Description ${psSingleQuoted(`Absender ${profile.name}`)}`,
    },
    { id: 'test-policy', text: `Test-ApplicationAccessPolicy -Identity ${sender} -AppId ${app}` },
    {
      id: 'remove-policy',
      text: `Get-ApplicationAccessPolicy | Where-Object { $_.AppId -eq ${app} } | Remove-ApplicationAccessPolicy`,
    },
  ];
}

export const scriptText = (commands: readonly { text: string }[]): string => commands.map((c) => c.text).join('\n');

export const isScriptComplete = (input: RestrictionInput): boolean =>
  input.servicePrincipalObjectId.trim() !== '' && input.controlMailbox.trim() !== '';
