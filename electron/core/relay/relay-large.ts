import { simpleParser, type AddressObject } from 'mailparser';
import { attachToDraft, contentTypeFor, type DraftUploadDeps, type OutgoingAttachment } from '../mail/attachments';

const MiB = 1024 * 1024;
/** Graph's request limit is 4 MB; MIME travels base64 (4/3), so above 3 MB of MIME the draft path takes over. */
export const MIME_SENDMAIL_MAX_BYTES = 3 * MiB;

const IMMUTABLE = 'IdType="ImmutableId"';

interface Recipient {
  emailAddress: { address: string; name?: string };
}

/** A message too big for MIME sendMail, taken apart: the draft's JSON and the attachments for upload sessions. */
export interface LargeMessage {
  draft: Record<string, unknown>;
  attachments: OutgoingAttachment[];
  attachmentBytes: number;
}

/** Mail.ReadWrite is what drafts and upload sessions need; without it the profile cannot send large messages. */
export class DraftAccessDenied extends Error {
  constructor() {
    super('Mail.ReadWrite missing');
    this.name = 'DraftAccessDenied';
  }
}

const addresses = (field: AddressObject | AddressObject[] | undefined): Recipient[] =>
  (Array.isArray(field) ? field : field === undefined ? [] : [field])
    .flatMap((a) => a.value)
    .flatMap((a) => a.group ?? [a])
    .filter((v): v is typeof v & { address: string } => typeof v.address === 'string' && v.address !== '')
    .map((v) => ({ emailAddress: v.name === '' ? { address: v.address } : { address: v.address, name: v.name } }));

/**
 * Parses the prepared MIME (Bcc already from the envelope) with mailparser: headers and body into the draft,
 * attachments out for upload. The Message-ID becomes the draft's internetMessageId: the send-once marker.
 * With `rcptTo` the draft names only envelope recipients, whatever the headers say (the envelope decides).
 */
export async function parseLarge(mime: Buffer, messageId: string, mailbox: string, rcptTo?: string[]): Promise<LargeMessage> {
  const mail = await simpleParser(mime, { keepCidLinks: true });
  const envelope = rcptTo === undefined ? null : new Set(rcptTo.map((r) => r.toLowerCase()));
  const only = (list: Recipient[]) =>
    envelope === null ? list : list.filter((r) => envelope.has(r.emailAddress.address.toLowerCase()));
  const from = addresses(mail.from)[0];
  const html = typeof mail.html === 'string' && mail.html !== '';
  const attachments: OutgoingAttachment[] = mail.attachments.map((a, i) => {
    const name = a.filename ?? `attachment-${i + 1}`;
    return { name, contentType: a.contentType || contentTypeFor(name), bytes: a.content };
  });
  const draft: Record<string, unknown> = {
    subject: mail.subject ?? '',
    body: { contentType: html ? 'HTML' : 'Text', content: html ? mail.html : (mail.text ?? '') },
    toRecipients: only(addresses(mail.to)),
    ccRecipients: only(addresses(mail.cc)),
    bccRecipients: only(addresses(mail.bcc)),
    replyTo: addresses(mail.replyTo),
    internetMessageId: messageId,
    // Only an alias is named: the mailbox itself is the default sender.
    ...(from !== undefined && from.emailAddress.address.toLowerCase() !== mailbox.toLowerCase() ? { from } : {}),
  };
  return { draft, attachments, attachmentBytes: attachments.reduce((sum, a) => sum + a.bytes.length, 0) };
}

/**
 * Draft (marked with the Message-ID) → attachments (upload sessions in 4 MB chunks) → send. With `resumeSince` (the
 * marker's time, after a crash or a lost answer), a draft with the Message-ID made since then is completed rather
 * than a second one made; the caller has already looked for a sent copy.
 */
export async function sendLarge(up: DraftUploadDeps, large: LargeMessage, resumeSince: number | null): Promise<void> {
  let draftId: string | null =
    resumeSince === null ? null : await findDraft(up, String(large.draft['internetMessageId']), resumeSince);
  if (draftId !== null && !(await attachToDraft(up, draftId, large.attachments, true))) {
    // The draft holds something else (cannot be ours complete): start over rather than send it.
    const stale = draftId;
    await up.pacer.request(up.app, up.mailbox, () => up.client.api(`${up.user}/messages/${encodeURIComponent(stale)}`).delete());
    draftId = null;
  }
  if (draftId === null) {
    let created: { id: string };
    try {
      created = (await up.pacer.request(up.app, up.mailbox, () =>
        up.client.api(`${up.user}/messages`).header('Prefer', IMMUTABLE).post(large.draft),
      )) as { id: string };
    } catch (error) {
      if ((error as { statusCode?: unknown }).statusCode === 403) throw new DraftAccessDenied();
      throw error;
    }
    draftId = created.id;
    await attachToDraft(up, draftId, large.attachments, false);
  }
  const id = draftId;
  await up.pacer.message(up.mailbox);
  await up.pacer.request(up.app, up.mailbox, () =>
    up.client
      .api(`${up.user}/messages/${encodeURIComponent(id)}/send`)
      .header('Prefer', IMMUTABLE)
      .post(null),
  );
}

/**
 * Our draft from an earlier attempt: same Message-ID and made after the marker (less the clock skew), so a draft
 * someone else made with a reused Message-ID is never completed and sent as ours.
 */
async function findDraft(up: DraftUploadDeps, messageId: string, since: number): Promise<string | null> {
  const page = (await up.pacer.request(up.app, up.mailbox, () =>
    up.client
      .api(`${up.user}/messages`)
      .header('Prefer', IMMUTABLE)
      .filter(markerFilter(messageId, since))
      .select('id,isDraft,createdDateTime')
      .top(5)
      .get(),
  )) as { value: Array<{ id: string; isDraft: boolean; createdDateTime?: string | null }> };
  return page.value.find((m) => m.isDraft && madeSince(m.createdDateTime, since))?.id ?? null;
}

/**
 * How far the mailbox's clock may trail ours: the marker's time is this machine's, createdDateTime is Exchange's,
 * and a clock a minute or two ahead must not hide our own send (Windows time sync keeps it well within 2 minutes).
 */
export const MARKER_CLOCK_SKEW_MS = 2 * 60_000;

/** Graph's $filter for the items a marker may have made: this Message-ID, created since the marker (less the skew). */
export function markerFilter(messageId: string, since: number): string {
  const from = new Date(since - MARKER_CLOCK_SKEW_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `internetMessageId eq '${messageId.replace(/'/g, "''")}' and createdDateTime ge ${from}`;
}

/** The same bound, checked on what came back (a server that ignored the filter must not widen it). */
export function madeSince(createdDateTime: string | null | undefined, since: number): boolean {
  const at = Date.parse(createdDateTime ?? '');
  return Number.isFinite(at) && at >= since - MARKER_CLOCK_SKEW_MS;
}
