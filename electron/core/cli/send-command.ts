import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { TextDecoder } from 'node:util';
import type { Language, ProfileView } from '../../../shared/domain';
import { MailAddress } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { t } from '../../../shared/i18n/translate';
import { classifyError, type Finding } from '../diagnostics/classify';
import { redactText } from '../logging/redact';
import {
  attachToDraft,
  contentTypeFor,
  inlineAttachment,
  INLINE_MAX_BYTES,
  MESSAGE_MAX_BYTES,
  type DraftUploadDeps,
  type OutgoingAttachment,
} from '../mail/attachments';
import { MailPacer, systemPacingClock } from '../mail/pacing';
import { DiagnosedError, type ProfileGraph } from '../mail/profile-graph';
import type { Clock } from '../ports';
import { languageOption } from './check-command';
import type { HeadlessCore } from './headless-core';
import { EXIT_IO, parseStrict, UsageError } from './parse-args';
import { DRAFT_PERMISSION, markDraftPath } from './draft-path';
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
  attach: { type: 'string', multiple: true },
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
  // The mailbox's rolling 24-hour message/recipient quota: it frees itself, so a later try goes through.
  'graph-message-limit',
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
const BAD_INPUT = new Set(['graph-bad-message', 'graph-request-too-large']);

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
  clock: Clock;
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

const MiB = 1024 * 1024;
/** Graph refuses any request over 4 MB with 413 ("The maximum request length supported is 4MB"). */
export const GRAPH_REQUEST_MAX_BYTES = 4 * MiB;
/** Room for what the request adds around the message: sendMail's wrapper, the draft's internetMessageId marker. */
const REQUEST_ENVELOPE_BYTES = 512;

/** The bytes of the largest request the message's text travels in (JSON, UTF-8). */
export const messageRequestBytes = (message: object): number =>
  Buffer.byteLength(JSON.stringify(message), 'utf8') + REQUEST_ENVELOPE_BYTES;

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
  if (options.charset !== undefined && !knownCharset(options.charset))
    throw new UsageError(t(language, 'host:cli.sendBadCharset', { value: options.charset }));

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
    content = decodeBody(await readFile(bodyFile), options.charset, options.html === true);
  } catch (error) {
    return inputError(t(language, 'host:cli.sendBodyUnreadable', { file: bodyFile, reason: reasonOf(error) }));
  }
  const attachments = await readAttachments(options.attach ?? [], language);
  if (typeof attachments === 'string') return inputError(attachments);

  const recipients = (list: readonly string[]): Recipient[] => list.map((address) => ({ emailAddress: { address } }));
  const bare = {
    subject: options.subject ?? '',
    body: { contentType: options.html === true ? 'HTML' : 'Text', content },
    toRecipients: recipients(lists.to),
    ccRecipients: recipients(lists.cc),
    bccRecipients: recipients(lists.bcc),
    ...(lists.replyTo.length > 0 ? { replyTo: recipients(lists.replyTo) } : {}),
  };
  // The text goes in one request on every path (sendMail, or the draft's POST); only attachments can be split up.
  const textBytes = messageRequestBytes(bare);
  if (textBytes > GRAPH_REQUEST_MAX_BYTES)
    return inputError(
      t(language, 'host:cli.sendBodyTooLarge', {
        file: bodyFile,
        size: (textBytes / MiB).toFixed(1),
        limit: GRAPH_REQUEST_MAX_BYTES / MiB,
      }),
    );

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

  // Up to 3 MB inline (one request); more through a draft and upload sessions. Inline attachments travel as base64
  // beside the text: when that request would be over Graph's 4 MB we know it before asking, so neither sendMail nor
  // the draft is tried with them (a request Graph refuses whole only costs a round trip and a pacer slot); the bare
  // draft takes them one by one instead.
  // The base64 copies are made only for attachments that may go inline (up to 150 MB would otherwise be encoded
  // just to be dropped).
  const withAttachments =
    attachments.length > 0 && attachments.reduce((sum, a) => sum + a.bytes.length, 0) <= INLINE_MAX_BYTES
      ? { ...bare, attachments: attachments.map(inlineAttachment) }
      : null;
  const inline =
    attachments.length === 0 || (withAttachments !== null && messageRequestBytes(withAttachments) <= GRAPH_REQUEST_MAX_BYTES);
  const message = inline && withAttachments !== null ? withAttachments : bare;
  const sendMailBody = { message, saveToSentItems: options['save-to-sent'] === true };
  const viaDraft = key !== undefined || !inline;
  // A sign-in's token shows what Entra granted: without delegated Mail.ReadWrite every draft request would be refused (403).
  if (viaDraft && graph.delegatedScopes !== undefined && !graph.delegatedScopes.includes(DRAFT_PERMISSION)) {
    markDraftPath(core.dataDir, profile.id, ctx.clock.now()); // so `check` warns about it too
    return report(
      configError(t(language, 'host:cli.sendNeedsReadWriteDelegated', { scopes: graph.delegatedScopes.join(', ') || '—' })),
    );
  }
  const pacer = new MailPacer({ now: () => ctx.clock.now().getTime(), sleep: (ms) => systemPacingClock.sleep(ms) });
  const up: DraftUploadDeps = {
    client: graph.client,
    user: `/users/${encodeURIComponent(graph.mailbox)}`,
    mailbox: graph.mailbox,
    app: profile.clientId,
    transport: graph.transport,
    timeoutMs: graph.network.requestTimeoutMs,
    maxRetryDelaySeconds: graph.network.maxRetryDelaySeconds,
    pacer,
  };
  const progress: Progress = { step: 'sendMail' };
  try {
    if (key === undefined || journal === null) {
      if (inline) {
        try {
          await pacer.message(up.mailbox);
          await call(up, () => graph.client.api(`${up.user}/sendMail`).post(sendMailBody));
          return report({ exitCode: 0, status: 'sent', messageId: null, diagnosis: null, code: null, text: null });
        } catch (error) {
          // 413 although we counted it under 4 MB (Graph counts what it receives): the request was refused whole,
          // nothing was sent; the draft path takes the attachments apart.
          if (statusOf(error) !== 413) throw error;
        }
      }
      markDraftPath(core.dataDir, profile.id, ctx.clock.now());
      const id = await sendThroughDraft(up, bare, attachments, progress);
      return report({ exitCode: 0, status: 'sent', messageId: id, diagnosis: null, code: null, text: null });
    }
    markDraftPath(core.dataDir, profile.id, ctx.clock.now());
    const sent = await sendOnce(up, journal, progress, {
      profileId: profile.id,
      key,
      internetMessageId: idempotentMessageId(profile.id, key, profile.senderAddress),
      message,
      bare,
      attachments,
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
    const outcome = failed(classifyError(error, graph.context('sendMail', graph.graphRoot)));
    // Drafts, their lookup and upload sessions need Mail.ReadWrite, which a Mail.Send-only app lacks. A sign-in got
    // here only with delegated Mail.ReadWrite in its token (checked above): then the account's own rights in the
    // mailbox are what is missing, and the application-permission advice would send the admin the wrong way.
    if (outcome.exitCode === SEND_EXIT.noPerm && progress.step !== 'sendMail' && progress.step !== 'send') {
      const advice =
        graph.delegatedScopes === undefined
          ? t(language, 'host:cli.sendNeedsReadWrite')
          : t(language, 'host:cli.sendNeedsReadWriteDelegatedRefused', { mailbox: graph.mailbox });
      outcome.text = `${outcome.text ?? ''}\n${advice}`;
    }
    return report(outcome);
  }
}

const knownCharset = (name: string): boolean => {
  try {
    new TextDecoder(name);
    return true;
  } catch {
    return false;
  }
};

/**
 * The body's text: `--charset` if given (strict); else a byte order mark, else an HTML file's
 * `<meta charset>`, else UTF-8 (strict: a file in another encoding is refused, never sent garbled).
 */
export function decodeBody(bytes: Uint8Array, charset: string | undefined, html: boolean): string {
  const strict = (name: string) => new TextDecoder(name, { fatal: true }).decode(bytes);
  if (charset !== undefined) return strict(charset);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return strict('utf-8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return strict('utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return strict('utf-16be');
  if (html) {
    const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
    const declared = /<meta[^>]*charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head)?.[1];
    if (declared !== undefined && knownCharset(declared)) return strict(declared);
  }
  return strict('utf-8');
}

/** The attachments, or the error text: sizes are checked before a byte is read or a request is made. */
async function readAttachments(paths: readonly string[], language: Language): Promise<OutgoingAttachment[] | string> {
  let total = 0;
  for (const file of paths) {
    try {
      const info = await stat(file);
      if (!info.isFile()) return t(language, 'host:cli.sendAttachUnreadable', { file, reason: 'not a file' });
      total += info.size;
    } catch (error) {
      return t(language, 'host:cli.sendAttachUnreadable', { file, reason: reasonOf(error) });
    }
  }
  if (total > MESSAGE_MAX_BYTES)
    return t(language, 'host:cli.sendAttachTooLarge', {
      size: (total / 1024 / 1024).toFixed(1),
      max: MESSAGE_MAX_BYTES / 1024 / 1024,
    });
  const out: OutgoingAttachment[] = [];
  for (const file of paths) {
    try {
      out.push({ name: basename(file), contentType: contentTypeFor(file), bytes: await readFile(file) });
    } catch (error) {
      return t(language, 'host:cli.sendAttachUnreadable', { file, reason: reasonOf(error) });
    }
  }
  return out;
}

const reasonOf = (error: unknown): string => redactText(error instanceof Error ? error.message : String(error)).slice(0, 300);

interface DraftState {
  id: string;
  isDraft: boolean;
}

/** Which request a failure came from: a permission error on a draft step names Mail.ReadWrite. */
interface Progress {
  step: 'sendMail' | 'lookup' | 'draft' | 'attach' | 'send';
}

const statusOf = (error: unknown): unknown => (error as { statusCode?: unknown } | null)?.statusCode;

/** Every Graph request in one of the app's request slots, after a Retry-After pause of the mailbox. */
const call = <T>(up: DraftUploadDeps, request: () => Promise<T>): Promise<T> => up.pacer.request(up.app, up.mailbox, request);

/** Creates a draft with its inline attachments; a 413 (too big for one request) makes it bare. */
async function createDraft(
  up: DraftUploadDeps,
  message: object,
  bare: object,
  internetMessageId: string | undefined,
): Promise<{ id: string; bare: boolean }> {
  const marker = internetMessageId === undefined ? {} : { internetMessageId };
  const post = (body: object) =>
    call(up, () =>
      up.client
        .api(`${up.user}/messages`)
        .header('Prefer', IMMUTABLE)
        .post({ ...body, ...marker }),
    ) as Promise<{ id: string }>;
  if (message === bare) return { id: (await post(bare)).id, bare: true };
  try {
    return { id: (await post(message)).id, bare: false };
  } catch (error) {
    if (statusOf(error) !== 413) throw error;
    return { id: (await post(bare)).id, bare: true };
  }
}

async function sendDraft(up: DraftUploadDeps, id: string, progress: Progress): Promise<void> {
  progress.step = 'send';
  await up.pacer.message(up.mailbox);
  await call(up, () =>
    up.client
      .api(`${up.user}/messages/${encodeURIComponent(id)}/send`)
      .header('Prefer', IMMUTABLE)
      .post(null),
  );
}

/** Without a key, for attachments over 3 MB (or after a 413): draft, attachments, send. */
async function sendThroughDraft(
  up: DraftUploadDeps,
  bare: object,
  attachments: readonly OutgoingAttachment[],
  progress: Progress,
): Promise<string> {
  progress.step = 'draft';
  const { id } = await createDraft(up, bare, bare, undefined);
  progress.step = 'attach';
  await attachToDraft(up, id, attachments, false);
  await sendDraft(up, id, progress);
  return id;
}

/**
 * Draft (immutable id, marked by an internetMessageId derived from the key) → journal → attachments → send →
 * journal "sent". A rerun finds the draft by the journal or, after a crash before the journal was written,
 * by the marker; a draft is completed (attachments a killed run did not finish) and sent, a sent item is
 * reported as sent again without a second send. After a 202 on /send was journaled, the rerun only looks
 * in Sent Items: Exchange may show the item as a draft for a while after accepting it.
 */
async function sendOnce(
  up: DraftUploadDeps,
  journal: SendJournal,
  progress: Progress,
  request: {
    profileId: string;
    key: string;
    internetMessageId: string;
    message: object;
    bare: object;
    attachments: readonly OutgoingAttachment[];
  },
): Promise<{ id: string; again: boolean }> {
  const { profileId, key, internetMessageId, attachments } = request;
  const entry = journal.read(profileId, key);
  progress.step = 'lookup';
  if (entry?.sentAt !== undefined) {
    const copy = await findByMarker(up, internetMessageId, 'sentitems');
    return { id: copy?.id ?? entry.draftId, again: true };
  }
  let state: DraftState | null = null;
  if (entry !== null) state = await getState(up, entry.draftId);
  state ??= await findByMarker(up, internetMessageId);
  let journaled = entry?.draftId;
  const record = (draftId: string) => {
    if (journaled === draftId) return;
    journal.write({ key, profileId, draftId, internetMessageId });
    journaled = draftId;
  };
  if (state !== null && !state.isDraft) {
    record(state.id);
    return { id: state.id, again: true };
  }
  if (state !== null && attachments.length > 0) {
    record(state.id);
    progress.step = 'attach';
    if (!(await attachToDraft(up, state.id, attachments, true))) {
      // Something else is on the draft: start over rather than send it.
      progress.step = 'draft';
      await call(up, () => up.client.api(`${up.user}/messages/${encodeURIComponent(state?.id ?? '')}`).delete());
      state = null;
    }
  }
  if (state === null) {
    progress.step = 'draft';
    const created = await createDraft(up, request.message, request.bare, internetMessageId);
    state = { id: created.id, isDraft: true };
    record(state.id);
    progress.step = 'attach';
    if (created.bare && attachments.length > 0) await attachToDraft(up, state.id, attachments, false);
  }
  record(state.id);
  await sendDraft(up, state.id, progress);
  try {
    journal.write({ key, profileId, draftId: state.id, internetMessageId, sentAt: new Date().toISOString() });
  } catch {
    // Sent already: a rerun finds the item by its id or marker, so a journal that failed now changes nothing.
  }
  return { id: state.id, again: false };
}

async function getState(up: DraftUploadDeps, id: string): Promise<DraftState | null> {
  try {
    const m = (await call(up, () =>
      up.client
        .api(`${up.user}/messages/${encodeURIComponent(id)}`)
        .header('Prefer', IMMUTABLE)
        .select('id,isDraft')
        .get(),
    )) as { id: string; isDraft: boolean };
    return { id: m.id, isDraft: m.isDraft };
  } catch (error) {
    // Deleted since: the marker lookup decides (it may have been moved, or never sent).
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

async function findByMarker(up: DraftUploadDeps, internetMessageId: string, folder?: 'sentitems'): Promise<DraftState | null> {
  const path = folder === undefined ? `${up.user}/messages` : `${up.user}/mailFolders/${folder}/messages`;
  const page = (await call(up, () =>
    up.client
      .api(path)
      .header('Prefer', IMMUTABLE)
      .filter(`internetMessageId eq '${internetMessageId.replace(/'/g, "''")}'`)
      .select('id,isDraft')
      .top(10)
      .get(),
  )) as { value: Array<{ id: string; isDraft: boolean }> };
  // A sent copy wins over a stray draft: the message went out.
  const sent = page.value.find((m) => !m.isDraft);
  const any = sent ?? page.value[0];
  return any === undefined ? null : { id: any.id, isDraft: any.isDraft };
}
