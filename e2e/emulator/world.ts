import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CloudId } from '../../shared/clouds';

/** A directory (Entra tenant). `domains[0]` is used as the display domain. */
export interface Tenant {
  id: string;
  displayName: string;
  /** Verified domains, e.g. contoso.onmicrosoft.com. */
  domains: string[];
  /** Domains federated to the tenant's own IdP (AD FS…): their users sign in on the emulator's federation host. */
  federatedDomains?: string[];
  /** The cloud instance the tenant lives in ('global' when absent); other clouds' hosts do not know it. */
  cloud?: CloudId;
}

/** An Entra passwordCredential. Only `value` authenticates; `keyId` is the "Secret ID" admins paste by mistake. */
export interface ClientSecret {
  keyId: string;
  value: string;
  /** First three characters of the value, as Entra stores it. */
  hint: string;
  displayName: string;
  startDateTime: string;
  endDateTime: string;
}

/**
 * An Entra keyCredential (Certificates & secrets → Certificates): the public certificate only. Entra lists it with
 * its SHA-1 thumbprint (customKeyIdentifier); assertions name it by `x5t#S256` or `x5t`.
 */
export interface KeyCredential {
  keyId: string;
  displayName: string;
  type: 'AsymmetricX509Cert';
  usage: 'Verify';
  /** Uppercase hex SHA-1 of the DER, as the portal lists it. */
  customKeyIdentifier: string;
  /** Uppercase hex SHA-256 of the DER. */
  thumbprintSha256: string;
  /** The certificate's notBefore / notAfter (Entra takes them from the certificate). */
  startDateTime: string;
  endDateTime: string;
  certPem: string;
}

export interface AppRegistration {
  clientId: string;
  tenantId: string;
  displayName: string;
  /** public = "Allow public client flows" / mobile & desktop platform: must not send a secret. */
  type: 'public' | 'confidential';
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
  redirectUris: string[];
  secrets: ClientSecret[];
  /** Registered certificates; absent in worlds written before certificates were modelled. */
  keyCredentials?: KeyCredential[];
  /** Configured delegated Microsoft Graph permissions (scope names, e.g. Mail.Send). */
  delegatedPermissions: string[];
  /** Configured application Microsoft Graph permissions (app roles, e.g. Mail.Send). */
  applicationPermissions: string[];
  /** "Grant admin consent for …" pressed: all configured permissions are consented tenant-wide. */
  adminConsent: boolean;
  /** Enterprise application (service principal) object id; the `oid` of app-only tokens. */
  servicePrincipalId: string;
}

export interface User {
  id: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  mail?: string;
  jobTitle?: string;
  password: string;
  enabled: boolean;
  mfaRequired: boolean;
  licensed: boolean;
  hasMailbox: boolean;
  /** Addresses this user may put in `from` besides their own (Send As rights). */
  sendAs?: string[];
  /** Set by revokeRefreshTokens (ms since epoch, emulator clock): refresh tokens issued before are invalid. */
  tokensValidFrom?: number;
}

/** Exchange Online application access policy (legacy): restricts or denies an app for a set of mailboxes. */
export interface AccessPolicy {
  appId: string;
  accessRight: 'RestrictAccess' | 'DenyAccess';
  /** Members of the policy's scope group (addresses or user ids). */
  mailboxes: string[];
  description?: string;
}

/** Exchange RBAC for Applications: grants a role to an app for a scope of mailboxes, independent of token roles. */
export interface RbacAssignment {
  appId: string;
  /** e.g. "Application Mail.Send". */
  role: string;
  mailboxes: string[];
}

/** A Conditional Access policy that blocks token issuance for a user and/or an app (both given = both must match). */
export interface ConditionalAccessBlock {
  name: string;
  userId?: string;
  appId?: string;
}

export interface UserConsent {
  appId: string;
  userId: string;
  scopes: string[];
}

export interface WorldSettings {
  /** Refresh token MaxInactiveTime (Entra: 90 days, not configurable since 2021). */
  refreshTokenMaxInactiveDays: number;
  /** Authorization code lifetime. */
  authCodeLifetimeSeconds: number;
  /** Delegated access token lifetime range (Entra: random 60–90 min). */
  accessTokenLifetimeSeconds: { min: number; max: number };
  /** App-only access token lifetime (Entra examples: 3599). */
  appTokenLifetimeSeconds: number;
  /** The one-time code the MFA page accepts. */
  mfaCode: string;
  /**
   * Entra keeps a rotated refresh token valid; the project's tests want rotation to be strict. true = a refresh
   * token is single-use (its reuse gives AADSTS70000).
   */
  invalidateRotatedRefreshTokens: boolean;
}

export interface WorldData {
  tenants: Tenant[];
  apps: AppRegistration[];
  users: User[];
  accessPolicies: AccessPolicy[];
  rbacAssignments: RbacAssignment[];
  conditionalAccessBlocks: ConditionalAccessBlock[];
  userConsents: UserConsent[];
  settings: WorldSettings;
}

export const DEFAULT_SETTINGS: WorldSettings = {
  refreshTokenMaxInactiveDays: 90,
  authCodeLifetimeSeconds: 600,
  accessTokenLifetimeSeconds: { min: 3600, max: 5400 },
  appTokenLifetimeSeconds: 3599,
  mfaCode: '123456',
  invalidateRotatedRefreshTokens: true,
};

/** Emulator time: real time plus an offset, or a fixed instant plus an offset. */
export class Clock {
  private offsetMs = 0;
  private fixedAt: number | undefined;

  constructor(fixedAt?: number) {
    this.fixedAt = fixedAt;
  }

  now(): number {
    return (this.fixedAt ?? Date.now()) + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Freezes time at `at` (ms), or unfreezes with undefined (the offset is kept). */
  setFixed(at: number | undefined): void {
    this.fixedAt = at;
    this.offsetMs = 0;
  }
}

const lower = (s: string): string => s.toLowerCase();

/** The mutable world the emulator serves. Tests change it directly or through the operations below. */
export class World {
  readonly data: WorldData;
  readonly clock: Clock;

  constructor(data: WorldData, clock: Clock = new Clock()) {
    this.data = data;
    this.clock = clock;
  }

  get settings(): WorldSettings {
    return this.data.settings;
  }

  /** Tenant by GUID or verified domain (case-insensitive). */
  tenant(idOrDomain: string): Tenant | undefined {
    const key = lower(idOrDomain);
    return this.data.tenants.find((t) => lower(t.id) === key || t.domains.some((d) => lower(d) === key));
  }

  /** True when the name's domain is federated: Entra sends its sign-in to the federation host. */
  isFederated(userName: string): boolean {
    const domain = lower(userName.split('@')[1] ?? '');
    return domain !== '' && this.data.tenants.some((t) => (t.federatedDomains ?? []).some((d) => lower(d) === domain));
  }

  tenantDomain(tenant: Tenant): string {
    return tenant.domains[0] ?? tenant.id;
  }

  /** App by client id; restricted to a tenant when one is given. */
  app(clientId: string, tenantId?: string): AppRegistration | undefined {
    const key = lower(clientId);
    return this.data.apps.find((a) => lower(a.clientId) === key && (tenantId === undefined || a.tenantId === tenantId));
  }

  /** User by object id, UPN, mail or Send-As-free alias (case-insensitive); restricted to a tenant when given. */
  user(idOrName: string, tenantId?: string): User | undefined {
    const key = lower(idOrName);
    return this.data.users.find(
      (u) =>
        (tenantId === undefined || u.tenantId === tenantId) &&
        (lower(u.id) === key || lower(u.userPrincipalName) === key || (u.mail !== undefined && lower(u.mail) === key)),
    );
  }

  userOrThrow(idOrName: string): User {
    const user = this.user(idOrName);
    if (user === undefined) throw new Error(`emulator world: no user ${idOrName}`);
    return user;
  }

  appOrThrow(clientId: string): AppRegistration {
    const app = this.app(clientId);
    if (app === undefined) throw new Error(`emulator world: no app ${clientId}`);
    return app;
  }

  /** Graph delegated scopes the user (or an admin for everyone) has consented to for this app. */
  consentedScopes(app: AppRegistration, userId: string): Set<string> {
    const scopes = new Set<string>(app.adminConsent ? app.delegatedPermissions : []);
    for (const c of this.data.userConsents) {
      if (c.appId === app.clientId && c.userId === userId) c.scopes.forEach((s) => scopes.add(s));
    }
    return scopes;
  }

  /** Application permissions that appear in an app-only token's `roles` (none without admin consent). */
  grantedRoles(app: AppRegistration): string[] {
    return app.adminConsent ? [...app.applicationPermissions] : [];
  }

  conditionalAccessBlock(userId: string | undefined, appId: string): ConditionalAccessBlock | undefined {
    return this.data.conditionalAccessBlocks.find(
      (b) =>
        (b.userId !== undefined || b.appId !== undefined) &&
        (b.userId === undefined || b.userId === userId) &&
        (b.appId === undefined || lower(b.appId) === lower(appId)),
    );
  }

  mailboxMatches(user: User, entries: string[]): boolean {
    const names = [user.id, user.userPrincipalName, user.mail].filter((n): n is string => n !== undefined).map(lower);
    return entries.some((e) => names.includes(lower(e)));
  }

  // ---- operations used by tests -------------------------------------------------------------------

  /** Like Revoke-MgUserSignInSession / a password reset: refresh tokens issued before now stop working (50173). */
  revokeRefreshTokens(user: string): void {
    this.userOrThrow(user).tokensValidFrom = this.clock.now();
  }

  setUserEnabled(user: string, enabled: boolean): void {
    this.userOrThrow(user).enabled = enabled;
  }

  setMfaRequired(user: string, required: boolean): void {
    this.userOrThrow(user).mfaRequired = required;
  }

  setPassword(user: string, password: string): void {
    const u = this.userOrThrow(user);
    u.password = password;
    u.tokensValidFrom = this.clock.now();
  }

  blockWithConditionalAccess(block: ConditionalAccessBlock): void {
    this.data.conditionalAccessBlocks.push(block);
  }

  clearConditionalAccess(): void {
    this.data.conditionalAccessBlocks.length = 0;
  }

  setAdminConsent(clientId: string, granted: boolean): void {
    this.appOrThrow(clientId).adminConsent = granted;
  }

  /** "Upload certificate" in the portal: the public certificate (PEM) becomes a keyCredential of the app. */
  registerCertificate(clientId: string, pem: string, displayName?: string): KeyCredential {
    const app = this.appOrThrow(clientId);
    const cert = new X509Certificate(pem);
    const hex = (alg: string): string => createHash(alg).update(cert.raw).digest('hex').toUpperCase();
    const credential: KeyCredential = {
      keyId: randomUUID(),
      displayName: displayName ?? cert.subject, // the portal's description defaults to the subject
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      customKeyIdentifier: hex('sha1'),
      thumbprintSha256: hex('sha256'),
      startDateTime: new Date(cert.validFrom).toISOString(),
      endDateTime: new Date(cert.validTo).toISOString(),
      certPem: cert.toString(),
    };
    app.keyCredentials = [...(app.keyCredentials ?? []), credential];
    return credential;
  }

  /** Deletes a certificate from the app (by keyId or either thumbprint). */
  removeCertificate(clientId: string, idOrThumbprint: string): void {
    const app = this.appOrThrow(clientId);
    const key = idOrThumbprint.toUpperCase();
    app.keyCredentials = (app.keyCredentials ?? []).filter(
      (k) => k.keyId.toUpperCase() !== key && k.customKeyIdentifier !== key && k.thumbprintSha256 !== key,
    );
  }

  /** Removes all user consents for an app (admin consent is a separate flag). */
  revokeUserConsents(clientId: string): void {
    this.data.userConsents = this.data.userConsents.filter((c) => lower(c.appId) !== lower(clientId));
  }

  grantUserConsent(clientId: string, userId: string, scopes: string[]): void {
    const existing = this.data.userConsents.find((c) => c.appId === clientId && c.userId === userId);
    if (existing === undefined) this.data.userConsents.push({ appId: clientId, userId, scopes: [...scopes] });
    else existing.scopes = [...new Set([...existing.scopes, ...scopes])];
  }
}

export type PartialWorldData = Partial<Omit<WorldData, 'settings'>> & { settings?: Partial<WorldSettings> };

/** Fills defaults so hand-written JSON worlds can omit empty lists and settings. */
export function normalizeWorldData(input: PartialWorldData): WorldData {
  return {
    tenants: input.tenants ?? [],
    apps: input.apps ?? [],
    users: input.users ?? [],
    accessPolicies: input.accessPolicies ?? [],
    rbacAssignments: input.rbacAssignments ?? [],
    conditionalAccessBlocks: input.conditionalAccessBlocks ?? [],
    userConsents: input.userConsents ?? [],
    settings: { ...DEFAULT_SETTINGS, ...input.settings },
  };
}

export function loadWorldJson(path: string): WorldData {
  return normalizeWorldData(JSON.parse(readFileSync(path, 'utf8')) as PartialWorldData);
}
