import { z } from 'zod';
import { SetupProgress } from './setup/setup-progress';
import { CLOUD_IDS } from './clouds';
import { ACCOUNT_TYPES, GUID_RE, hasControlChars, LANGUAGES, SIGN_IN_METHODS } from './domain-basics';

export {
  ACCOUNT_TYPES,
  hasControlChars,
  isAppOnlyType,
  isGuid,
  LANGUAGES,
  SIGN_IN_METHODS,
  toAccountType,
} from './domain-basics';

// Shared by the renderer (field errors) and the core (the same checks before anything is stored).

export const AccountType = z.enum(ACCOUNT_TYPES);
export type AccountType = z.infer<typeof AccountType>;

export const Cloud = z.enum(CLOUD_IDS);
export type Cloud = z.infer<typeof Cloud>;

export const SignInMethod = z.enum(SIGN_IN_METHODS);
export type SignInMethod = z.infer<typeof SignInMethod>;

export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

// A verified domain such as contoso.onmicrosoft.com or contoso.de (labels, at least one dot).
const DOMAIN_RE = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * A text field: length first (a format check on megabytes of input can exhaust the stack), then no control
 * characters, then the field's own format. A pipe stops at the first stage that fails.
 */
export const boundedText = (max: number): z.ZodString =>
  z
    .string()
    .max(max, { error: 'validation.tooLong', abort: true })
    .refine((v) => !hasControlChars(v), { error: 'validation.controlChars', abort: true });

// Messages are i18n keys: the UI translates them into the admin's language.
export const Guid = boundedText(36).regex(GUID_RE, { error: 'validation.guid' });
export const TenantId = boundedText(253).refine((v) => GUID_RE.test(v) || DOMAIN_RE.test(v), { error: 'validation.tenant' });
export const MailAddress = boundedText(320).pipe(z.email({ error: 'validation.email' }));
export const MailAddressOrEmpty = boundedText(320).pipe(z.union([z.literal(''), z.email()], { error: 'validation.email' }));
/** Profile ids are UUIDs the core made: never a name such as "constructor" or "__proto__" that a lookup could trip on. */
export const ProfileId = z.string().max(36).regex(GUID_RE);
export const IsoDate = z.iso.datetime({ offset: true });
export const IsoDay = z.iso.date();

export const ProfileName = boundedText(80).trim().min(1, { error: 'validation.required' });

/** What the mask sends to be saved. The secret travels only inward (renderer → main), never back. */
export const ProfileDraft = z
  .object({
    id: ProfileId.optional(),
    /** The revision the edit started from; a stale one is refused (no lost edits). */
    revision: z.number().int().nonnegative().optional(),
    name: ProfileName,
    accountType: AccountType,
    cloud: Cloud.default('global'),
    senderAddress: MailAddress,
    mailboxAddress: MailAddressOrEmpty,
    clientId: Guid,
    tenant: TenantId,
    secretExpiresOn: IsoDay.or(z.literal('')),
    signInMethod: SignInMethod.default('popup'),
  })
  .strict();
export type ProfileDraft = z.input<typeof ProfileDraft>;

/**
 * What a test or save learned about the stored secret and the list must keep showing: Entra called it
 * expired (AADSTS7000222), or it was saved although it looked like the Secret ID. Cleared when the
 * stored secret gets a token, or is replaced.
 */
export const SECRET_ISSUES = ['expired', 'secret-id'] as const;
export const SecretIssue = z.object({ kind: z.enum(SECRET_ISSUES), at: IsoDate }).strict();
export type SecretIssue = z.infer<typeof SecretIssue>;

export const SecretMeta = z
  .object({
    hasSecret: z.boolean(),
    /** First three characters, as the Entra admin center shows them beside each secret. */
    secretHint: z.string().max(4).nullable(),
    secretExpiresOn: IsoDay.nullable(),
    /** Absent in files written before it existed, and whenever nothing is known against the secret. */
    issue: SecretIssue.optional(),
  })
  .strict();
export type SecretMeta = z.infer<typeof SecretMeta>;

const HEX_THUMBPRINT = (length: number) => z.string().regex(new RegExp(`^[0-9A-F]{${length}}$`));

/**
 * A certificate profile's public facts, as Entra lists them beside the uploaded certificate. The
 * certificate itself is public (it is what the admin uploads); its private key lives only in the vault.
 */
export const CertificateMeta = z
  .object({
    /** SHA-256 of the DER, uppercase hex without separators: what MSAL sends as x5t#S256. */
    thumbprintSha256: HEX_THUMBPRINT(64),
    /** SHA-1, uppercase hex: the "Fingerabdruck"/"Thumbprint" column of the Entra portal. */
    thumbprintSha1: HEX_THUMBPRINT(40),
    subject: z.string().max(400),
    notBefore: IsoDate,
    notAfter: IsoDate,
    /** Created here or imported (a PFX or PEM pair). */
    origin: z.enum(['created', 'imported']),
    certPem: z
      .string()
      .max(12_000)
      .regex(/^-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/),
  })
  .strict();
export type CertificateMeta = z.infer<typeof CertificateMeta>;

/** A failed background refresh: when, which diagnosis (catalogue id) and the raw code (AADSTS…). */
export const RefreshError = z
  .object({ at: IsoDate, diagnosisId: z.string().max(64), code: z.string().max(64).nullable() })
  .strict();
export type RefreshError = z.infer<typeof RefreshError>;

export const DelegatedAccount = z
  .object({
    username: z.string().max(320),
    homeAccountId: z.string().max(200),
    lastInteractiveSignIn: IsoDate,
    lastSilentRefresh: IsoDate.nullable(),
    /**
     * The last failed keep-alive refresh, cleared by the next successful refresh or sign-in. Profiles
     * stored before keep-alive existed have no such field: the default reads them as "no failure".
     */
    lastRefreshError: RefreshError.nullable().default(null),
  })
  .strict();
export type DelegatedAccount = z.infer<typeof DelegatedAccount>;

export const TestOutcome = z.enum(['ok', 'warning', 'failed']);
export const LastTest = z.object({ at: IsoDate, outcome: TestOutcome, failedStep: z.string().max(64).nullable() }).strict();

/** The renderer's view of a profile: by construction it has no field that could carry a secret or token. */
export const ProfileView = z
  .object({
    id: ProfileId,
    revision: z.number().int(),
    name: z.string(),
    accountType: AccountType,
    cloud: Cloud,
    senderAddress: z.string(),
    mailboxAddress: z.string(),
    clientId: z.string(),
    tenant: z.string(),
    secret: SecretMeta,
    /** client-certificate profiles only; files from before certificates have none. */
    certificate: CertificateMeta.optional(),
    /** The next certificate (renewal with overlap, or a secret profile's switch): tested before it becomes current. */
    certificateNext: CertificateMeta.optional(),
    /** Files written before the choice existed hold popup profiles: the default keeps them loadable as such. */
    signInMethod: SignInMethod.default('popup'),
    delegated: DelegatedAccount.nullable(),
    lastTest: LastTest.nullable(),
    /** The setup assistant's ticks and findings; absent until the admin first uses it. */
    setup: SetupProgress.optional(),
    createdAt: IsoDate,
    updatedAt: IsoDate,
  })
  .strict();
export type ProfileView = z.infer<typeof ProfileView>;

/** Weekly by default: well inside Entra's 90-day inactivity window even if the app is closed for weeks. */
export const DEFAULT_KEEP_ALIVE_DAYS = 7;
export const KeepAliveDays = z.number().int().min(1).max(60);

/**
 * "system": the OS's proxy configuration (PAC/WPAD included, in the app); "none": direct; otherwise one
 * http://host:port. No credentials in the URL: they would be stored in plain text (proxy sign-in is the OS's).
 */
export const PROXY_MODES = ['system', 'none'] as const;
const PROXY_URL_RE = /^http:\/\/(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?):(\d{1,5})\/?$/i;
export const ProxyUrl = z
  .string()
  .trim()
  .max(300, { error: 'validation.tooLong' })
  .superRefine((value, ctx) => {
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      // falls through to the format message
    }
    if (url && (url.username !== '' || url.password !== '' || /^[a-z]+:\/\/[^/]*@/i.test(value))) {
      ctx.addIssue({ code: 'custom', message: 'validation.proxyCredentials' });
      return;
    }
    const port = Number(PROXY_URL_RE.exec(value)?.[3] ?? NaN);
    if (!url || url.protocol !== 'http:' || !(port >= 1 && port <= 65_535))
      ctx.addIssue({ code: 'custom', message: 'validation.proxyUrl' });
  });
export const ProxySetting = z.union([z.enum(PROXY_MODES), ProxyUrl]);
export type ProxySetting = z.infer<typeof ProxySetting>;

/**
 * An extra host the sign-in window may show: a federation server (AD FS, Okta, PingFederate) the
 * tenant's domain sends the sign-in to. Exact host[:port] only (no scheme, path, wildcard), lower
 * case, IDN as punycode (the URL parser's form, the one the window compares). IP literals are
 * refused: a federation server is reached by the DNS name its certificate is issued for, and the
 * window title that vouches for the page would show a bare address.
 */
export const MAX_SIGN_IN_HOSTS = 20;
export const SignInHost = z
  .string()
  .trim()
  .max(260, { error: 'validation.tooLong' })
  .transform((value, ctx) => {
    const host = canonicalSignInHost(value);
    if (host.kind === 'ok') return host.host;
    ctx.addIssue({ code: 'custom', message: host.issue });
    return z.NEVER;
  });
export const SignInHosts = z
  .array(SignInHost)
  .max(MAX_SIGN_IN_HOSTS, { error: 'validation.signInHostsTooMany' })
  .transform((hosts) => [...new Set(hosts)]);

const IPV4_RE = /^\d{1,3}(\.\d{1,3}){3}$/;

/** host[:port] as the window compares it, or the i18n key of what is wrong with the entry. */
export function canonicalSignInHost(value: string): { kind: 'ok'; host: string } | { kind: 'issue'; issue: string } {
  const issue = (key: string) => ({ kind: 'issue' as const, issue: `validation.${key}` });
  if (value.includes('*')) return issue('signInHostWildcard');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /[/\\?#@\s]/.test(value)) return issue('signInHostFormat');
  let url: URL;
  try {
    url = new URL(`https://${value}`);
  } catch {
    return issue('signInHostFormat');
  }
  if (url.hostname.startsWith('[') || IPV4_RE.test(url.hostname)) return issue('signInHostIp');
  if (url.hostname === '' || url.hostname.endsWith('.') || url.hostname.startsWith('.')) return issue('signInHostFormat');
  return { kind: 'ok', host: url.host };
}

/** The relay as the window runs it: off until the admin switches it on; any address but loopback needs an allowlist. */
export const RelaySettings = z
  .object({
    enabled: z.boolean(),
    host: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]),
    /** 0 = any free port (the test host); the app's default is 2525. */
    port: z.number().int().min(0).max(65_535),
    allowClients: z.array(z.union([z.cidrv4(), z.cidrv6(), z.ipv4(), z.ipv6()])).max(64),
  })
  .strict();
export type RelaySettings = z.infer<typeof RelaySettings>;
export const DEFAULT_RELAY_SETTINGS: RelaySettings = { enabled: false, host: '127.0.0.1', port: 2525, allowClients: [] };

export const Settings = z
  .object({
    language: Language.nullable(),
    /** The admin accepted storing secrets without OS-level protection (Linux basic_text). */
    acceptedWeakEncryption: z.boolean(),
    /** Days between background refreshes of each signed-in Modern Authentication profile (keep-alive). */
    keepAliveDays: KeepAliveDays.default(DEFAULT_KEEP_ALIVE_DAYS),
    /** Files written before the setting existed use the OS's proxy configuration, as the app did then. */
    proxy: ProxySetting.default('system'),
    /** Federation servers the sign-in window may show besides Microsoft's hosts; none in files from before. */
    signInHosts: SignInHosts.default([]),
    /** The mask's standing notes from the manual are folded away; files from before show them. */
    manualHintsCollapsed: z.boolean().default(false),
    /** The SMTP relay of the window; files from before have it off. */
    relay: RelaySettings.default(DEFAULT_RELAY_SETTINGS),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

/**
 * Demo mode only (the built-in emulator's world): what the banner shows so an evaluating admin can sign in.
 * These are the emulator's test accounts, never real ones; client secrets are not among them (they stay in the core).
 */
export const DemoInfo = z
  .object({
    tenantId: z.string().max(64),
    tenantDomain: z.string().max(253),
    accounts: z.array(z.object({ upn: z.string().max(320), password: z.string().max(64) }).strict()).max(16),
    mfaCode: z.string().max(16),
  })
  .strict();
export type DemoInfo = z.infer<typeof DemoInfo>;

export const AppInfo = z
  .object({
    version: z.string(),
    host: z.enum(['electron', 'browser-test-host']),
    platform: z.string(),
    osLanguage: z.string(),
    encryption: z.object({ available: z.boolean(), backend: z.string() }).strict(),
    /** What start-up had to repair (file names only, never contents), for the notice in the window. */
    storage: z.array(
      z
        .object({
          file: z.string(),
          state: z.enum(['restored-from-backup', 'started-empty', 'journal-damaged']),
          corruptFile: z.string().nullable(),
          backupFile: z.string().nullable(),
        })
        .strict(),
    ),
    /** The log file, and the first write to it that failed (SH-3: shown once in the window, not dropped). */
    log: z
      .object({
        path: z.string(),
        failure: z.object({ code: z.string(), reason: z.string() }).strict().nullable(),
      })
      .strict()
      .optional(),
    /** Present only when the app runs against the built-in emulator (npm start -- --demo, npm run preview). */
    demo: DemoInfo.optional(),
  })
  .strict();
export type AppInfo = z.infer<typeof AppInfo>;
