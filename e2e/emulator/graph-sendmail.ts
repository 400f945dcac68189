/** POST /me|users/{id}/sendMail: JSON or MIME body, send-as checks, the send rate, a Sent Items copy. */
import { parseAddressHeader } from 'mailparser';
import { GRAPH, type GraphErrorSpec } from './graph-errors';
import type { MailAccess, MailAccessChecks } from './graph-mail-access';
import {
  decodeContentBytes,
  NO_RECIPIENTS,
  parseMessageFields,
  type AcceptedMessage,
  type Recipient,
  type SentMessage,
} from './graph-message-fields';
import { isSpec, parseJsonObject, type GraphCall, type GraphReplies, type GraphResult, type Target } from './graph-reply';
import type { MailboxThrottle } from './graph-throttle';

type ParsedMail = { message: Omit<AcceptedMessage, 'from'> & { from?: Recipient } };

export interface SendMailDeps {
  access: MailAccessChecks;
  throttle: MailboxThrottle;
  replies: GraphReplies;
  /** Puts a copy in Sent Items; its internetMessageId. */
  saveSentCopy(mailboxId: string, message: AcceptedMessage): string;
  record(access: MailAccess, call: GraphCall, message: AcceptedMessage): void;
}

function parseMessage(call: GraphCall): ParsedMail | GraphErrorSpec {
  const raw = call.body ?? Buffer.alloc(0);
  if (raw.length === 0) return GRAPH.emptyPayload();
  const contentType = (call.headers.get('content-type') ?? '').toLowerCase();
  if (contentType.startsWith('text/plain')) return parseMime(raw);
  const top = parseJsonObject(call);
  if (isSpec(top)) return top;
  const msg = top['message'];
  if (msg === undefined || msg === null || typeof msg !== 'object') {
    return GRAPH.invalidRequest("The 'message' parameter is required for sendMail.");
  }
  const save = top['saveToSentItems'];
  if (save !== undefined && save !== null && typeof save !== 'boolean' && save !== 'true' && save !== 'false') {
    return GRAPH.requestBodyRead(`Cannot convert the literal '${JSON.stringify(save)}' to the expected type 'Edm.Boolean'.`);
  }
  const m = msg as Record<string, unknown>;
  const fields = parseMessageFields(m, true);
  if (isSpec(fields)) return fields;
  const attachments: SentMessage['attachments'] = [];
  if (Array.isArray(m['attachments'])) {
    for (const a of m['attachments'] as Record<string, unknown>[]) {
      const content = decodeContentBytes(a['contentBytes']);
      if (isSpec(content)) return content;
      attachments.push({
        name: typeof a['name'] === 'string' ? a['name'] : '',
        contentType: typeof a['contentType'] === 'string' ? a['contentType'] : 'application/octet-stream',
        size: content.length,
      });
    }
  }
  const { subject, html, content, ...people } = fields;
  return {
    message: {
      ...people,
      subject,
      body: { contentType: html ? 'HTML' : 'Text', content },
      attachments,
      saveToSentItems: save !== false && save !== 'false',
    },
  };
}

/** MIME sendMail (Content-Type: text/plain, base64 RFC 822 body); only the headers tests need. */
function parseMime(raw: Buffer): ParsedMail | GraphErrorSpec {
  const text = raw.toString('utf8').trim();
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(text)) return GRAPH.invalidBase64();
  const mime = Buffer.from(text, 'base64').toString('utf8');
  const [rawHead = '', ...rest] = mime.split(/\r?\n\r?\n/);
  // Folded lines unfolded (RFC 5322 2.2.3), as Exchange reads them.
  const head = rawHead.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  // Exchange parses address lists properly: quoted names with commas, groups (their members), encoded words.
  const list = (v: string): Recipient[] =>
    parseAddressHeader(v, { flatten: true, decodePunycode: false })
      .value.filter((a) => a.address !== undefined && a.address !== '')
      .map((a) => (a.name === '' ? { address: a.address ?? '' } : { address: a.address ?? '', name: a.name }));
  const to = list(header('To'));
  const cc = list(header('Cc'));
  // Graph sends a MIME message to its Bcc header too (the header is not kept in the sent copy).
  const bcc = list(header('Bcc'));
  const messageId = header('Message-ID');
  if (to.length + cc.length + bcc.length === 0) return GRAPH.invalidRecipients(NO_RECIPIENTS);
  const from = list(header('From'))[0];
  return {
    message: {
      ...(from === undefined ? {} : { from }),
      toRecipients: to,
      ccRecipients: cc,
      bccRecipients: bcc,
      replyTo: [],
      subject: header('Subject'),
      ...(messageId === '' ? {} : { internetMessageId: messageId }),
      body: { contentType: /text\/html/i.test(header('Content-Type')) ? 'HTML' : 'Text', content: rest.join('\n\n') },
      attachments: [],
      saveToSentItems: true,
    },
  };
}

export function createSendMailRoute(deps: SendMailDeps) {
  const { fail, ok, throttled } = deps.replies;
  return async (call: GraphCall, target: Target): Promise<GraphResult> => {
    const access = await deps.access.authorize(call, target, 'Mail.Send');
    if ('status' in access) return access;
    const { mailbox } = access;
    const parsed = parseMessage(call);
    if (isSpec(parsed)) return fail(call, parsed);
    const { from, ...message } = parsed.message;
    if (from !== undefined && !deps.access.mayUseAddress(mailbox, from.address)) return fail(call, GRAPH.sendAsDenied());
    const rate = deps.throttle.send(mailbox.id);
    if (rate !== undefined) return throttled(call, rate);
    const full = { from: from ?? { address: mailbox.mail ?? mailbox.userPrincipalName, name: mailbox.displayName }, ...message };
    const internetMessageId = message.saveToSentItems ? deps.saveSentCopy(mailbox.id, full) : undefined;
    deps.record(access, call, { ...full, ...(internetMessageId === undefined ? {} : { internetMessageId }) });
    return ok(202);
  };
}
