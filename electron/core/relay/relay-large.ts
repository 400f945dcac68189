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
    .filter((v): v is typeof v & { address: string } => typeof v.address === 'string' && v.address !== '')
    .map((v) => ({ emailAddress: v.name === '' ? { address: v.address } : { address: v.address, name: v.name } }));

/**
 * Parses the prepared MIME (Bcc already from the envelope) with mailparser: headers and body into the draft,
 * attachments out for upload. The Message-ID becomes the draft's internetMessageId: the send-once marker.
 */
export async function parseLarge(mime: Buffer, messageId: string, mailbox: string): Promise<LargeMessage> {
  const mail = await simpleParser(mime, { keepCidLinks: true });
  const from = addresses(mail.from)[0];
  const html = typeof mail.html === 'string' && mail.html !== '';
  const attachments: OutgoingAttachment[] = mail.attachments.map((a, i) => {
    const name = a.filename ?? `attachment-${i + 1}`;
    return { name, contentType: a.contentType || contentTypeFor(name), bytes: a.content };
  });
  const draft: Record<string, unknown> = {
    subject: mail.subject ?? '',
    body: { contentType: html ? 'HTML' : 'Text', content: html ? mail.html : (mail.text ?? '') },
    toRecipients: addresses(mail.to),
    ccRecipients: addresses(mail.cc),
    bccRecipients: addresses(mail.bcc),
    replyTo: addresses(mail.replyTo),
    internetMessageId: messageId,
    // Only an alias is named: the mailbox itself is the default sender.
    ...(from !== undefined && from.emailAddress.address.toLowerCase() !== mailbox.toLowerCase() ? { from } : {}),
  };
  return { draft, attachments, attachmentBytes: attachments.reduce((sum, a) => sum + a.bytes.length, 0) };
}

/**
 * Draft (marked with the Message-ID) → attachments (upload sessions in 4 MB chunks) → send. With `resume` (a
 * crash or a lost answer before), a draft with the marker is completed rather than a second one made; the caller
 * has already looked for a sent copy.
 */
export async function sendLarge(up: DraftUploadDeps, large: LargeMessage, resume: boolean): Promise<void> {
  let draftId: string | null = resume ? await findDraft(up, String(large.draft['internetMessageId'])) : null;
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

async function findDraft(up: DraftUploadDeps, messageId: string): Promise<string | null> {
  const page = (await up.pacer.request(up.app, up.mailbox, () =>
    up.client
      .api(`${up.user}/messages`)
      .header('Prefer', IMMUTABLE)
      .filter(`internetMessageId eq '${messageId.replace(/'/g, "''")}'`)
      .select('id,isDraft')
      .top(5)
      .get(),
  )) as { value: Array<{ id: string; isDraft: boolean }> };
  return page.value.find((m) => m.isDraft)?.id ?? null;
}
