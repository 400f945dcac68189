import { DEFAULT_SETTINGS, type ClientSecret, type WorldData } from './world';

const DAY = 24 * 60 * 60 * 1000;
// Secret dates are relative to today (UTC midnight) so "valid"/"expired" hold whenever the tests run,
// and two processes started on the same day agree on them.
const TODAY = Math.floor(Date.now() / DAY) * DAY;
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function secret(keyId: string, value: string, displayName: string, startMs: number, endMs: number): ClientSecret {
  return { keyId, value, hint: value.slice(0, 3), displayName, startDateTime: iso(startMs), endDateTime: iso(endMs) };
}

const TENANT_ID = 'c40d1b4f-110d-4247-9f76-9827d07f27e3';
const DOMAIN = 'contoso.onmicrosoft.com';

const confidentialSecret = secret(
  '566c6a93-96a3-4620-9356-8630dff6e2f2',
  'kZk2Q~gVqnN7jKs3oC.m1F3UYTsTdKAJ4nOhJMB1',
  'Absender ERP',
  TODAY - 30 * DAY,
  TODAY + 540 * DAY,
);
const expiredSecret = secret(
  '13534693-3c21-43af-bc8c-8221df2fade2',
  'Rwf1Q~nBq9ZExFv9Dc79jaVJW1PSG8x~DrPfmHDl',
  'Absender ERP (alt)',
  TODAY - 740 * DAY,
  TODAY - 10 * DAY,
);
const noConsentSecret = secret(
  'a208315f-a411-4354-b327-77bb4b249cd4',
  'zHX3Q~XW~7pbGBk9XtRWEioVH23JZYyLqxT4XXIW',
  'no consent',
  TODAY - 5 * DAY,
  TODAY + 360 * DAY,
);
const noMailSendSecret = secret(
  '0783f9e5-c179-4f95-954d-23188167c948',
  'XRI3Q~pR-FTnuZ9sRlIpzsd1HWBsq1GnDZbVao.W',
  'no Mail.Send',
  TODAY - 5 * DAY,
  TODAY + 360 * DAY,
);
const broadSecret = secret(
  '64cc4989-3e45-4276-bbb2-40f46a7dfa2e',
  'mPK8Q~PbHE8OTbswJCyZfxsxU_7Gg37iHNIkES-i',
  'broad',
  TODAY - 5 * DAY,
  TODAY + 360 * DAY,
);
const rbacSecret = secret(
  '98095a5f-cbc2-4800-8fb8-2d9229f1ab26',
  'Xqb6Q~4uB5dOjhJcgX85skb~lLqy3pGQQHy1A_4i',
  'rbac',
  TODAY - 5 * DAY,
  TODAY + 360 * DAY,
);

const draftSecret = secret(
  'ebf3efb0-860b-4bbc-a2a0-2dcdf46b3224',
  'SpP8Q~uACX161IduyvXBo9Dq4PNYbkmHgiCH7x.Q',
  'Absender ERP (drafts)',
  TODAY - 5 * DAY,
  TODAY + 360 * DAY,
);

const govSecret = secret(
  '85750621-02fb-4d4f-b57f-bc5af71a1bfc',
  'pbd8Q~sVEoR7TJYHSDATOCN-1D61~k7U4O5Zi~cz',
  'Absender ERP (GCC High)',
  TODAY - 5 * DAY,
  TODAY + 360 * DAY,
);

const NATIVE_CLIENT = 'https://login.microsoftonline.com/common/oauth2/nativeclient';
const GOV_NATIVE_CLIENT = 'https://login.microsoftonline.us/common/oauth2/nativeclient';
const GOV_TENANT_ID = 'e9bb466a-2873-4582-8942-dc06bc69f265';
const GOV_DOMAIN = 'contosogov.onmicrosoft.us';

/** Identifiers of the default demo world (tenant "Contoso"). Passwords and secrets are test-only. */
export const DEMO = {
  tenantId: TENANT_ID,
  tenantDomain: DOMAIN,
  tenantName: 'Contoso',
  /** A GUID that is no tenant (AADSTS90002). */
  unknownTenantId: 'ec5e016f-4026-4e51-b8d0-c5b663954025',
  /** A GUID that is no app in any tenant (AADSTS700016). */
  unknownClientId: '655cf97b-fbd1-4cef-bdc1-0a455da280fa',
  /** The code the MFA page accepts. */
  mfaCode: DEFAULT_SETTINGS.mfaCode,
  graphResource: 'https://graph.microsoft.com',
  graphDefaultScope: 'https://graph.microsoft.com/.default',
  nativeClientRedirectUri: NATIVE_CLIENT,

  /** "Exchange Online (with client secret)": application Mail.Send, admin consent, access policy → sender only. */
  confidentialApp: {
    clientId: '96e719fe-4f2e-4d57-960e-6be3cdccb29c',
    displayName: 'Absender ERP',
    servicePrincipalId: 'd4a3aead-3fc0-45bd-a137-dd00c40b3c43',
    secretValue: confidentialSecret.value,
    secretId: confidentialSecret.keyId,
    secretHint: confidentialSecret.hint,
    secretExpiresAt: confidentialSecret.endDateTime,
    expiredSecretValue: expiredSecret.value,
    expiredSecretId: expiredSecret.keyId,
    expiredSecretExpiredAt: expiredSecret.endDateTime,
  },
  /** "Exchange Online (Modern Authentication)": mobile & desktop platform, delegated Mail.Send + User.Read consented. */
  publicApp: {
    clientId: '414e5477-6e9a-47ef-96be-c186e1393824',
    displayName: 'Absender (Modern Authentication)',
    servicePrincipalId: '509ad44a-c2ca-4811-8821-442df7f41980',
    redirectUris: [NATIVE_CLIENT, 'msal414e5477-6e9a-47ef-96be-c186e1393824://auth'],
    scopes: ['https://graph.microsoft.com/Mail.Send', 'https://graph.microsoft.com/User.Read'],
  },
  /** Public app whose delegated permissions are configured but not admin-consented: users see the consent page. */
  publicAppNoConsent: {
    clientId: '525933eb-780b-40ce-b926-52787f31ebdd',
    displayName: 'Absender Test (no consent)',
    servicePrincipalId: '11a66263-a917-4b27-befc-17b65615309a',
  },
  /** Confidential app with application Mail.Send configured but no admin consent: token has no roles. */
  noConsentApp: {
    clientId: '6a89f1ff-ad22-42b7-a72c-e9804472e925',
    displayName: 'Absender ERP (consent pending)',
    servicePrincipalId: 'bbf8b943-36d7-444e-bfa2-4d8c55c52f4d',
    secretValue: noConsentSecret.value,
    secretId: noConsentSecret.keyId,
  },
  /** Confidential app with only User.Read.All (application): Mail.Send missing. */
  noMailSendApp: {
    clientId: 'd8b2ac45-d9c0-4015-900e-57c3ef6a1dad',
    displayName: 'Absender ERP (no Mail.Send)',
    servicePrincipalId: '9dd36024-713a-4fdb-a8a6-ffdbd36b5197',
    secretValue: noMailSendSecret.value,
    secretId: noMailSendSecret.keyId,
  },
  /** Confidential app with broad roles (Mail.Send, Mail.ReadWrite, User.Read.All) and no access policy. */
  broadApp: {
    clientId: '23a95b75-b90a-457f-8c6b-e9bb20c5609e',
    displayName: 'Legacy mailer (broad)',
    servicePrincipalId: 'f5534577-cc11-423a-8176-018d748aac45',
    secretValue: broadSecret.value,
    secretId: broadSecret.keyId,
  },
  /** RBAC for Applications: no roles in the token, Exchange grants Mail.Send for the sender mailbox only. */
  rbacApp: {
    clientId: 'e806d446-4bdc-41d4-bb21-7b909d858e05',
    displayName: 'Absender ERP (RBAC)',
    servicePrincipalId: 'bc644b4a-a468-441d-9e96-d6ee4bff0986',
    secretValue: rbacSecret.value,
    secretId: rbacSecret.keyId,
  },

  /**
   * Unattended sending with drafts and upload sessions: application Mail.Send + Mail.ReadWrite, admin consent,
   * access policy RestrictAccess → sender only (like confidentialApp).
   */
  draftApp: {
    clientId: 'e66e8dbd-818f-4a3a-8c34-86314e71a531',
    displayName: 'Absender ERP (drafts)',
    servicePrincipalId: 'dde580f8-27d3-4c21-8167-0f74d9444d6e',
    secretValue: draftSecret.value,
    secretId: draftSecret.keyId,
  },

  /** The mailbox created for sending (in the access policy's scope). */
  sender: {
    id: '271446d6-6d04-4a30-8b29-af24ed5400ef',
    upn: `bestellung@${DOMAIN}`,
    displayName: 'Bestellung',
    password: 'Bestellung!2026',
  },
  /** A real mailbox outside the confidential app's access policy scope. */
  otherMailbox: {
    id: '839f96ae-f887-407d-8f13-30fd79fbea6a',
    upn: `buchhaltung@${DOMAIN}`,
    displayName: 'Buchhaltung',
    password: 'Buchhaltung!2026',
  },
  /** A person's own account (has a mailbox, must not be used as sender). */
  personalUser: {
    id: 'dc90ff00-51d6-43bd-8bfd-405144cb71c9',
    upn: `max.mustermann@${DOMAIN}`,
    displayName: 'Max Mustermann',
    password: 'Mustermann!2026',
  },
  /** Requires MFA (code = mfaCode). */
  mfaUser: {
    id: '2ced5653-b3c2-44d7-9394-82eb0c078afb',
    upn: `lager@${DOMAIN}`,
    displayName: 'Lager',
    password: 'Lager!2026',
  },
  /** Account disabled (AADSTS50057). */
  disabledUser: {
    id: 'd90385ff-3ea7-498a-9f45-295fb781fb5e',
    upn: `rabatte@${DOMAIN}`,
    displayName: 'Rabatte',
    password: 'Rabatte!2026',
  },
  /** Blocked by a Conditional Access policy (AADSTS53003). */
  caBlockedUser: {
    id: '40073de5-74da-4689-92c1-85ebf361ef6f',
    upn: `versand@${DOMAIN}`,
    displayName: 'Versand',
    password: 'Versand!2026',
  },
  /** Signs in fine but has no Exchange Online licence/mailbox (MailboxNotEnabledForRESTAPI). */
  unlicensedUser: {
    id: 'c42a4b00-1b2a-423d-8fbc-52f2b3d76ceb',
    upn: `archiv@${DOMAIN}`,
    displayName: 'Archiv',
    password: 'Archiv!2026',
  },
  /** A second tenant, to test wrong-tenant sign-ins. */
  otherTenant: {
    tenantId: '4c31db87-915f-41b1-9efb-a1d58f95b55d',
    domain: 'fabrikam.onmicrosoft.com',
    userUpn: 'erika@fabrikam.onmicrosoft.com',
    userId: 'd584f87b-7c3b-456b-8621-5d829f0f37bb',
    userPassword: 'Fabrikam!2026',
  },
  /**
   * A tenant whose domain northwind.example is federated (AD FS): its users sign in on the emulator's
   * federation host (emu.federationHost), which the sign-in window blocks unless it is in the settings.
   */
  federated: {
    tenantId: '951e62b5-9476-4f5f-b095-4f103c6204cd',
    domain: 'northwind.example',
    publicAppClientId: 'b5b7e6f8-90f3-459b-8f56-617678b8e5be',
    publicAppServicePrincipalId: '7938109f-1f80-483a-94de-be04873e2ee8',
    sender: {
      id: '0282403f-f7a7-4d8b-8ff2-3d1451d9a418',
      upn: 'bestellung@northwind.example',
      displayName: 'Bestellung (Northwind)',
      password: 'Northwind!2026',
    },
  },
  /**
   * A tenant in US Government (GCC High), served only by the emulator's second cloud (emu.secondCloud):
   * the global hosts do not know it (client credentials there: AADSTS900382), and it knows no global tenant.
   */
  usGov: {
    tenantId: GOV_TENANT_ID,
    domain: GOV_DOMAIN,
    graphResource: 'https://graph.microsoft.us',
    confidentialApp: {
      clientId: '9d324628-2c14-4064-88b0-20b723ebe36e',
      displayName: 'Absender ERP (GCC High)',
      servicePrincipalId: 'd8169727-b0c3-4f25-88f4-0e9df0250392',
      secretValue: govSecret.value,
      secretId: govSecret.keyId,
    },
    publicApp: {
      clientId: '87ad23ff-495f-4db1-8473-1888b815c7c5',
      displayName: 'Absender (GCC High, Modern Authentication)',
      servicePrincipalId: 'db05ece1-e316-4c95-a6d5-22e87eb75787',
      redirectUris: [GOV_NATIVE_CLIENT, 'msal87ad23ff-495f-4db1-8473-1888b815c7c5://auth'],
    },
    sender: {
      id: '6537307d-1dc0-45d4-a44f-2a3119917326',
      upn: `bestellung@${GOV_DOMAIN}`,
      displayName: 'Bestellung (GCC High)',
      password: 'Regierung!2026',
    },
  },
} as const;

const GRAPH_DELEGATED = ['Mail.Send', 'User.Read'];

/** A fresh copy of the demo world (tests may mutate it freely). */
export function demoWorldData(): WorldData {
  const d = DEMO;
  const person = (
    u: { id: string; upn: string; displayName: string; password: string },
    extra: Partial<WorldData['users'][number]> = {},
  ): WorldData['users'][number] => ({
    id: u.id,
    tenantId: TENANT_ID,
    userPrincipalName: u.upn,
    mail: u.upn,
    displayName: u.displayName,
    password: u.password,
    enabled: true,
    mfaRequired: false,
    licensed: true,
    hasMailbox: true,
    ...extra,
  });
  const confidential = (
    a: { clientId: string; displayName: string; servicePrincipalId: string },
    secrets: ClientSecret[],
    applicationPermissions: string[],
    adminConsent: boolean,
  ): WorldData['apps'][number] => ({
    clientId: a.clientId,
    tenantId: TENANT_ID,
    displayName: a.displayName,
    type: 'confidential',
    signInAudience: 'AzureADMyOrg',
    redirectUris: [],
    secrets,
    delegatedPermissions: ['User.Read'],
    applicationPermissions,
    adminConsent,
    servicePrincipalId: a.servicePrincipalId,
  });

  return {
    tenants: [
      { id: TENANT_ID, displayName: d.tenantName, domains: [DOMAIN, 'contoso.example'] },
      { id: d.otherTenant.tenantId, displayName: 'Fabrikam', domains: [d.otherTenant.domain] },
      {
        id: d.federated.tenantId,
        displayName: 'Northwind',
        domains: [d.federated.domain, 'northwind.onmicrosoft.com'],
        federatedDomains: [d.federated.domain],
      },
      { id: d.usGov.tenantId, displayName: 'Contoso Government', domains: [d.usGov.domain], cloud: 'usgov' },
    ],
    apps: [
      confidential(d.confidentialApp, [confidentialSecret, expiredSecret], ['Mail.Send'], true),
      {
        clientId: d.publicApp.clientId,
        tenantId: TENANT_ID,
        displayName: d.publicApp.displayName,
        type: 'public',
        signInAudience: 'AzureADMyOrg',
        redirectUris: [...d.publicApp.redirectUris],
        secrets: [],
        delegatedPermissions: [...GRAPH_DELEGATED],
        applicationPermissions: [],
        adminConsent: true,
        servicePrincipalId: d.publicApp.servicePrincipalId,
      },
      {
        clientId: d.publicAppNoConsent.clientId,
        tenantId: TENANT_ID,
        displayName: d.publicAppNoConsent.displayName,
        type: 'public',
        signInAudience: 'AzureADMyOrg',
        redirectUris: [NATIVE_CLIENT, `msal${d.publicAppNoConsent.clientId}://auth`],
        secrets: [],
        delegatedPermissions: [...GRAPH_DELEGATED],
        applicationPermissions: [],
        adminConsent: false,
        servicePrincipalId: d.publicAppNoConsent.servicePrincipalId,
      },
      {
        clientId: d.federated.publicAppClientId,
        tenantId: d.federated.tenantId,
        displayName: 'Absender (Northwind)',
        type: 'public',
        signInAudience: 'AzureADMyOrg',
        redirectUris: [NATIVE_CLIENT, `msal${d.federated.publicAppClientId}://auth`],
        secrets: [],
        delegatedPermissions: [...GRAPH_DELEGATED],
        applicationPermissions: [],
        adminConsent: true,
        servicePrincipalId: d.federated.publicAppServicePrincipalId,
      },
      confidential(d.noConsentApp, [noConsentSecret], ['Mail.Send'], false),
      confidential(d.noMailSendApp, [noMailSendSecret], ['User.Read.All'], true),
      confidential(d.broadApp, [broadSecret], ['Mail.Send', 'Mail.ReadWrite', 'User.Read.All'], true),
      confidential(d.rbacApp, [rbacSecret], [], true),
      confidential(d.draftApp, [draftSecret], ['Mail.Send', 'Mail.ReadWrite'], true),
      { ...confidential(d.usGov.confidentialApp, [govSecret], ['Mail.Send'], true), tenantId: d.usGov.tenantId },
      {
        clientId: d.usGov.publicApp.clientId,
        tenantId: d.usGov.tenantId,
        displayName: d.usGov.publicApp.displayName,
        type: 'public',
        signInAudience: 'AzureADMyOrg',
        redirectUris: [...d.usGov.publicApp.redirectUris],
        secrets: [],
        delegatedPermissions: [...GRAPH_DELEGATED],
        applicationPermissions: [],
        adminConsent: true,
        servicePrincipalId: d.usGov.publicApp.servicePrincipalId,
      },
    ],
    users: [
      person(d.sender, { givenName: 'Bestellung', jobTitle: 'Shared sender' }),
      person(d.otherMailbox),
      person(d.personalUser, { givenName: 'Max', surname: 'Mustermann', jobTitle: 'Einkauf' }),
      person(d.mfaUser, { mfaRequired: true }),
      person(d.disabledUser, { enabled: false }),
      person(d.caBlockedUser),
      person(d.unlicensedUser, { licensed: false, hasMailbox: false }),
      {
        id: d.otherTenant.userId,
        tenantId: d.otherTenant.tenantId,
        userPrincipalName: d.otherTenant.userUpn,
        mail: d.otherTenant.userUpn,
        displayName: 'Erika (Fabrikam)',
        password: d.otherTenant.userPassword,
        enabled: true,
        mfaRequired: false,
        licensed: true,
        hasMailbox: true,
      },
      { ...person(d.federated.sender), tenantId: d.federated.tenantId },
      { ...person(d.usGov.sender, { givenName: 'Bestellung' }), tenantId: d.usGov.tenantId },
    ],
    accessPolicies: [
      {
        appId: d.confidentialApp.clientId,
        accessRight: 'RestrictAccess',
        mailboxes: [d.sender.upn],
        description: 'Absender: only the sender mailbox',
      },
      {
        appId: d.draftApp.clientId,
        accessRight: 'RestrictAccess',
        mailboxes: [d.sender.upn],
        description: 'Absender (drafts): only the sender mailbox',
      },
    ],
    rbacAssignments: [{ appId: d.rbacApp.clientId, role: 'Application Mail.Send', mailboxes: [d.sender.upn] }],
    conditionalAccessBlocks: [{ name: 'Block Versand account', userId: d.caBlockedUser.id }],
    userConsents: [],
    settings: { ...DEFAULT_SETTINGS, accessTokenLifetimeSeconds: { ...DEFAULT_SETTINGS.accessTokenLifetimeSeconds } },
  };
}
