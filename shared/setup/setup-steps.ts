import { adminConsentUrl as cloudConsentUrl } from '../clouds';
import type { AccountType, Cloud, SignInMethod } from '../domain';
import { LOOPBACK_REDIRECT_URI } from '../redirect-uris';
import { nativeClientUriFor, SETUP_CLOUDS } from './setup-clouds';
import type { SetupProgress, SetupStepId } from './setup-progress';
import { SETUP_STEP_IDS } from './setup-step-ids';

/** The profile values the assistant fills in (a saved profile or the mask's current values). */
export interface SetupProfile {
  name: string;
  accountType: AccountType;
  cloud: Cloud;
  senderAddress: string;
  mailboxAddress: string;
  clientId: string;
  tenant: string;
  signInMethod: SignInMethod;
}

/**
 * How the account type signs in: app-only (a secret today, a certificate later) or on behalf of a
 * signed-in user. Permissions, consent, platform and restriction follow from this, not from the type name.
 */
export type SignInKind = 'app-only' | 'delegated';
const SIGN_IN_KIND: Record<AccountType, SignInKind> = {
  'client-secret': 'app-only',
  'client-certificate': 'app-only',
  'modern-auth': 'delegated',
};
export const signInKindOf = (type: AccountType): SignInKind => SIGN_IN_KIND[type];

export interface GraphPermission {
  /** As Entra lists it under "Microsoft Graph". */
  name: 'Mail.Send' | 'Mail.ReadWrite' | 'offline_access' | 'User.Read';
  type: 'delegated' | 'application';
  /** Mail.ReadWrite: only for attachments above 3 MB (an upload session needs a draft). */
  onlyFor?: 'large-attachments';
}

export interface SetupStep {
  id: SetupStepId;
  /** Values for the step's text (i18n params). */
  params: Record<string, string>;
  /** What the admin copies into the portal, in order. */
  copy: { label: 'redirectUri' | 'clientId' | 'tenant' | 'senderAddress' | 'consentUrl'; value: string }[];
  permissions?: GraphPermission[];
  adminConsent?: { required: boolean; url: string | null };
}

/** Microsoft's own wording: the app-only Mail.Send needs an admin; the delegated trio users may consent to themselves. */
export function graphPermissions(type: AccountType): GraphPermission[] {
  return signInKindOf(type) === 'app-only'
    ? [
        { name: 'Mail.Send', type: 'application' },
        { name: 'Mail.ReadWrite', type: 'application', onlyFor: 'large-attachments' },
      ]
    : [
        { name: 'Mail.Send', type: 'delegated' },
        { name: 'offline_access', type: 'delegated' },
        { name: 'User.Read', type: 'delegated' },
      ];
}

/** The redirect URIs to tick under "Mobile Anwendungen und Desktopanwendungen": exactly the one this profile's sign-in uses. */
export function redirectUris(profile: Pick<SetupProfile, 'accountType' | 'cloud' | 'signInMethod'>): string[] {
  if (signInKindOf(profile.accountType) !== 'delegated') return [];
  return profile.signInMethod === 'system-browser' ? [LOOPBACK_REDIRECT_URI] : [nativeClientUriFor(profile.cloud)];
}

/** `{authority}/{tenant}/adminconsent?client_id=…` of the profile's cloud; null until both IDs are filled in. */
export function adminConsentUrl(profile: Pick<SetupProfile, 'cloud' | 'tenant' | 'clientId'>): string | null {
  return cloudConsentUrl(profile.cloud, profile.tenant, profile.clientId) || null;
}

export const adminConsentRequired = (type: AccountType): boolean => signInKindOf(type) === 'app-only';

/** The manual's steps for this profile, in order, with its values filled in. */
export function setupSteps(profile: SetupProfile): SetupStep[] {
  const kind = signInKindOf(profile.accountType);
  const cloud = SETUP_CLOUDS[profile.cloud];
  const base = { sender: profile.senderAddress, name: profile.name, portal: cloud.entraPortal };
  const consentUrl = adminConsentUrl(profile);
  const steps: SetupStep[] = [
    { id: 'mailbox', params: { ...base, kind }, copy: [{ label: 'senderAddress', value: profile.senderAddress }] },
    { id: 'app-registration', params: { ...base }, copy: [] },
  ];
  if (kind === 'delegated') {
    steps.push({
      id: 'platform',
      params: base,
      copy: redirectUris(profile).map((value) => ({ label: 'redirectUri' as const, value })),
    });
  }
  steps.push({ id: 'api-permissions', params: base, copy: [], permissions: graphPermissions(profile.accountType) });
  steps.push({
    id: 'admin-consent',
    params: { ...base, kind },
    copy: consentUrl ? [{ label: 'consentUrl', value: consentUrl }] : [],
    adminConsent: { required: adminConsentRequired(profile.accountType), url: consentUrl },
  });
  if (profile.accountType === 'client-secret') steps.push({ id: 'client-secret', params: base, copy: [] });
  if (profile.accountType === 'client-certificate') steps.push({ id: 'certificate', params: base, copy: [] });
  if (kind === 'app-only') steps.push({ id: 'restriction', params: base, copy: [] });
  return steps;
}

/** The steps of this profile the admin has not ticked; none once a test succeeded (the assistant is done). */
export function openSteps(profile: SetupProfile & { setup?: SetupProgress | undefined }): SetupStepId[] {
  if (profile.setup?.completedAt) return [];
  const ticked = new Set(profile.setup?.ticked ?? []);
  return setupSteps(profile)
    .map((s) => s.id)
    .filter((id) => !ticked.has(id));
}

/** Ticked ids in the canonical order, without duplicates (what the core stores). */
export const normaliseTicked = (ids: readonly SetupStepId[]): SetupStepId[] => SETUP_STEP_IDS.filter((id) => ids.includes(id));
