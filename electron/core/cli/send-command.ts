import { readFile } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Language, ProfileView } from '../../../shared/domain';
import { MailAddress } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { t } from '../../../shared/i18n/translate';
import { classifyError, type Finding } from '../diagnostics/classify';
import { redactText } from '../logging/redact';
import { DiagnosedError, type ProfileGraph } from '../mail/profile-graph';
import { languageOption } from './check-command';
import type { HeadlessCore } from './headless-core';
import { EXIT_IO, parseStrict, UsageError } from './parse-args';
import { idempotentMessageId, JournalWriteError, SendJournal } from './send-journal';

/** sysexits.h, as schedulers and scripts read them. */
export const SEND_EXIT = {
  sent: 0,
  usage: 64,
  dataErr: 65,
  unavailable: 69,
  tempFail: 75,
  noPerm: 77,
  config: 78,
} as const;

export const SEND_OPTIONS = {
  profile: { type: 'string' },
  to: { type: 'string', multiple: true },
  cc: { type: 'string', multiple: true },
  bcc: { type: 'string', multiple: true },
  subject: { type: 'string' },
  'body-file': { type: 'string' },
  html: { type: 'boolean' },
  charset: { type: 'string' },
  'reply-to': { type: 'string', multiple: true },
  'save-to-sent': { type: 'boolean' },
  'idempotency-key': { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const TEMPORARY = new Set([
  'graph-throttled',
  'graph-throttled-unspecified',
  'graph-unavailable',
  'graph-server-error',
  'graph-send-outcome-unknown',
  'net-timeout',
  'net-timeout-generic',
  'msal-throttled',
  'oauth-temporarily-unavailable',
  'oauth-server-error',
]);
const PERMISSION = new Set([
  'graph-access-denied',
  'graph-mailbox-not-allowed',
  'graph-insufficient-privileges',
  'graph-send-as-denied',
  'graph-submission-blocked',
  'aad-consent-missing',
  'aad-consent-declined',
  'aad-conditional-access',
  'oauth-access-denied',
  'oauth-unauthorized-client',
]);
const BAD_INPUT = new Set(['graph-bad-message', 'graph-message-limit']);

/** The diagnosis decides the exit code: retry later (75), ask the admin (77/78), fix the data (65). */
export function exitCodeFor(finding: Pick<Finding, 'id'>): number {
  const id = finding.id;
  if (TEMPORARY.has(id)) return SEND_EXIT.tempFail;
  if (PERMISSION.has(id) || id.startsWith('probe-')) return SEND_EXIT.noPerm;
  if (BAD_INPUT.has(id)) return SEND_EXIT.dataErr;
  if (id.startsWith('net-') || id === 'msal-endpoints-resolution' || id === 'unknown' || id === 'graph-unexpected-response')
    return SEND_EXIT.unavailable;
  // Secrets, apps, tenants, sign-ins, mailboxes that are not set up as the profile says.
  return SEND_EXIT.config;
}

interface SendContext {
  out: (text: string) => void;
  err: (text: string) => void;
  osLanguage: Language;
  openCore: () => Promise<HeadlessCore>;
}

interface Recipient {
  emailAddress: { address: string };
}

interface Outcome {
  exitCode: number;
  status: 'sent' | 'already-sent' | 'failed';
  messageId: string | null;
  diagnosis: string | null;
  code: string | null;
  text: string | null;
}

const IMMUTABLE = 'IdType="ImmutableId"';

/** `Absender send …`: one message from a profile's mailbox, exactly once with --idempotency-key. */
export async function runSend(args: readonly string[], ctx: SendContext) {
  const options = parseStrict(args, SEND_OPTIONS);
  const language = languageOption(options.lang, ctx.osLanguage);
  const done = (exitCode: number) => ({ exitCode, outFile: undefined });
  if (options.help) {
    ctx.out(`${t(language, 'host:cli.sendHelp')}\n`);
    return done(0);
  }
  const missing = (['profile', 'to', 'subject', 'body-file'] as const).find((o) => options[o] === undefined);
  if (missing !== undefined) throw new UsageError(t(language, 'host:cli.sendMissing', { option: `--${missing}` }));
  const key = options['idempotency-key'];
  if (key !== undefined && (key.trim() === '' || key.length > 200)) throw new UsageError(t(language, 'host:cli.sendBadKey'));
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(options.charset ?? 'utf-8', { fatal: true });
  } catch {
    throw new UsageError(t(language, 'host:cli.sendBadCharset', { value: options.charset ?? '' }));
  }

  const report = (outcome: Outcome) => {
    if (options.json === true) ctx.out(`${JSON.stringify({ ...outcome, idempotencyKey: key ?? null }, null, 2)}\n`);
    else if (outcome.status !== 'failed')
      ctx.out(
        `${t(language, outcome.status === 'sent' ? 'host:cli.sendSent' : 'host:cli.sendAlreadySent', { id: outcome.messageId ?? '–' })}\n`,
      );
    if (outcome.text !== null) ctx.err(`${outcome.text}\n`);
    return done(outcome.exitCode);
  };
  const inputError = (text: string) =>
    report({ exitCode: SEND_EXIT.dataErr, status: 'failed', messageId: null, diagnosis: null, code: null, text });

  // Bad input before anything is asked of Microsoft.
  const lists = { to: options.to ?? [], cc: options.cc ?? [], bcc: options.bcc ?? [], replyTo: options['reply-to'] ?? [] };
  for (const address of Object.values(lists).flat())
    if (!MailAddress.safeParse(address).success) return inputError(t(language, 'host:cli.invalidMail', { value: address }));
  let content: string;
  const bodyFile = options['body-file'] ?? '';
  try {
    content = decoder.decode(await readFile(bodyFile));
  } catch (error) {
    return inputError(t(language, 'host:cli.sendBodyUnreadable', { file: bodyFile, reason: reasonOf(error) }));
  }

  const failed = (finding: Finding): Outcome => {
    const text = t(language, `diagnostics:${finding.id}.title`, finding.params);
    return {
      exitCode: exitCodeFor(finding),
      status: 'failed',
      messageId: null,
      diagnosis: finding.id,
      code: finding.code,
      text: `${text} (${finding.code})`,
    };
  };
  const configError = (text: string): Outcome => ({
    exitCode: SEND_EXIT.config,
    status: 'failed',
    messageId: null,
    diagnosis: null,
    code: null,
    text,
  });

  let core: HeadlessCore;
  let profile: ProfileView | undefined;
  try {
    core = await ctx.openCore();
    const wanted = options.profile ?? '';
    const profiles = await core.profiles.list();
    profile =
      profiles.find((p) => p.id === wanted) ?? profiles.find((p) => p.name.toLocaleLowerCase() === wanted.toLocaleLowerCase());
  } catch (error) {
    return report(configError(t(language, 'host:cli.dataUnreadable', { reason: reasonOf(error) })));
  }
  if (profile === undefined)
    return report(configError(t(language, 'host:cli.unknownProfile', { profile: options.profile ?? '' })));

  const journal = key === undefined ? null : new SendJournal(core.dataDir);
  const journalFailed = (error: JournalWriteError) =>
    report({
      exitCode: EXIT_IO,
      status: 'failed',
      messageId: null,
      diagnosis: null,
      code: null,
      text: t(language, 'host:cli.writeFailed', { file: error.file, reason: reasonOf(error) }),
    });
  try {
    journal?.prepare();
  } catch (error) {
    if (error instanceof JournalWriteError) return journalFailed(error);
    throw error;
  }

  let graph: ProfileGraph;
  try {
    graph = await core.batch.graphFor(profile);
  } catch (error) {
    if (error instanceof DiagnosedError) return report(failed(error.finding));
    if (error instanceof AppError && error.code === 'secret-unreadable')
      return report(configError(t(language, 'host:cli.secretUnreadable')));
    throw error;
  }

  const recipients = (list: readonly string[]): Recipient[] => list.map((address) => ({ emailAddress: { address } }));
  const message = {
    subject: options.subject ?? '',
    body: { contentType: options.html === true ? 'HTML' : 'Text', content },
    toRecipients: recipients(lists.to),
    ccRecipients: recipients(lists.cc),
    bccRecipients: recipients(lists.bcc),
    ...(lists.replyTo.length > 0 ? { replyTo: recipients(lists.replyTo) } : {}),
  };
  const user = `/users/${encodeURIComponent(graph.mailbox)}`;
  try {
    if (key === undefined || journal === null) {
      await graph.client.api(`${user}/sendMail`).post({ message, saveToSentItems: options['save-to-sent'] === true });
      return report({ exitCode: 0, status: 'sent', messageId: null, diagnosis: null, code: null, text: null });
    }
    const sent = await sendOnce(graph.client, user, journal, {
      profileId: profile.id,
      key,
      internetMessageId: idempotentMessageId(profile.id, key, profile.senderAddress),
      message,
    });
    return report({
      exitCode: 0,
      status: sent.again ? 'already-sent' : 'sent',
      messageId: sent.id,
      diagnosis: null,
      code: null,
      text: null,
    });
  } catch (error) {
    if (error instanceof JournalWriteError) return journalFailed(error);
    return report(failed(classifyError(error, graph.context('sendMail', graph.graphRoot))));
  }
}

const reasonOf = (error: unknown): string => redactText(error instanceof Error ? error.message : String(error)).slice(0, 300);

interface DraftState {
  id: string;
  isDraft: boolean;
}

/**
 * Draft (immutable id, marked by an internetMessageId derived from the key) → journal → send. A rerun
 * finds the draft by the journal or, after a crash before the journal was written, by the marker;
 * a draft is sent, a sent item is reported as sent again without a second send.
 */
async function sendOnce(
  graph: Client,
  user: string,
  journal: SendJournal,
  request: { profileId: string; key: string; internetMessageId: string; message: object },
): Promise<{ id: string; again: boolean }> {
  const { profileId, key, internetMessageId } = request;
  let state: DraftState | null = null;
  const entry = journal.read(profileId, key);
  if (entry !== null) state = await getState(graph, user, entry.draftId);
  state ??= await findByMarker(graph, user, internetMessageId);
  if (state === null) {
    const created = (await graph
      .api(`${user}/messages`)
      .header('Prefer', IMMUTABLE)
      .post({ ...request.message, internetMessageId })) as { id: string };
    state = { id: created.id, isDraft: true };
  }
  if (entry?.draftId !== state.id) journal.write({ key, profileId, draftId: state.id, internetMessageId });
  if (!state.isDraft) return { id: state.id, again: true };
  await graph
    .api(`${user}/messages/${encodeURIComponent(state.id)}/send`)
    .header('Prefer', IMMUTABLE)
    .post(null);
  return { id: state.id, again: false };
}

async function getState(graph: Client, user: string, id: string): Promise<DraftState | null> {
  try {
    const m = (await graph
      .api(`${user}/messages/${encodeURIComponent(id)}`)
      .header('Prefer', IMMUTABLE)
      .select('id,isDraft')
      .get()) as { id: string; isDraft: boolean };
    return { id: m.id, isDraft: m.isDraft };
  } catch (error) {
    // Deleted since: the marker lookup decides (it may have been moved, or never sent).
    if ((error as { statusCode?: unknown }).statusCode === 404) return null;
    throw error;
  }
}

async function findByMarker(graph: Client, user: string, internetMessageId: string): Promise<DraftState | null> {
  const page = (await graph
    .api(`${user}/messages`)
    .header('Prefer', IMMUTABLE)
    .filter(`internetMessageId eq '${internetMessageId.replace(/'/g, "''")}'`)
    .select('id,isDraft')
    .top(10)
    .get()) as { value: Array<{ id: string; isDraft: boolean }> };
  // A sent copy wins over a stray draft: the message went out.
  const sent = page.value.find((m) => !m.isDraft);
  const any = sent ?? page.value[0];
  return any === undefined ? null : { id: any.id, isDraft: any.isDraft };
}
