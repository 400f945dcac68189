/** Outlook messages on Graph: drafts, attachments, upload sessions, send, get/list — and the mailbox store behind them. */
import { randomBytes } from 'node:crypto';
import { GRAPH, type GraphErrorSpec } from './errors';
import type { GraphCall, GraphResult, MailAccess, Recipient, SentMessage } from './graph-routes';
import { parseRecipients } from './graph-routes';
import type { MailboxThrottle } from './graph-throttle';
import type { World } from './world';

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

interface UploadSession {
  id: string;
  token: string;
  mailboxId: string;
  tenantId: string;
  messageImmutableId: string;
  appId: string;
  name: string;
  size: number;
  contentType: string;
  chunks: Buffer[];
  offset: number;
  expiresAt: number;
}

export interface MessageRouteDeps {
  world: World;
  sink: SentMessage[];
  throttle: MailboxThrottle;
  store: StoredMessage[];
  /** Authenticates, resolves the mailbox and checks the permission (and the per-mailbox throttles). */
  authorize(
    call: GraphCall,
    target: { me: boolean; id: string },
    need: 'Mail.Send' | 'Mail.ReadWrite' | 'Mail.Read',
  ): Promise<MailAccess | GraphResult>;
  fail: (call: GraphCall, spec: GraphErrorSpec, headers?: Record<string, string>) => GraphResult;
  ok: (status: number, body?: unknown, headers?: Record<string, string>) => GraphResult;
  /** Records an accepted message in the sink (same shape as sendMail). */
  record(
    access: MailAccess,
    call: GraphCall,
    message: Omit<SentMessage, 'id' | 'sender' | 'senderId' | 'sentAt' | 'appId' | 'viaBatch' | 'requestId'>,
  ): void;
  mayUseAddress(mailbox: MailAccess['mailbox'], address: string): boolean;
}

const MiB = 1024 * 1024;
/** Single POST attachments: Graph documents "under 3 MB". */
export const SMALL_ATTACHMENT_MAX = 3 * MiB;
/** Upload sessions: reported minimum 2 MiB (ErrorAttachmentSizeShouldNotBeLessThanMinimumSize), maximum 150 MB. */
export const UPLOAD_SESSION_MIN = 2 * MiB;
export const UPLOAD_SESSION_MAX = 150 * MiB;
/** One PUT to the upload URL: "up to 4 MB each time". */
export const UPLOAD_CHUNK_MAX = 4 * MiB;
/** Exchange Online's default maximum message size (customisable up to 150 MB). */
export const MAX_MESSAGE_SIZE = 35 * MiB;
const UPLOAD_SESSION_LIFETIME_MS = 60 * 60 * 1000;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const opaque = (prefix: string, bytes = 30): string => `${prefix}${randomBytes(bytes).toString('base64url')}AAA=`;

export function wantsImmutableId(call: GraphCall): boolean {
  return /IdType\s*=\s*"?ImmutableId"?/i.test(call.headers.get('prefer') ?? '');
}

export function createMessageRoutes(deps: MessageRouteDeps) {
  const { world, store, fail, ok } = deps;
  const sessions = new Map<string, UploadSession>();
  const now = (): number => world.clock.now();

  const find = (mailboxId: string, id: string): StoredMessage | undefined =>
    store.find((m) => m.mailboxId === mailboxId && (m.restId === id || m.immutableId === id));

  const idOf = (m: StoredMessage, immutable: boolean): string => (immutable ? m.immutableId : m.restId);

  const recipientJson = (r: Recipient) => ({ emailAddress: { name: r.name ?? r.address, address: r.address } });

  const messageJson = (m: StoredMessage, immutable: boolean, select: string[] | null): Record<string, unknown> => {
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
  };

  const selectOf = (call: GraphCall): string[] | null => {
    const s = call.query.get('$select');
    return s === null ? null : s.split(',').map((x) => x.trim());
  };

  const immutableHeaders = (immutable: boolean): Record<string, string> =>
    immutable ? { 'Preference-Applied': 'IdType="ImmutableId"' } : {};

  const parseJson = (call: GraphCall): Record<string, unknown> | GraphErrorSpec => {
    const raw = call.body ?? Buffer.alloc(0);
    if (raw.length === 0) return GRAPH.emptyPayload();
    try {
      const v: unknown = JSON.parse(raw.toString('utf8'));
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return GRAPH.unreadableJson();
      return v as Record<string, unknown>;
    } catch {
      return GRAPH.unreadableJson();
    }
  };

  const parseFileAttachment = (a: Record<string, unknown>): StoredAttachment | GraphErrorSpec => {
    const type = a['@odata.type'];
    if (type !== '#microsoft.graph.fileAttachment' && type !== '#Microsoft.OutlookServices.FileAttachment') {
      return GRAPH.invalidRequest('The emulator supports only #microsoft.graph.fileAttachment.');
    }
    const bytes = typeof a['contentBytes'] === 'string' ? a['contentBytes'] : '';
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(bytes) || bytes.length % 4 !== 0) {
      return GRAPH.invalidRequest('The attachment content is not a valid base64 string.');
    }
    const content = Buffer.from(bytes, 'base64');
    return {
      id: opaque('AAMkADAttach'),
      name: typeof a['name'] === 'string' ? a['name'] : '',
      contentType: typeof a['contentType'] === 'string' ? a['contentType'] : 'application/octet-stream',
      size: content.length,
      lastModifiedDateTime: iso(now()),
      bytes: content,
    };
  };

  const messageSize = (m: StoredMessage): number => m.attachments.reduce((s, a) => s + a.size, 0);

  /** A new item in the mailbox (draft, or a sendMail copy for Sent Items). */
  const newMessage = (mailboxId: string, fields: Partial<StoredMessage>): StoredMessage => {
    const t = iso(now());
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
      changeKey: randomBytes(15).toString('base64'),
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

  const createDraft = async (call: GraphCall, target: { me: boolean; id: string }): Promise<GraphResult> => {
    const access = await deps.authorize(call, target, 'Mail.ReadWrite');
    if ('status' in access) return access;
    const m = parseJson(call);
    if ('code' in m) return fail(call, m as GraphErrorSpec);
    const body = (m['body'] ?? { contentType: 'Text', content: '' }) as { contentType?: unknown; content?: unknown };
    const ct = typeof body.contentType === 'string' ? body.contentType : 'Text';
    if (!/^(text|html)$/i.test(ct)) return fail(call, GRAPH.requestBodyRead(`Requested value '${ct}' was not found.`));
    const lists = ['toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo'].map((k) => parseRecipients(m[k]));
    for (const l of lists) if (typeof l === 'string') return fail(call, GRAPH.invalidRecipients(l));
    const [to, cc, bcc, replyTo] = lists as Recipient[][];
    const fromList = m['from'] === undefined || m['from'] === null ? [] : parseRecipients([m['from']]);
    if (typeof fromList === 'string') return fail(call, GRAPH.invalidRecipients(fromList));
    const attachments: StoredAttachment[] = [];
    for (const a of Array.isArray(m['attachments']) ? (m['attachments'] as Record<string, unknown>[]) : []) {
      const parsed = parseFileAttachment(a);
      if ('code' in parsed) return fail(call, parsed);
      attachments.push(parsed);
    }
    const imid = m['internetMessageId'];
    if (imid !== undefined && (typeof imid !== 'string' || !/^<[^<>\s]+@[^<>\s]+>$/.test(imid))) {
      return fail(call, GRAPH.invalidRequest('The internet message id must be in the format <id@domain>.'));
    }
    const message = newMessage(access.mailbox.id, {
      subject: typeof m['subject'] === 'string' ? m['subject'] : '',
      body: { contentType: /^html$/i.test(ct) ? 'html' : 'text', content: typeof body.content === 'string' ? body.content : '' },
      ...(fromList[0] === undefined ? {} : { from: fromList[0] }),
      toRecipients: to ?? [],
      ccRecipients: cc ?? [],
      bccRecipients: bcc ?? [],
      replyTo: replyTo ?? [],
      attachments,
      ...(typeof imid === 'string' ? { internetMessageId: imid } : {}),
    });
    store.push(message);
    const immutable = wantsImmutableId(call);
    const json = {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${access.mailbox.id}')/messages/$entity`,
      ...messageJson(message, immutable, null),
    };
    return ok(201, json, immutableHeaders(immutable));
  };

  const getMessage = async (call: GraphCall, target: { me: boolean; id: string }, id: string): Promise<GraphResult> => {
    const access = await deps.authorize(call, target, 'Mail.Read');
    if ('status' in access) return access;
    const m = find(access.mailbox.id, id);
    if (m === undefined) return fail(call, GRAPH.itemNotFound());
    const immutable = wantsImmutableId(call);
    return ok(
      200,
      {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${access.mailbox.id}')/messages/$entity`,
        ...messageJson(m, immutable, selectOf(call)),
      },
      immutableHeaders(immutable),
    );
  };

  const deleteMessage = async (call: GraphCall, target: { me: boolean; id: string }, id: string): Promise<GraphResult> => {
    const access = await deps.authorize(call, target, 'Mail.ReadWrite');
    if ('status' in access) return access;
    const m = find(access.mailbox.id, id);
    if (m === undefined) return fail(call, GRAPH.itemNotFound());
    store.splice(store.indexOf(m), 1);
    return ok(204);
  };

  const FOLDERS: Record<string, StoredMessage['folder']> = { drafts: 'drafts', sentitems: 'sentitems' };

  const listMessages = async (call: GraphCall, target: { me: boolean; id: string }, folder?: string): Promise<GraphResult> => {
    const access = await deps.authorize(call, target, 'Mail.Read');
    if ('status' in access) return access;
    let items = store.filter((m) => m.mailboxId === access.mailbox.id);
    if (folder !== undefined) {
      const f = FOLDERS[folder.toLowerCase()];
      if (f === undefined && folder.toLowerCase() !== 'inbox') return fail(call, GRAPH.itemNotFound());
      items = items.filter((m) => m.folder === f);
    }
    const filter = call.query.get('$filter');
    if (filter !== null) {
      const f = /^\s*internetMessageId\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
      if (f?.[1] === undefined) {
        return fail(call, {
          status: 400,
          code: 'ErrorInvalidUrlQueryFilter',
          message: 'The query filter contains one or more invalid nodes.',
        });
      }
      const wanted = f[1].replace(/''/g, "'");
      items = items.filter((m) => m.internetMessageId === wanted);
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

  const attachmentJson = (a: StoredAttachment, withBytes: boolean): Record<string, unknown> => ({
    '@odata.type': '#microsoft.graph.fileAttachment',
    '@odata.mediaContentType': a.contentType,
    id: a.id,
    lastModifiedDateTime: a.lastModifiedDateTime,
    name: a.name,
    contentType: a.contentType,
    size: a.size,
    isInline: false,
    contentId: null,
    contentLocation: null,
    ...(withBytes ? { contentBytes: a.bytes.toString('base64') } : {}),
  });

  const addAttachment = async (call: GraphCall, target: { me: boolean; id: string }, id: string): Promise<GraphResult> => {
    const access = await deps.authorize(call, target, 'Mail.ReadWrite');
    if ('status' in access) return access;
    const m = find(access.mailbox.id, id);
    if (m === undefined) return fail(call, GRAPH.itemNotFound());
    const body = parseJson(call);
    if ('code' in body) return fail(call, body as GraphErrorSpec);
    const a = parseFileAttachment(body);
    if ('code' in a) return fail(call, a);
    if (a.size > SMALL_ATTACHMENT_MAX) return fail(call, GRAPH.requestTooLarge());
    if (messageSize(m) + a.size > MAX_MESSAGE_SIZE) return fail(call, GRAPH.messageSizeExceeded());
    m.attachments.push(a);
    m.lastModifiedDateTime = iso(now());
    return ok(201, {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${access.mailbox.id}')/messages('${id}')/attachments/$entity`,
      ...attachmentJson(a, true),
    });
  };

  const listAttachments = async (call: GraphCall, target: { me: boolean; id: string }, id: string): Promise<GraphResult> => {
    const access = await deps.authorize(call, target, 'Mail.Read');
    if ('status' in access) return access;
    const m = find(access.mailbox.id, id);
    if (m === undefined) return fail(call, GRAPH.itemNotFound());
    return ok(200, {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${access.mailbox.id}')/messages('${id}')/attachments`,
      value: m.attachments.map((a) => attachmentJson(a, false)),
    });
  };

  const createUploadSession = async (call: GraphCall, target: { me: boolean; id: string }, id: string): Promise<GraphResult> => {
    const access = await deps.authorize(call, target, 'Mail.ReadWrite');
    if ('status' in access) return access;
    const m = find(access.mailbox.id, id);
    if (m === undefined) return fail(call, GRAPH.itemNotFound());
    const body = parseJson(call);
    if ('code' in body) return fail(call, body as GraphErrorSpec);
    const item: unknown = body['AttachmentItem'] ?? body['attachmentItem'];
    if (item === undefined || item === null || typeof item !== 'object') {
      return fail(call, GRAPH.invalidRequest("The 'AttachmentItem' parameter is required for createUploadSession."));
    }
    return startSession(call, access, m, item as Record<string, unknown>);
  };

  const startSession = (call: GraphCall, access: MailAccess, m: StoredMessage, item: Record<string, unknown>): GraphResult => {
    if (item['attachmentType'] !== 'file') {
      return fail(call, GRAPH.requestBodyRead(`Requested value '${String(item['attachmentType'])}' was not found.`));
    }
    const size = item['size'];
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
      return fail(call, GRAPH.requestBodyRead("Cannot convert the literal to the expected type 'Edm.Int64'."));
    }
    if (typeof item['name'] !== 'string' || item['name'] === '') {
      return fail(call, GRAPH.invalidRequest('The attachment name is required.'));
    }
    if (size < UPLOAD_SESSION_MIN) return fail(call, GRAPH.attachmentTooSmall());
    if (size > UPLOAD_SESSION_MAX || messageSize(m) + size > MAX_MESSAGE_SIZE) return fail(call, GRAPH.messageSizeExceeded());
    const session: UploadSession = {
      id: opaque('AAMkADSession'),
      token: randomBytes(32).toString('base64url'),
      mailboxId: access.mailbox.id,
      tenantId: access.mailbox.tenantId,
      messageImmutableId: m.immutableId,
      appId: access.principal.appId,
      name: item['name'],
      size,
      contentType: typeof item['contentType'] === 'string' ? item['contentType'] : 'application/octet-stream',
      chunks: [],
      offset: 0,
      expiresAt: now() + UPLOAD_SESSION_LIFETIME_MS,
    };
    sessions.set(session.id, session);
    return ok(201, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession',
      uploadUrl: `${call.origin}${sessionPath(session, idOf(m, wantsImmutableId(call)))}?authtoken=${session.token}`,
      expirationDateTime: new Date(session.expiresAt).toISOString(),
      nextExpectedRanges: ['0-'],
    });
  };

  const sessionPath = (s: UploadSession, messageId: string): string =>
    `/api/v2.0/Users('${s.mailboxId}@${s.tenantId}')/Messages('${messageId}')/AttachmentSessions('${s.id}')`;

  /** PUT/DELETE on the pre-authenticated upload URL (Outlook's host in reality; no Authorization header). */
  const uploadUrl = (call: GraphCall): Promise<GraphResult> => Promise.resolve(upload(call));

  const upload = (call: GraphCall): GraphResult => {
    const m = /\/AttachmentSessions\('([^']+)'\)$/.exec(call.path);
    const session = m?.[1] === undefined ? undefined : sessions.get(m[1]);
    if (session === undefined) return fail(call, GRAPH.itemNotFound());
    if (call.query.get('authtoken') !== session.token || now() > session.expiresAt) return fail(call, GRAPH.uploadUrlInvalid());
    if (call.method === 'DELETE') {
      sessions.delete(session.id);
      return ok(204);
    }
    if (call.method !== 'PUT') return fail(call, GRAPH.methodNotAllowed());
    const slot = deps.throttle.enter(session.appId, session.mailboxId);
    call.cleanup.push(slot.release);
    if (slot.verdict !== undefined) return throttled(call, slot.verdict);
    const chunk = call.body ?? Buffer.alloc(0);
    const volume = deps.throttle.upload(session.appId, session.mailboxId, chunk.length);
    if (volume !== undefined) return throttled(call, volume);
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(call.headers.get('content-range') ?? '');
    if (range === null) return fail(call, GRAPH.invalidRequest('The Content-Range header is missing or malformed.'));
    const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (total !== session.size) {
      return fail(call, GRAPH.invalidRequest(`The total size ${total} does not match the upload session size ${session.size}.`));
    }
    if (end < start || end >= total || start !== session.offset) {
      return fail(
        call,
        GRAPH.invalidRange(`The range ${start}-${end} is not satisfiable; the next expected byte is ${session.offset}.`),
      );
    }
    const length = end - start + 1;
    if (length > UPLOAD_CHUNK_MAX) return fail(call, GRAPH.requestTooLarge());
    if (chunk.length !== length) {
      return fail(
        call,
        GRAPH.invalidRequest(`Content-Length ${chunk.length} does not match the Content-Range length ${length}.`),
      );
    }
    session.chunks.push(chunk);
    session.offset = end + 1;
    const message = find(session.mailboxId, session.messageImmutableId);
    if (message === undefined) return fail(call, GRAPH.itemNotFound());
    if (session.offset < session.size) {
      return ok(200, {
        '@odata.context': `${call.origin}/api/v2.0/$metadata#Users('${session.mailboxId}%40${session.tenantId}')/Messages('${encodeURIComponent(message.restId)}')/AttachmentSessions/$entity`,
        ExpirationDateTime: new Date(session.expiresAt).toISOString(),
        nextExpectedRanges: [String(session.offset)],
      });
    }
    sessions.delete(session.id);
    const attachment: StoredAttachment = {
      id: opaque('AAMkADAttach'),
      name: session.name,
      contentType: session.contentType,
      size: session.size,
      lastModifiedDateTime: iso(now()),
      bytes: Buffer.concat(session.chunks),
    };
    message.attachments.push(attachment);
    message.lastModifiedDateTime = iso(now());
    return {
      status: 201,
      headers: {
        Location: `${call.origin}/api/v2.0/Users('${session.mailboxId}@${session.tenantId}')/Messages('${message.restId}')/Attachments('${attachment.id}')`,
      },
    };
  };

  const throttled = (call: GraphCall, v: { limit: string; retryAfterSeconds: number }): GraphResult =>
    fail(call, GRAPH.applicationThrottled(v.limit), { 'Retry-After': String(v.retryAfterSeconds) });

  const send = async (call: GraphCall, target: { me: boolean; id: string }, id: string): Promise<GraphResult> => {
    const access = await deps.authorize(call, target, 'Mail.Send');
    if ('status' in access) return access;
    const m = find(access.mailbox.id, id);
    if (m === undefined) return fail(call, GRAPH.itemNotFound());
    // Unconfirmed: what Graph answers for sending an already sent item by its immutable id.
    if (!m.isDraft) return fail(call, GRAPH.invalidRequest('Only a draft message can be sent.'));
    if (m.toRecipients.length + m.ccRecipients.length + m.bccRecipients.length === 0) {
      return fail(
        call,
        GRAPH.invalidRecipients(
          "At least one recipient is not valid., A message can't be sent because it contains no recipients.",
        ),
      );
    }
    if (m.from !== undefined && !deps.mayUseAddress(access.mailbox, m.from.address)) return fail(call, GRAPH.sendAsDenied());
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
    m.sentDateTime = iso(now());
    m.lastModifiedDateTime = m.sentDateTime;
    m.changeKey = randomBytes(15).toString('base64');
    return ok(202);
  };

  /** sendMail with saveToSentItems: a copy in Sent Items, so it can be found by internetMessageId. */
  const saveSentCopy = (
    mailboxId: string,
    message: Omit<SentMessage, 'id' | 'sender' | 'senderId' | 'sentAt' | 'appId' | 'viaBatch' | 'requestId'>,
  ): string => {
    const copy = newMessage(mailboxId, {
      folder: 'sentitems',
      isDraft: false,
      sentDateTime: iso(now()),
      subject: message.subject,
      body: { contentType: message.body.contentType === 'HTML' ? 'html' : 'text', content: message.body.content },
      from: message.from,
      toRecipients: message.toRecipients,
      ccRecipients: message.ccRecipients,
      bccRecipients: message.bccRecipients,
      replyTo: message.replyTo,
      attachments: message.attachments.map((a) => ({
        id: opaque('AAMkADAttach'),
        ...a,
        lastModifiedDateTime: iso(now()),
        bytes: Buffer.alloc(0),
      })),
    });
    store.push(copy);
    return copy.internetMessageId;
  };

  /** Routes below /users/{id}; undefined = not a message route. */
  const route = (call: GraphCall, target: { me: boolean; id: string }, rest: string[]): Promise<GraphResult> | undefined => {
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
      if (rest.length === 3 && lower[2] === 'attachments' && call.method === 'POST') return addAttachment(call, target, b);
      if (rest.length === 3 && lower[2] === 'attachments' && call.method === 'GET') return listAttachments(call, target, b);
      if (rest.length === 4 && c !== undefined && d?.toLowerCase() === 'createuploadsession' && call.method === 'POST') {
        return createUploadSession(call, target, b);
      }
    }
    if (lower[0] === 'messages' || lower[0] === 'mailfolders') return Promise.resolve(fail(call, GRAPH.methodNotAllowed()));
    return undefined;
  };

  return {
    route,
    uploadUrl,
    saveSentCopy,
    sessions: () => [...sessions.values()].map((s) => ({ id: s.id, size: s.size, offset: s.offset })),
  };
}
