/** The message fields sendMail and drafts share: recipients, body, from, base64 attachment content — and the sink's record. */
import { GRAPH, type GraphErrorSpec } from './graph-errors';

export interface Recipient {
  address: string;
  name?: string;
}

/** A message Graph accepted (202). */
export interface SentMessage {
  id: string;
  /** The mailbox the request targeted (UPN), i.e. whose Sent Items it would land in. */
  sender: string;
  senderId: string;
  /** message.from, or the sender when not given. */
  from: Recipient;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  subject: string;
  body: { contentType: string; content: string };
  attachments: { name: string; contentType: string; size: number }[];
  saveToSentItems: boolean;
  /** ISO time on the emulator clock. */
  sentAt: string;
  /** From the access token. */
  appId: string;
  /** Delegated tokens: the signed-in user; app-only: undefined. */
  userId?: string;
  userPrincipalName?: string;
  viaBatch: boolean;
  requestId: string;
  /** POST …/messages/{id}/send: the draft's immutable id. */
  messageId?: string;
  /** Message send, or sendMail with saveToSentItems: the Sent Items copy's internetMessageId. */
  internetMessageId?: string;
}

/** What a route hands to the sink; the router adds who sent it and when. */
export type AcceptedMessage = Omit<SentMessage, 'id' | 'sender' | 'senderId' | 'sentAt' | 'appId' | 'viaBatch' | 'requestId'>;

export const NO_RECIPIENTS = "At least one recipient is not valid., A message can't be sent because it contains no recipients.";

const ADDRESS = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

/** A Graph recipient list, or the ErrorInvalidRecipients text. */
export function parseRecipients(value: unknown): Recipient[] | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return 'A recipient list must be an array.';
  const out: Recipient[] = [];
  for (const r of value as unknown[]) {
    const email = (r as { emailAddress?: { address?: unknown; name?: unknown } } | null)?.emailAddress;
    const address = typeof email?.address === 'string' ? email.address.trim() : '';
    if (!ADDRESS.test(address)) {
      return `At least one recipient is not valid., Recipient '${address}' is not resolved. All recipients must be resolved before a message can be submitted.`;
    }
    out.push(typeof email?.name === 'string' ? { address, name: email.name } : { address });
  }
  return out;
}

export interface MessageFields {
  subject: string;
  html: boolean;
  content: string;
  from?: Recipient;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
}

/** A JSON message's subject, body, recipients and from, checked in Graph's order; sendMail also needs a recipient. */
export function parseMessageFields(m: Record<string, unknown>, needsRecipient: boolean): MessageFields | GraphErrorSpec {
  const body = (m['body'] ?? { contentType: 'Text', content: '' }) as { contentType?: unknown; content?: unknown };
  const ct = typeof body.contentType === 'string' ? body.contentType : 'Text';
  if (!/^(text|html)$/i.test(ct)) return GRAPH.requestBodyRead(`Requested value '${ct}' was not found.`);
  const lists = ['toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo'].map((k) => parseRecipients(m[k]));
  for (const l of lists) if (typeof l === 'string') return GRAPH.invalidRecipients(l);
  const [to = [], cc = [], bcc = [], replyTo = []] = lists as Recipient[][];
  if (needsRecipient && to.length + cc.length + bcc.length === 0) return GRAPH.invalidRecipients(NO_RECIPIENTS);
  const fromList = m['from'] === undefined || m['from'] === null ? [] : parseRecipients([m['from']]);
  if (typeof fromList === 'string') return GRAPH.invalidRecipients(fromList);
  return {
    subject: typeof m['subject'] === 'string' ? m['subject'] : '',
    html: /^html$/i.test(ct),
    content: typeof body.content === 'string' ? body.content : '',
    ...(fromList[0] === undefined ? {} : { from: fromList[0] }),
    toRecipients: to,
    ccRecipients: cc,
    bccRecipients: bcc,
    replyTo,
  };
}

/** An attachment's contentBytes, decoded, or Graph's error for what is not base64. */
export function decodeContentBytes(value: unknown): Buffer | GraphErrorSpec {
  const bytes = typeof value === 'string' ? value : '';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(bytes) || bytes.length % 4 !== 0) {
    return GRAPH.invalidRequest('The attachment content is not a valid base64 string.');
  }
  return Buffer.from(bytes, 'base64');
}
