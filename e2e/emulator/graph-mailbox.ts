/** The mailboxes' items (drafts, Sent Items): how they are stored, created, found and shown as Graph message JSON. */
import { randomBytes } from 'node:crypto';
import { GRAPH } from './graph-errors';
import type { MailAccess, MailAccessChecks, MailPermission } from './graph-mail-access';
import type { AcceptedMessage, Recipient } from './graph-message-fields';
import type { GraphCall, GraphReplies, GraphResult, Target } from './graph-reply';

export interface StoredAttachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  lastModifiedDateTime: string;
  /** Kept so tests can compare what arrived; never echoed for upload-session attachments. */
  bytes: Buffer;
}

export interface StoredMessage {
  /** The default (REST) id: changes when the message moves to Sent Items. */
  restId: string;
  /** The id under Prefer: IdType="ImmutableId": stable for the item's life in the mailbox. */
  immutableId: string;
  mailboxId: string;
  folder: 'drafts' | 'sentitems';
  isDraft: boolean;
  internetMessageId: string;
  conversationId: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  sentDateTime: string | null;
  changeKey: string;
  subject: string;
  body: { contentType: 'text' | 'html'; content: string };
  from?: Recipient;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  attachments: StoredAttachment[];
}

export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const opaque = (prefix: string, bytes = 30): string => `${prefix}${randomBytes(bytes).toString('base64url')}AAA=`;
export const newChangeKey = (): string => randomBytes(15).toString('base64');

export function wantsImmutableId(call: GraphCall): boolean {
  return /IdType\s*=\s*"?ImmutableId"?/i.test(call.headers.get('prefer') ?? '');
}

export const immutableHeaders = (immutable: boolean): Record<string, string> =>
  immutable ? { 'Preference-Applied': 'IdType="ImmutableId"' } : {};

export const selectOf = (call: GraphCall): string[] | null => {
  const s = call.query.get('$select');
  return s === null ? null : s.split(',').map((x) => x.trim());
};

export const idOf = (m: StoredMessage, immutable: boolean): string => (immutable ? m.immutableId : m.restId);

export const messageSize = (m: StoredMessage): number => m.attachments.reduce((s, a) => s + a.size, 0);

const recipientJson = (r: Recipient) => ({ emailAddress: { name: r.name ?? r.address, address: r.address } });

export function messageJson(m: StoredMessage, immutable: boolean, select: string[] | null): Record<string, unknown> {
  const full: Record<string, unknown> = {
    '@odata.etag': `W/"${m.changeKey}"`,
    id: idOf(m, immutable),
    createdDateTime: m.createdDateTime,
    lastModifiedDateTime: m.lastModifiedDateTime,
    changeKey: m.changeKey,
    categories: [],
    receivedDateTime: m.sentDateTime ?? m.createdDateTime,
    sentDateTime: m.sentDateTime,
    hasAttachments: m.attachments.length > 0,
    internetMessageId: m.internetMessageId,
    subject: m.subject,
    bodyPreview: m.body.content.replace(/<[^>]*>/g, '').slice(0, 255),
    importance: 'normal',
    parentFolderId: `${m.folder === 'drafts' ? 'AQMkADrafts' : 'AQMkADSentItems'}AAA=`,
    conversationId: m.conversationId,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: true,
    isDraft: m.isDraft,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(idOf(m, immutable))}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: 'focused',
    body: m.body,
    sender: m.from === undefined ? null : recipientJson(m.from),
    from: m.from === undefined ? null : recipientJson(m.from),
    toRecipients: m.toRecipients.map(recipientJson),
    ccRecipients: m.ccRecipients.map(recipientJson),
    bccRecipients: m.bccRecipients.map(recipientJson),
    replyTo: m.replyTo.map(recipientJson),
    flag: { flagStatus: 'notFlagged' },
  };
  if (select === null) return full;
  const out: Record<string, unknown> = { '@odata.etag': full['@odata.etag'], id: full['id'] };
  for (const k of select) if (k in full) out[k] = full[k];
  return out;
}

export function createMailbox(store: StoredMessage[], clock: { now(): number }) {
  const find = (mailboxId: string, id: string): StoredMessage | undefined =>
    store.find((m) => m.mailboxId === mailboxId && (m.restId === id || m.immutableId === id));

  /** A new item in the mailbox (draft, or a sendMail copy for Sent Items). */
  const newMessage = (mailboxId: string, fields: Partial<StoredMessage>): StoredMessage => {
    const t = iso(clock.now());
    const host = `${randomBytes(4).toString('hex').toUpperCase()}PR03MB${randomBytes(2).toString('hex').toUpperCase()}`;
    return {
      restId: opaque('AAMkAD'),
      immutableId: opaque('AAkALg'),
      mailboxId,
      folder: 'drafts',
      isDraft: true,
      internetMessageId: `<${host}${randomBytes(8).toString('hex').toUpperCase()}@${host}.eurprd03.prod.outlook.com>`,
      conversationId: opaque('AAQkAD', 20),
      createdDateTime: t,
      lastModifiedDateTime: t,
      sentDateTime: null,
      changeKey: newChangeKey(),
      subject: '',
      body: { contentType: 'text', content: '' },
      toRecipients: [],
      ccRecipients: [],
      bccRecipients: [],
      replyTo: [],
      attachments: [],
      ...fields,
    };
  };

  /** sendMail with saveToSentItems: a copy in Sent Items, so it can be found by internetMessageId. */
  const saveSentCopy = (mailboxId: string, message: AcceptedMessage): string => {
    const copy = newMessage(mailboxId, {
      folder: 'sentitems',
      isDraft: false,
      sentDateTime: iso(clock.now()),
      subject: message.subject,
      body: { contentType: message.body.contentType === 'HTML' ? 'html' : 'text', content: message.body.content },
      from: message.from,
      toRecipients: message.toRecipients,
      ccRecipients: message.ccRecipients,
      bccRecipients: message.bccRecipients,
      replyTo: message.replyTo,
      // Exchange keeps a MIME message's own Message-ID.
      ...(message.internetMessageId === undefined ? {} : { internetMessageId: message.internetMessageId }),
      attachments: message.attachments.map((a) => ({
        id: opaque('AAMkADAttach'),
        ...a,
        lastModifiedDateTime: iso(clock.now()),
        bytes: Buffer.alloc(0),
      })),
    });
    store.push(copy);
    return copy.internetMessageId;
  };

  return { store, find, newMessage, saveSentCopy };
}

export type Mailbox = ReturnType<typeof createMailbox>;

/** Authorises the call and finds message `id` in the addressed mailbox: what every …/messages/{id} route starts with. */
export function messageLookup(mailbox: Mailbox, access: MailAccessChecks, replies: GraphReplies) {
  return async (
    call: GraphCall,
    target: Target,
    need: MailPermission,
    id: string,
  ): Promise<{ access: MailAccess; m: StoredMessage } | GraphResult> => {
    const granted = await access.authorize(call, target, need);
    if ('status' in granted) return granted;
    const m = mailbox.find(granted.mailbox.id, id);
    if (m === undefined) return replies.fail(call, GRAPH.itemNotFound());
    return { access: granted, m };
  };
}
