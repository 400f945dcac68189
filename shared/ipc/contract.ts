import { z } from 'zod';
import {
  AppInfo,
  Guid,
  IsoDay,
  KeepAliveDays,
  Language,
  MailAddress,
  ProfileDraft,
  MailAddressOrEmpty,
  ProfileId,
  ProxySetting,
  RelaySettings,
  Settings,
  SignInHosts,
  type ProfileView,
} from '../domain';
import type { Envelope } from '../errors';
import { HelpTopic } from '../help';
import { SetupStepId } from '../setup/setup-progress';
import {
  ConflictChoice,
  IMPORT_MAX_BYTES,
  MAX_EXPORTED_PROFILES,
  type HistoryEntry,
  type ImportApplyResult,
  type ImportPreview,
} from '../transfer/profile-transfer';
import { API_METHODS, type ApiMethods, type EventName } from './manifest';

const NoArgs = z.undefined();
/** A relay queue id as the queue names its files (time in base 36, random hex). */
const RelayQueueId = z.string().regex(/^[0-9a-z]{9}-[0-9a-f]{12}$/);
const Secret = z.string().min(1).max(1024);
// Characters, not bytes: the core checks the UTF-8 size (IMPORT_MAX_BYTES) and names it in its refusal.
const ImportText = z.string().max(IMPORT_MAX_BYTES);

/** 'next': the successor certificate, created and tested while the current credential stays in use. */
const CertificateSlot = z.enum(['current', 'next']);

/** One zod schema per method: every request is parsed in the main process before it reaches the core. */
export const REQUEST_SCHEMAS = {
  app: {
    info: NoArgs,
    openHelp: z.object({ topic: HelpTopic }).strict(),
    copy: z.object({ text: z.string().max(16_000) }).strict(),
  },
  settings: {
    get: NoArgs,
    update: z
      .object({
        language: Language.nullable().optional(),
        acceptedWeakEncryption: z.boolean().optional(),
        keepAliveDays: KeepAliveDays.optional(),
        proxy: ProxySetting.optional(),
        signInHosts: SignInHosts.optional(),
        manualHintsCollapsed: z.boolean().optional(),
      })
      .strict(),
  },
  profiles: {
    list: NoArgs,
    save: z.object({ draft: ProfileDraft, clientSecret: Secret.optional() }).strict(),
    delete: z.object({ id: ProfileId, revision: z.number().int().nonnegative() }).strict(),
    duplicate: z.object({ id: ProfileId }).strict(),
    /** The profiles as a JSON file without secrets (shared/transfer); the renderer saves it as a download. */
    export: z.object({ includeHistory: z.boolean() }).strict(),
    /** Parses a file's text and names conflicts by name; writes nothing. */
    importPreview: z.object({ text: ImportText }).strict(),
    /** Writes the file's profiles; each conflict by its index: skip (the default), replace or keep both. */
    importApply: z
      .object({
        text: ImportText,
        choices: z
          .array(z.object({ index: z.number().int().nonnegative().max(MAX_EXPORTED_PROFILES), choice: ConflictChoice }).strict())
          .max(MAX_EXPORTED_PROFILES),
      })
      .strict(),
    /** The profile's change history, oldest first. */
    history: z.object({ profileId: ProfileId }).strict(),
  },
  signIn: {
    start: z.object({ profileId: ProfileId }).strict(),
    signOut: z.object({ profileId: ProfileId }).strict(),
    cancel: z.object({ profileId: ProfileId }).strict(),
  },
  tests: {
    run: z
      .object({
        profileId: ProfileId,
        testMessageTo: MailAddress.optional(),
        restrictionProbeMailbox: MailAddress.optional(),
      })
      .strict(),
    /** Tests every profile (never a test message); progress arrives as tests.allProgress. */
    runAll: NoArgs,
  },
  certificates: {
    /** A new RSA 3072 key + self-signed certificate for a saved certificate profile (1…730 days, default 365). */
    create: z
      .object({
        profileId: ProfileId,
        revision: z.number().int().nonnegative(),
        validityDays: z.number().int().min(1).max(730).optional(),
        slot: CertificateSlot.optional(),
      })
      .strict(),
    /** A PFX/PKCS#12 or a PEM key + certificate; the password is used once and never stored. */
    import: z
      .object({
        profileId: ProfileId,
        revision: z.number().int().nonnegative(),
        slot: CertificateSlot.optional(),
        file: z.discriminatedUnion('kind', [
          z
            .object({
              kind: z.literal('pfx'),
              pfxBase64: z.base64().max(64_000),
              password: z.string().max(1024),
            })
            .strict(),
          z
            .object({
              kind: z.literal('pem'),
              certPem: z.string().min(1).max(64_000),
              keyPem: z.string().min(1).max(64_000),
              password: z.string().max(1024).optional(),
            })
            .strict(),
        ]),
      })
      .strict(),
    /** The public certificate only, as .cer (DER) or .pem. */
    export: z.object({ profileId: ProfileId, format: z.enum(['pem', 'der']), slot: CertificateSlot.optional() }).strict(),
    /** The connection test with the next certificate's key (the current credential stays in use); nothing is recorded. */
    testNext: z.object({ profileId: ProfileId }).strict(),
    /** Tests the next certificate and, only if it gets a token, makes it current (a secret profile becomes a certificate one). */
    switchNext: z.object({ profileId: ProfileId, revision: z.number().int().nonnegative() }).strict(),
  },
  setup: {
    /** One change at a time from the assistant: a tick, the enterprise app's object ID, the control mailbox, "restriction done". */
    update: z
      .object({
        profileId: ProfileId,
        tick: z.object({ step: SetupStepId, done: z.boolean() }).strict().optional(),
        servicePrincipalObjectId: z.union([z.literal(''), Guid]).optional(),
        controlMailbox: MailAddressOrEmpty.optional(),
        restrictionDone: z.boolean().optional(),
      })
      .strict(),
    openAdminConsent: z.object({ profileId: ProfileId }).strict(),
  },
  secrets: {
    /** Renew: the new value is tested while the stored one stays in place; only a working one replaces it. */
    renew: z
      .object({
        profileId: ProfileId,
        revision: z.number().int().nonnegative(),
        clientSecret: Secret,
        expiresOn: IsoDay.or(z.literal('')),
      })
      .strict(),
  },
  relay: {
    status: NoArgs,
    /** Switches the relay on (and stores it so): address, port and allowlist as given, else as stored. */
    start: RelaySettings.omit({ enabled: true }).partial().strict().optional(),
    stop: NoArgs,
    /** The queue without any message content: envelope, subject, size, state and the diagnosis. */
    list: z.object({ profileId: ProfileId.optional() }).strict().optional(),
    retryNow: z.object({ id: RelayQueueId }).strict(),
    remove: z.object({ id: RelayQueueId }).strict(),
    /** A new relay login for the profile (replacing the old one): the password is in this one answer only. */
    newPassword: z.object({ profileId: ProfileId }).strict(),
    revoke: z.object({ profileId: ProfileId }).strict(),
  },
} as const;

type Req<
  N extends keyof typeof REQUEST_SCHEMAS,
  M extends keyof (typeof REQUEST_SCHEMAS)[N],
> = (typeof REQUEST_SCHEMAS)[N][M] extends z.ZodType ? z.input<(typeof REQUEST_SCHEMAS)[N][M]> : never;

export type SaveProfileRequest = Req<'profiles', 'save'>;
export type TestRunRequest = Req<'tests', 'run'>;
export type RenewSecretRequest = Req<'secrets', 'renew'>;
export type CreateCertificateRequest = Req<'certificates', 'create'>;
export type ImportCertificateRequest = Req<'certificates', 'import'>;
export type ExportCertificateRequest = Req<'certificates', 'export'>;
export type SwitchCertificateRequest = Req<'certificates', 'switchNext'>;

/** What a switch replaced: the old certificate (its thumbprint, to remove it in Entra) or the old secret's hint. */
export type SwitchCertificateResult =
  | { outcome: 'rejected'; report: TestReport }
  | {
      outcome: 'switched';
      report: TestReport;
      replaced: { thumbprintSha256: string; thumbprintSha1: string } | null;
      replacedSecretHint: string | null;
    };

/** The public certificate, ready to save as a file for Entra's "Zertifikat hochladen" (never the key). */
export interface ExportedCertificate {
  fileName: string;
  mimeType: string;
  dataBase64: string;
  thumbprintSha256: string;
}
export type SetupUpdateRequest = Req<'setup', 'update'>;

export const TestStepStatus = z.enum(['pending', 'running', 'ok', 'warning', 'failed', 'skipped']);
export type TestStepStatus = z.infer<typeof TestStepStatus>;
export interface TestStep {
  id: string;
  status: TestStepStatus;
  durationMs: number | null;
  /** i18n key + params of the plain-language message and advice. */
  messageKey: string | null;
  adviceKey: string | null;
  params: Record<string, string>;
  /** Raw code (AADSTS…, Graph code, HTTP status), correlation/request id and timestamp for support. */
  code: string | null;
  httpStatus: number | null;
  correlationId: string | null;
  requestId: string | null;
  timestamp: string | null;
  /** Redacted raw message for "copy details". */
  detail: string | null;
}
export interface TestReport {
  runId: string;
  profileId: string;
  startedAt: string;
  finishedAt: string;
  outcome: 'ok' | 'warning' | 'failed';
  steps: TestStep[];
  /** The profile as stored after the run (its `lastTest` for the list's badge), as SignInResult carries it. */
  profile: ProfileView;
}

/** One profile's line in the "test all" summary: what the table, the clipboard and the CSV show (never a secret). */
export interface TestAllRow {
  profileId: string;
  name: string;
  accountType: ProfileView['accountType'];
  /** The outcome with the secret expiry and the sign-in window counted in (as `Absender check` does). */
  state: 'ok' | 'warning' | 'failed';
  /** The connection test's own outcome; null when it could not run. */
  outcome: TestReport['outcome'] | null;
  failedStep: string | null;
  failedMessageKey: string | null;
  failedParams: Record<string, string>;
  /** Raw code of the failed step (AADSTS…, Graph code, HTTP status). */
  code: string | null;
  secretExpiresOn: string | null;
  secretDaysLeft: number | null;
  /** Days since the last interactive sign-in (Modern Authentication), and days left in the 90-day window. */
  signInAgeDays: number | null;
  signInDaysLeft: number | null;
  /** The test could not start (error name only). */
  error: string | null;
}
export interface TestAllResult {
  batchId: string;
  startedAt: string;
  finishedAt: string;
  /** In the order of the profile list. */
  rows: TestAllRow[];
}

/**
 * How a renewal ended: `renewed` when the new value passed its token step and replaced the stored one
 * (`replacedHint` names the old secret the admin now deletes in Entra); `rejected` leaves everything stored as it was.
 */
export type RenewSecretResult =
  { outcome: 'renewed'; report: TestReport; replacedHint: string | null } | { outcome: 'rejected'; report: TestReport };

/**
 * How an interactive sign-in ended. `failed.step` (id 'signIn') carries the diagnosis exactly as a
 * test step does. `cancelled`: the admin closed the window ('closed') or it timed out ('timeout');
 * `redirectUri` is the URI the app registration needs, for a hint when Entra's page showed AADSTS50011.
 */
export type SignInResult =
  | { outcome: 'signed-in'; profile: ProfileView }
  | { outcome: 'cancelled'; reason: 'closed' | 'timeout'; redirectUri: string }
  | { outcome: 'failed'; step: TestStep };

export type RelayQueueStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** The relay as the panel shows it; `lockedBy` = another process (a headless `Absender relay`) runs it: read only. */
export interface RelayStatusView {
  running: boolean;
  lockedBy: { pid: number; host: string; port: number } | null;
  settings: RelaySettings;
  /** Where it listens while running (the real port when 0 was asked for). */
  address: string | null;
  port: number | null;
  /** SHA-256 of the STARTTLS certificate (shown so an ERP can pin it). */
  fingerprint: string | null;
  counts: Record<RelayQueueStatus, number> & { oldestPendingAt: string | null };
  /** The profiles that have a relay login (user name = sender address; never the hash). */
  logins: Array<{ profileId: string; user: string; createdAt: string }>;
  /** Per profile: messages pending longer than 15 minutes or failed (the list's badge). */
  stuck: Record<string, number>;
  /** credentials.json (`file`, full path) was unreadable: its bytes kept as `kept`; the relay logins must be set again. */
  loginsDamaged?: { file: string; kept: string; at: string } | null;
  /** The generated certificate could not be opened and was made anew (recently; `keptFile` full path of the old file). */
  tlsRegenerated?: { oldFingerprint: string | null; newFingerprint: string; keptFile: string; at: string } | null;
  /**
   * The running relay (here or in `lockedBy`) serves a temporary certificate `fingerprint` for this run: the stored
   * one (`storedFingerprint`, the one an ERP pinned) waits, untouched, because the OS key store is unavailable or
   * another backend; a start with it back serves the stored one again.
   */
  tlsTemporary?: { fingerprint: string; storedFingerprint: string; reason: 'cipher-unavailable' | 'other-backend' } | null;
}

/** One queued message: never its content, only what an admin needs to decide (retry, delete). */
export interface RelayQueueRow {
  id: string;
  profileId: string;
  mailFrom: string;
  rcptTo: string[];
  subject: string | null;
  size: number;
  acceptedAt: string;
  status: RelayQueueStatus;
  attempts: number;
  nextAttemptAt: string;
  finishedAt: string | null;
  bounced: boolean;
  /** Sent again after a crash without the mailbox lookup (the app may not read it): the recipients may have it twice. */
  uncheckedResend: boolean;
  /** The last attempt's reply; `diagnosis` is the diagnostics catalogue key, `text` the relay's own wording. */
  lastReply: { code: number; enhanced: string; diagnosis: string | null; text: string } | null;
}

/** The whole API the renderer may call. */
export interface AbsenderApi {
  app: {
    info(): Promise<AppInfo>;
    openHelp(req: Req<'app', 'openHelp'>): Promise<void>;
    /** Copies text for the admin (IDs, URIs, support details); main redacts it first (SH-3, SH-5). */
    copy(req: Req<'app', 'copy'>): Promise<void>;
  };
  settings: {
    get(): Promise<Settings>;
    update(req: Req<'settings', 'update'>): Promise<Settings>;
  };
  profiles: {
    list(): Promise<ProfileView[]>;
    save(req: SaveProfileRequest): Promise<ProfileView>;
    delete(req: Req<'profiles', 'delete'>): Promise<void>;
    duplicate(req: Req<'profiles', 'duplicate'>): Promise<ProfileView>;
    export(req: Req<'profiles', 'export'>): Promise<{ fileName: string; text: string }>;
    importPreview(req: Req<'profiles', 'importPreview'>): Promise<ImportPreview>;
    importApply(req: Req<'profiles', 'importApply'>): Promise<ImportApplyResult>;
    history(req: Req<'profiles', 'history'>): Promise<HistoryEntry[]>;
  };
  signIn: {
    /** Opens the sign-in window; a refusal or Entra error comes back as a step, like a test's. */
    start(req: Req<'signIn', 'start'>): Promise<SignInResult>;
    /** Removes the account and the encrypted token cache; the profile stays. */
    signOut(req: Req<'signIn', 'signOut'>): Promise<ProfileView>;
    /** Ends a running sign-in (the only way out of system-browser mode before the timeout). */
    cancel(req: Req<'signIn', 'cancel'>): Promise<void>;
  };
  tests: {
    run(req: TestRunRequest): Promise<TestReport>;
    /** Tests every profile with Graph's concurrency bound; one call at a time (a second joins the running one). */
    runAll(): Promise<TestAllResult>;
  };
  certificates: {
    /** Creates the key (vault only) and certificate of a certificate profile; the profile carries the public part. */
    create(req: CreateCertificateRequest): Promise<ProfileView>;
    /** Imports a PFX or PEM pair; every refusal (password, mismatch, validity, key size) stores nothing. */
    import(req: ImportCertificateRequest): Promise<ProfileView>;
    export(req: ExportCertificateRequest): Promise<ExportedCertificate>;
    testNext(req: { profileId: string }): Promise<TestReport>;
    switchNext(req: SwitchCertificateRequest): Promise<SwitchCertificateResult>;
  };
  setup: {
    /** Stores the assistant's state on the profile (no revision: not an edit) and returns the profile. */
    update(req: SetupUpdateRequest): Promise<ProfileView>;
    /** Opens `{authority}/{tenant}/adminconsent?client_id=…` of the stored profile in the system browser. */
    openAdminConsent(req: Req<'setup', 'openAdminConsent'>): Promise<void>;
  };
  secrets: {
    /** Tests a new secret value and stores it (with its expiry) only when its token step passed. */
    renew(req: RenewSecretRequest): Promise<RenewSecretResult>;
  };
  relay: {
    status(): Promise<RelayStatusView>;
    start(req?: Req<'relay', 'start'>): Promise<RelayStatusView>;
    stop(): Promise<RelayStatusView>;
    list(req?: Req<'relay', 'list'>): Promise<RelayQueueRow[]>;
    retryNow(req: Req<'relay', 'retryNow'>): Promise<RelayQueueRow[]>;
    remove(req: Req<'relay', 'remove'>): Promise<RelayQueueRow[]>;
    /** The one answer that carries a secret: shown once in a dialog, never stored or logged (only its scrypt hash). */
    newPassword(req: Req<'relay', 'newPassword'>): Promise<{ user: string; password: string }>;
    revoke(req: Req<'relay', 'revoke'>): Promise<RelayStatusView>;
  };
}

export interface ApiEvents {
  /** The relay started, stopped, accepted or delivered something: the panel and the list's badge read it again. */
  'relay.changed': RelayStatusView;
  /** The log file could not be written (the first time while the app runs): the window names file and reason. */
  'app.logFailure': NonNullable<AppInfo['log']>;
  'tests.progress': { runId: string; profileId: string; step: TestStep };
  /** "Test all": `done` of `total` finished; `row` is the one that just finished (null at the start). */
  'tests.allProgress': { batchId: string; done: number; total: number; row: TestAllRow | null };
  /**
   * Sign-in progress of one profile; `refreshed` / `refresh-failed` come from the background keep-alive
   * (the profile's stored state changed, so the list should be read again).
   */
  'signIn.state': {
    profileId: string;
    state: 'waiting-for-user' | 'exchanging-code' | 'signed-in' | 'cancelled' | 'failed' | 'refreshed' | 'refresh-failed';
  };
}

// --- Compile-time proofs that manifest, schemas and interface agree in both directions. ---
type MethodsOf<T> = { [N in keyof T]: ReadonlyArray<keyof T[N]> };
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type NamesOf<M extends Record<string, readonly string[]>> = { [N in keyof M]: M[N][number] };
type ApiNames = { [N in keyof AbsenderApi]: keyof AbsenderApi[N] };
/** true only when a manifest names exactly the API's methods: no missing and no extra entry. */
export type ManifestMatchesApi<M extends Record<string, readonly string[]>> = Exact<NamesOf<M>, ApiNames>;
API_METHODS satisfies MethodsOf<AbsenderApi>;
const manifestMatchesApi: ManifestMatchesApi<ApiMethods> = true;
const schemasMatchApi: Exact<{ [N in keyof typeof REQUEST_SCHEMAS]: keyof (typeof REQUEST_SCHEMAS)[N] }, ApiNames> = true;
const eventsMatch: Exact<EventName, keyof ApiEvents> = true;
export const CONTRACT_PROOFS = [manifestMatchesApi, schemasMatchApi, eventsMatch] as const;

/** What the preload exposes as window.absender: the same shape, but every call answers with an envelope. */
export type BridgeApi = {
  [N in keyof AbsenderApi]: {
    [M in keyof AbsenderApi[N]]: AbsenderApi[N][M] extends (...args: infer A) => Promise<infer R>
      ? (...args: A) => Promise<Envelope<R>>
      : never;
  };
} & {
  on<E extends keyof ApiEvents>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
};

export type { Envelope };
