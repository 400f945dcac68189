import type { ProfileDraft, ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  ExportFile,
  IMPORT_MAX_BYTES,
  type ConflictChoice,
  type ExportedProfile,
  type HistoryEntry,
  type ImportApplyResult,
  type ImportPreview,
  type ImportRefusal,
} from '../../../shared/transfer/profile-transfer';
import type { ProfileHistory } from '../history/profile-history';

/** Keys that would reach an object's prototype in a careless reader: a file holding one is refused whole. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const refuse = (reason: ImportRefusal, params: Record<string, string> = {}): AppError =>
  new AppError('import-invalid', { params: { problem: reason, ...params } });

/** Parses and validates an import file; every refusal is an AppError('import-invalid') with its reason. */
export function parseImportFile(text: string): ExportFile {
  // Before parsing: a 50 MB file never reaches JSON.parse.
  if (text.length > IMPORT_MAX_BYTES || Buffer.byteLength(text, 'utf8') > IMPORT_MAX_BYTES) throw refuse('too-large');
  let data: unknown;
  const seen = { prototypeKey: false };
  try {
    data = JSON.parse(text, (key, value: unknown) => {
      if (PROTOTYPE_KEYS.has(key)) seen.prototypeKey = true;
      return value;
    });
  } catch {
    throw refuse('not-json');
  }
  if (seen.prototypeKey) throw refuse('prototype-key');
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !Object.hasOwn(data, 'format'))
    throw refuse('wrong-format');
  const head = data as { format?: unknown; version?: unknown };
  if (head.format !== EXPORT_FORMAT) throw refuse('wrong-format');
  if (head.version !== EXPORT_VERSION) throw refuse('wrong-version', { version: String(head.version).slice(0, 20) });
  const parsed = ExportFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The path names where (profiles.2.clientSecret), never the value that was there.
    const keys = issue && issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...(issue?.path ?? []), ...keys.slice(0, 1)].map(String).join('.').slice(0, 120);
    throw refuse('invalid', { path: path || '-' });
  }
  return parsed.data;
}

export interface TransferDeps {
  list(): ProfileView[];
  save(draft: ProfileDraft): Promise<ProfileView>;
  /** The stored profile takes the draft's values under its own id; its credential stays only for the same app. */
  replace(existing: ProfileView, draft: ProfileDraft): Promise<ProfileView>;
  history: ProfileHistory;
  now(): Date;
}

const sameName = (a: string, b: string): boolean => a.trim().localeCompare(b.trim(), undefined, { sensitivity: 'base' }) === 0;

export function buildExport(
  deps: Pick<TransferDeps, 'list' | 'history' | 'now'>,
  includeHistory: boolean,
): { fileName: string; text: string } {
  const exportedAt = deps.now().toISOString();
  const profiles: ExportedProfile[] = deps.list().map((p) => ({
    name: p.name,
    accountType: p.accountType,
    cloud: p.cloud,
    senderAddress: p.senderAddress,
    mailboxAddress: p.mailboxAddress,
    clientId: p.clientId,
    tenant: p.tenant,
    secretExpiresOn: p.secret.secretExpiresOn ?? '',
    signInMethod: p.signInMethod,
    ...(includeHistory ? { history: deps.history.list(p.id) } : {}),
  }));
  // Built from an allow-list and checked against the schema an import will use: what leaves is importable.
  const file = ExportFile.parse({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt, profiles });
  return { fileName: `absender-profiles-${exportedAt.slice(0, 10)}.json`, text: `${JSON.stringify(file, undefined, 2)}\n` };
}

export function previewImport(deps: Pick<TransferDeps, 'list'>, text: string): ImportPreview {
  const file = parseImportFile(text);
  const stored = deps.list();
  return {
    exportedAt: file.exportedAt,
    profiles: file.profiles.map((p, index) => ({
      index,
      name: p.name,
      accountType: p.accountType,
      senderAddress: p.senderAddress,
      conflictId: stored.find((s) => sameName(s.name, p.name))?.id ?? null,
      historyEntries: p.history?.length ?? 0,
    })),
  };
}

/** A name no stored profile has: "Name (2)", "Name (3)" … within the 80 characters a name may have. */
function freeName(name: string, taken: readonly string[]): string {
  for (let n = 2; ; n += 1) {
    const suffix = ` (${n})`;
    const candidate = `${name.slice(0, 80 - suffix.length)}${suffix}`;
    if (!taken.some((t) => sameName(t, candidate))) return candidate;
  }
}

/**
 * Writes the file's profiles (validated whole first: a refused file writes nothing). A conflict without a
 * choice is skipped, so nothing stored is overwritten by accident. Nothing secret is imported: secret and
 * certificate profiles arrive without their credential, Modern Authentication ones not signed in.
 */
export async function applyImport(
  deps: TransferDeps,
  text: string,
  choices: readonly { index: number; choice: ConflictChoice }[],
): Promise<ImportApplyResult> {
  const file = parseImportFile(text);
  const choiceOf = new Map(choices.map((c) => [c.index, c.choice]));
  const result: ImportApplyResult = { created: 0, replaced: 0, skipped: 0 };
  for (const [index, entry] of file.profiles.entries()) {
    const stored = deps.list();
    const conflict = stored.find((s) => sameName(s.name, entry.name));
    const choice = conflict ? (choiceOf.get(index) ?? 'skip') : 'create';
    if (choice === 'skip') {
      result.skipped += 1;
      continue;
    }
    const name =
      choice === 'keep-both'
        ? freeName(
            entry.name,
            stored.map((s) => s.name),
          )
        : entry.name;
    const draft: ProfileDraft = {
      name,
      accountType: entry.accountType,
      cloud: entry.cloud,
      senderAddress: entry.senderAddress,
      mailboxAddress: entry.accountType === 'modern-auth' ? '' : entry.mailboxAddress,
      clientId: entry.clientId,
      tenant: entry.tenant,
      secretExpiresOn: entry.accountType === 'client-secret' ? entry.secretExpiresOn : '',
      signInMethod: entry.signInMethod,
    };
    // Replace is one save of the stored profile (its id stays, so its relay login and queued mail stay with it):
    // a failed save changes nothing. Its own history stays too; the file's history belongs to another machine's.
    const imported: HistoryEntry = { kind: 'imported', at: deps.now().toISOString() };
    if (choice === 'replace' && conflict) {
      const saved = await deps.replace(conflict, draft);
      deps.history.append(saved.id, [imported]);
      result.replaced += 1;
      continue;
    }
    const saved = await deps.save(draft);
    deps.history.replace(saved.id, [...(entry.history ?? []), imported]);
    result.created += 1;
  }
  return result;
}
