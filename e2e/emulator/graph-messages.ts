/** Outlook messages on Graph: drafts, message send, get/list/delete, and the routes below /users/{id} (attachments included). */
import { GRAPH } from './graph-errors';
import { createAttachmentRoutes } from './graph-attachments';
import type { MailAccess, MailAccessChecks } from './graph-mail-access';
import {
  createMailbox,
  messageLookup,
  immutableHeaders,
  iso,
  messageJson,
  newChangeKey,
  opaque,
  selectOf,
  wantsImmutableId,
  type StoredAttachment,
  type StoredMessage,
} from './graph-mailbox';
import { NO_RECIPIENTS, parseMessageFields, type AcceptedMessage } from './graph-message-fields';
import { isSpec, parseJsonObject, type GraphCall, type GraphReplies, type GraphResult, type Target } from './graph-reply';
import type { MailboxThrottle } from './graph-throttle';

export interface MessageRouteDeps {
  clock: { now(): number };
  throttle: MailboxThrottle;
  store: StoredMessage[];
  access: MailAccessChecks;
  replies: GraphReplies;
  /** Records an accepted message in the sink (same shape as sendMail). */
  record(access: MailAccess, call: GraphCall, message: AcceptedMessage): void;
}

const FOLDERS: Record<string, StoredMessage['folder']> = { drafts: 'drafts', sentitems: 'sentitems' };

export function createMessageRoutes(deps: MessageRouteDeps) {
  const { fail, ok, throttled } = deps.replies;
  const mailbox = createMailbox(deps.store, deps.clock);
  const { store } = mailbox;
  const lookup = messageLookup(mailbox, deps.access, deps.replies);
  const attachments = createAttachmentRoutes({ ...deps, mailbox });
  const authorize = deps.access.authorize;

  const entity = (mailboxId: string): string =>
    `https://graph.microsoft.com/v1.0/$metadata#users('${mailboxId}')/messages/$entity`;

  const createDraft = async (call: GraphCall, target: Target): Promise<GraphResult> => {
    const access = await authorize(call, target, 'Mail.ReadWrite');
    if ('status' in access) return access;
    const m = parseJsonObject(call);
    if (isSpec(m)) return fail(call, m);
    const fields = parseMessageFields(m, false);
    if (isSpec(fields)) return fail(call, fields);
    const files: StoredAttachment[] = [];
    for (const a of Array.isArray(m['attachments']) ? (m['attachments'] as Record<string, unknown>[]) : []) {
      const parsed = attachments.parseFileAttachment(a);
      if (isSpec(parsed)) return fail(call, parsed);
      files.push(parsed);
    }
    const imid = m['internetMessageId'];
    if (imid !== undefined && (typeof imid !== 'string' || !/^<[^<>\s]+@[^<>\s]+>$/.test(imid))) {
      return fail(call, GRAPH.invalidRequest('The internet message id must be in the format <id@domain>.'));
    }
    const { html, content, ...rest } = fields;
    const message = mailbox.newMessage(access.mailbox.id, {
      ...rest,
      body: { contentType: html ? 'html' : 'text', content },
      attachments: files,
      ...(typeof imid === 'string' ? { internetMessageId: imid } : {}),
    });
    store.push(message);
    const immutable = wantsImmutableId(call);
    const json = { '@odata.context': entity(access.mailbox.id), ...messageJson(message, immutable, null) };
    return ok(201, json, immutableHeaders(immutable));
  };

  const getMessage = async (call: GraphCall, target: Target, id: string): Promise<GraphResult> => {
    const found = await lookup(call, target, 'Mail.Read', id);
    if ('status' in found) return found;
    const { access, m } = found;
    const immutable = wantsImmutableId(call);
    const json = { '@odata.context': entity(access.mailbox.id), ...messageJson(m, immutable, selectOf(call)) };
    return ok(200, json, immutableHeaders(immutable));
  };

  const deleteMessage = async (call: GraphCall, target: Target, id: string): Promise<GraphResult> => {
    const found = await lookup(call, target, 'Mail.ReadWrite', id);
    if ('status' in found) return found;
    const { m } = found;
    store.splice(store.indexOf(m), 1);
    return ok(204);
  };

  const listMessages = async (call: GraphCall, target: Target, folder?: string): Promise<GraphResult> => {
    const access = await authorize(call, target, 'Mail.Read');
    if ('status' in access) return access;
    let items = store.filter((m) => m.mailboxId === access.mailbox.id);
    if (folder !== undefined) {
      const f = FOLDERS[folder.toLowerCase()];
      if (f === undefined && folder.toLowerCase() !== 'inbox') return fail(call, GRAPH.itemNotFound());
      items = items.filter((m) => m.folder === f);
    }
    const filter = call.query.get('$filter');
    if (filter !== null) {
      // internetMessageId eq '…', optionally `and createdDateTime|sentDateTime ge <DateTimeOffset>` (OData: unquoted).
      const f =
        /^\s*internetMessageId\s+eq\s+'((?:[^']|'')*)'(?:\s+and\s+(createdDateTime|sentDateTime)\s+ge\s+(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z))?\s*$/i.exec(
          filter,
        );
      if (f?.[1] === undefined) {
        return fail(call, {
          status: 400,
          code: 'ErrorInvalidUrlQueryFilter',
          message: 'The query filter contains one or more invalid nodes.',
        });
      }
      const wanted = f[1].replace(/''/g, "'");
      items = items.filter((m) => m.internetMessageId === wanted);
      const [field, bound] = [f[2]?.toLowerCase(), f[3] === undefined ? NaN : Date.parse(f[3])];
      // A null sentDateTime (a draft) is not ge anything, as in OData.
      if (field !== undefined && Number.isFinite(bound))
        items = items.filter((m) => {
          const v = field === 'createddatetime' ? m.createdDateTime : m.sentDateTime;
          return v !== null && Date.parse(v) >= bound;
        });
    }
    const top = Number(call.query.get('$top') ?? '10');
    const immutable = wantsImmutableId(call);
    const select = selectOf(call);
    return ok(
      200,
      {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${access.mailbox.id}')/messages`,
        value: items.slice(0, Number.isFinite(top) && top > 0 ? top : 10).map((m) => messageJson(m, immutable, select)),
      },
      immutableHeaders(immutable),
    );
  };

  const send = async (call: GraphCall, target: Target, id: string): Promise<GraphResult> => {
    const found = await lookup(call, target, 'Mail.Send', id);
    if ('status' in found) return found;
    const { access, m } = found;
    // Unconfirmed: what Graph answers for sending an already sent item by its immutable id.
    if (!m.isDraft) return fail(call, GRAPH.invalidRequest('Only a draft message can be sent.'));
    if (m.toRecipients.length + m.ccRecipients.length + m.bccRecipients.length === 0) {
      return fail(call, GRAPH.invalidRecipients(NO_RECIPIENTS));
    }
    if (m.from !== undefined && !deps.access.mayUseAddress(access.mailbox, m.from.address)) {
      return fail(call, GRAPH.sendAsDenied());
    }
    const rate = deps.throttle.send(access.mailbox.id);
    if (rate !== undefined) return throttled(call, rate);
    deps.record(access, call, {
      from: m.from ?? { address: access.mailbox.mail ?? access.mailbox.userPrincipalName, name: access.mailbox.displayName },
      toRecipients: m.toRecipients,
      ccRecipients: m.ccRecipients,
      bccRecipients: m.bccRecipients,
      replyTo: m.replyTo,
      subject: m.subject,
      body: { contentType: m.body.contentType === 'html' ? 'HTML' : 'Text', content: m.body.content },
      attachments: m.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size })),
      saveToSentItems: true,
      messageId: m.immutableId,
      internetMessageId: m.internetMessageId,
    });
    // Moving to Sent Items gives the item a new default id; the immutable id stays.
    m.folder = 'sentitems';
    m.isDraft = false;
    m.restId = opaque('AAMkAD');
    m.sentDateTime = iso(deps.clock.now());
    m.lastModifiedDateTime = m.sentDateTime;
    m.changeKey = newChangeKey();
    return ok(202);
  };

  /** Routes below /users/{id}; undefined = not a message route. */
  const route = (call: GraphCall, target: Target, rest: string[]): Promise<GraphResult> | undefined => {
    const [a, b, c, d] = rest;
    const lower = rest.map((s) => s.toLowerCase());
    if (lower[0] === 'messages' && rest.length === 1) {
      if (call.method === 'POST') return createDraft(call, target);
      if (call.method === 'GET') return listMessages(call, target);
    }
    if (lower[0] === 'mailfolders' && b !== undefined && lower[2] === 'messages' && rest.length === 3) {
      if (call.method === 'GET') return listMessages(call, target, b);
      if (call.method === 'POST' && b.toLowerCase() === 'drafts') return createDraft(call, target);
    }
    if (a !== undefined && lower[0] === 'messages' && b !== undefined) {
      if (rest.length === 2 && call.method === 'GET') return getMessage(call, target, b);
      if (rest.length === 2 && call.method === 'DELETE') return deleteMessage(call, target, b);
      if (rest.length === 3 && lower[2] === 'send' && call.method === 'POST') return send(call, target, b);
      if (rest.length === 3 && lower[2] === 'attachments' && call.method === 'POST') return attachments.add(call, target, b);
      if (rest.length === 3 && lower[2] === 'attachments' && call.method === 'GET') return attachments.list(call, target, b);
      if (rest.length === 4 && c !== undefined && d?.toLowerCase() === 'createuploadsession' && call.method === 'POST') {
        return attachments.createUploadSession(call, target, b);
      }
    }
    if (lower[0] === 'messages' || lower[0] === 'mailfolders') return Promise.resolve(fail(call, GRAPH.methodNotAllowed()));
    return undefined;
  };

  return {
    route,
    uploadUrl: attachments.uploadUrl,
    saveSentCopy: mailbox.saveSentCopy,
    sessions: attachments.sessions,
  };
}
