/** Message attachments: small POSTs, listing, upload sessions and the pre-authenticated upload URL they hand out. */
import { randomBytes } from 'node:crypto';
import { GRAPH, type GraphErrorSpec } from './graph-errors';
import type { MailAccess, MailAccessChecks } from './graph-mail-access';
import {
  iso,
  messageLookup,
  messageSize,
  opaque,
  idOf,
  wantsImmutableId,
  type Mailbox,
  type StoredAttachment,
  type StoredMessage,
} from './graph-mailbox';
import { decodeContentBytes } from './graph-message-fields';
import { isSpec, parseJsonObject, type GraphCall, type GraphReplies, type GraphResult, type Target } from './graph-reply';
import type { MailboxThrottle } from './graph-throttle';

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

export interface AttachmentDeps {
  mailbox: Mailbox;
  access: MailAccessChecks;
  throttle: MailboxThrottle;
  replies: GraphReplies;
  clock: { now(): number };
}

export function createAttachmentRoutes(deps: AttachmentDeps) {
  const { find } = deps.mailbox;
  const lookup = messageLookup(deps.mailbox, deps.access, deps.replies);
  const { fail, ok, throttled } = deps.replies;
  const sessions = new Map<string, UploadSession>();
  const now = (): number => deps.clock.now();

  const parseFileAttachment = (a: Record<string, unknown>): StoredAttachment | GraphErrorSpec => {
    const type = a['@odata.type'];
    if (type !== '#microsoft.graph.fileAttachment' && type !== '#Microsoft.OutlookServices.FileAttachment') {
      return GRAPH.invalidRequest('The emulator supports only #microsoft.graph.fileAttachment.');
    }
    const content = decodeContentBytes(a['contentBytes']);
    if (isSpec(content)) return content;
    return {
      id: opaque('AAMkADAttach'),
      name: typeof a['name'] === 'string' ? a['name'] : '',
      contentType: typeof a['contentType'] === 'string' ? a['contentType'] : 'application/octet-stream',
      size: content.length,
      lastModifiedDateTime: iso(now()),
      bytes: content,
    };
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

  const add = async (call: GraphCall, target: Target, id: string): Promise<GraphResult> => {
    const found = await lookup(call, target, 'Mail.ReadWrite', id);
    if ('status' in found) return found;
    const { access, m } = found;
    const body = parseJsonObject(call);
    if (isSpec(body)) return fail(call, body);
    const a = parseFileAttachment(body);
    if (isSpec(a)) return fail(call, a);
    if (a.size > SMALL_ATTACHMENT_MAX) return fail(call, GRAPH.requestTooLarge());
    if (messageSize(m) + a.size > MAX_MESSAGE_SIZE) return fail(call, GRAPH.messageSizeExceeded());
    m.attachments.push(a);
    m.lastModifiedDateTime = iso(now());
    return ok(201, {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${access.mailbox.id}')/messages('${id}')/attachments/$entity`,
      ...attachmentJson(a, true),
    });
  };

  const list = async (call: GraphCall, target: Target, id: string): Promise<GraphResult> => {
    const found = await lookup(call, target, 'Mail.Read', id);
    if ('status' in found) return found;
    const { access, m } = found;
    return ok(200, {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${access.mailbox.id}')/messages('${id}')/attachments`,
      value: m.attachments.map((a) => attachmentJson(a, false)),
    });
  };

  const createUploadSession = async (call: GraphCall, target: Target, id: string): Promise<GraphResult> => {
    const found = await lookup(call, target, 'Mail.ReadWrite', id);
    if ('status' in found) return found;
    const { access, m } = found;
    const body = parseJsonObject(call);
    if (isSpec(body)) return fail(call, body);
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

  return {
    parseFileAttachment,
    add,
    list,
    createUploadSession,
    uploadUrl,
    sessions: () => [...sessions.values()].map((s) => ({ id: s.id, size: s.size, offset: s.offset })),
  };
}
