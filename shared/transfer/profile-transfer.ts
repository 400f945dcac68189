import { z } from 'zod';
import {
  AccountType,
  Cloud,
  Guid,
  IsoDate,
  IsoDay,
  MailAddress,
  MailAddressOrEmpty,
  ProfileName,
  SignInMethod,
  TenantId,
  TestOutcome,
} from '../domain';

// The export/import file and the change history: shared by the core (builds, parses) and the renderer (shows).

/** Per profile, the newest entries kept; older ones drop off (bounded store file). */
export const HISTORY_LIMIT = 200;
/** An import file larger than this is refused before it is parsed. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const EXPORT_FORMAT = 'absender-profiles';
export const EXPORT_VERSION = 1;
export const MAX_EXPORTED_PROFILES = 2000;

/** The mask's fields a history entry may name (never a secret value: a secret change is its own entry). */
export const HISTORY_FIELDS = [
  'name',
  'accountType',
  'cloud',
  'senderAddress',
  'mailboxAddress',
  'clientId',
  'tenant',
  'secretExpiresOn',
  'signInMethod',
] as const;
export const HistoryField = z.enum(HISTORY_FIELDS);
export type HistoryField = z.infer<typeof HistoryField>;

export const HistoryEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('created'), at: IsoDate }).strict(),
  z.object({ kind: z.literal('imported'), at: IsoDate }).strict(),
  z.object({ kind: z.literal('edited'), at: IsoDate, fields: z.array(HistoryField).min(1).max(HISTORY_FIELDS.length) }).strict(),
  z.object({ kind: z.literal('secret-replaced'), at: IsoDate }).strict(),
  z.object({ kind: z.literal('secret-renewed'), at: IsoDate }).strict(),
  z.object({ kind: z.literal('certificate-replaced'), at: IsoDate }).strict(),
  z.object({ kind: z.literal('signed-in'), at: IsoDate, username: z.string().max(320) }).strict(),
  z.object({ kind: z.literal('signed-out'), at: IsoDate }).strict(),
  z.object({ kind: z.literal('tested'), at: IsoDate, outcome: TestOutcome, failedStep: z.string().max(64).nullable() }).strict(),
]);
export type HistoryEntry = z.infer<typeof HistoryEntry>;
export type HistoryKind = HistoryEntry['kind'];

/** One profile in the file: what the mask holds, nothing secret (no value, no hint, no key, no token). */
export const ExportedProfile = z
  .object({
    name: ProfileName,
    accountType: AccountType,
    cloud: Cloud,
    senderAddress: MailAddress,
    mailboxAddress: MailAddressOrEmpty,
    clientId: Guid,
    tenant: TenantId,
    secretExpiresOn: IsoDay.or(z.literal('')),
    signInMethod: SignInMethod,
    /** Only when the admin asked for it; oldest first. */
    history: z.array(HistoryEntry).max(HISTORY_LIMIT).optional(),
  })
  .strict();
export type ExportedProfile = z.infer<typeof ExportedProfile>;

export const ExportFile = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exportedAt: IsoDate,
    profiles: z.array(ExportedProfile).max(MAX_EXPORTED_PROFILES),
  })
  .strict();
export type ExportFile = z.infer<typeof ExportFile>;

/** Why an import file was refused: each reason has its own text (errors.import-invalid.<reason>). */
export const IMPORT_REFUSALS = ['too-large', 'not-json', 'prototype-key', 'wrong-format', 'wrong-version', 'invalid'] as const;
export type ImportRefusal = (typeof IMPORT_REFUSALS)[number];

export const ConflictChoice = z.enum(['skip', 'replace', 'keep-both']);
export type ConflictChoice = z.infer<typeof ConflictChoice>;

export interface ImportPreviewEntry {
  /** Position in the file: importApply's choices name entries by it. */
  index: number;
  name: string;
  accountType: AccountType;
  senderAddress: string;
  /** The stored profile of the same name (case-insensitive), if any. */
  conflictId: string | null;
  historyEntries: number;
}
export interface ImportPreview {
  exportedAt: string;
  profiles: ImportPreviewEntry[];
}
export interface ImportApplyResult {
  created: number;
  replaced: number;
  skipped: number;
}
