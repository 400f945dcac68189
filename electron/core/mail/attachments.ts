import { extname } from 'node:path';
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import type { HttpTransport } from '../ports';
import type { MailPacer } from './pacing';

const MiB = 1024 * 1024;
/** Graph: attachments "under 3 MB" go inline (sendMail, the draft or POST …/attachments). */
export const INLINE_MAX_BYTES = 3 * MiB;
/** Upload sessions take attachments up to 150 MB; a bigger message is refused before any request. */
export const MESSAGE_MAX_BYTES = 150 * MiB;
/** One PUT to the upload URL: Outlook takes "up to 4 MB each time"; fewer, fuller chunks are fewer round trips. */
export const UPLOAD_CHUNK_BYTES = 4 * MiB;

export interface OutgoingAttachment {
  name: string;
  contentType: string;
  bytes: Buffer;
}

const TYPES: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.htm': 'text/html',
  '.html': 'text/html',
  '.xml': 'application/xml',
  '.json': 'application/json',
  '.ics': 'text/calendar',
  '.eml': 'message/rfc822',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.7z': 'application/x-7z-compressed',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.svg': 'image/svg+xml',
  '.doc': 'application/msword',
  '.xls': 'application/vnd.ms-excel',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.p7m': 'application/pkcs7-mime',
  '.p7s': 'application/pkcs7-signature',
};

/** The content type by file extension (an ERP's PDFs, CSVs, XRechnung XMLs); unknown → octet-stream. */
export const contentTypeFor = (fileName: string): string => TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';

export const inlineAttachment = (a: OutgoingAttachment) => ({
  '@odata.type': '#microsoft.graph.fileAttachment',
  name: a.name,
  contentType: a.contentType,
  contentBytes: a.bytes.toString('base64'),
});

/** Graph refuses any request over 4 MB with 413. */
const REQUEST_MAX_BYTES = 4 * MiB;

/** The bytes of `POST …/attachments` for one file: base64 makes a file just under 3 MB a request over 4 MB. */
export const attachmentPostBytes = (a: OutgoingAttachment): number =>
  Buffer.byteLength(JSON.stringify({ ...inlineAttachment({ ...a, bytes: Buffer.alloc(0) }) }), 'utf8') +
  4 * Math.ceil(a.bytes.length / 3);

export interface DraftUploadDeps {
  client: Client;
  /** `/users/{mailbox}` */
  user: string;
  mailbox: string;
  /** The app's client id: the pacer's concurrency key. */
  app: string;
  transport: HttpTransport;
  timeoutMs: number;
  /** A 429 on an upload chunk waiting longer than this ends the upload (the job retries later). */
  maxRetryDelaySeconds: number;
  pacer: MailPacer;
}

interface ExistingAttachment {
  name: string;
  size: number;
}

const IMMUTABLE = 'IdType="ImmutableId"';

/**
 * Puts the attachments on a draft: small ones with one POST each, 3 MB and more through an upload session
 * (chunks of at most 4 MB with Content-Range). With `resume`, what the draft already holds (a run killed
 * half-way) is listed first and only the missing ones are added; `false` if the draft holds something else
 * (the caller makes a new draft).
 */
export async function attachToDraft(
  deps: DraftUploadDeps,
  draftId: string,
  attachments: readonly OutgoingAttachment[],
  resume: boolean,
): Promise<boolean> {
  const base = `${deps.user}/messages/${encodeURIComponent(draftId)}/attachments`;
  const missing = [...attachments];
  if (resume) {
    const page = (await deps.pacer.request(deps.app, deps.mailbox, () =>
      deps.client.api(base).header('Prefer', IMMUTABLE).select('name,size').get(),
    )) as { value: ExistingAttachment[] };
    for (const existing of page.value) {
      const i = missing.findIndex((a) => a.name === existing.name && a.bytes.length === existing.size);
      if (i < 0) return false;
      missing.splice(i, 1);
    }
  }
  for (const a of missing) {
    if (a.bytes.length < INLINE_MAX_BYTES && attachmentPostBytes(a) <= REQUEST_MAX_BYTES) {
      await deps.pacer.upload(deps.mailbox, a.bytes.length);
      await deps.pacer.request(deps.app, deps.mailbox, () =>
        deps.client.api(base).header('Prefer', IMMUTABLE).post(inlineAttachment(a)),
      );
    } else await uploadSession(deps, base, a);
  }
  return true;
}

async function uploadSession(deps: DraftUploadDeps, base: string, a: OutgoingAttachment): Promise<void> {
  const session = (await deps.pacer.request(deps.app, deps.mailbox, () =>
    deps.client
      .api(`${base}/createUploadSession`)
      .header('Prefer', IMMUTABLE)
      .post({ AttachmentItem: { attachmentType: 'file', name: a.name, size: a.bytes.length, contentType: a.contentType } }),
  )) as { uploadUrl: string };
  const total = a.bytes.length;
  for (let start = 0; start < total; start += UPLOAD_CHUNK_BYTES) {
    const chunk = a.bytes.subarray(start, Math.min(total, start + UPLOAD_CHUNK_BYTES));
    await deps.pacer.upload(deps.mailbox, chunk.length);
    await putChunk(deps, session.uploadUrl, chunk, `bytes ${start}-${start + chunk.length - 1}/${total}`);
  }
}

/** The upload URL is pre-authenticated: no Authorization header (Microsoft: sending one fails the upload). */
async function putChunk(deps: DraftUploadDeps, url: string, chunk: Buffer, range: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const answer = await deps.pacer.request(deps.app, deps.mailbox, () =>
      deps.transport.fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', 'content-range': range },
        body: chunk,
        signal: AbortSignal.timeout(deps.timeoutMs),
      }),
    );
    if (answer.status === 200 || answer.status === 201) return;
    const text = await answer.text().catch(() => '');
    if (answer.status === 429 && attempt < 3) {
      const seconds = deps.pacer.throttled(deps.mailbox, answer.headers['retry-after']);
      if (seconds <= deps.maxRetryDelaySeconds) continue;
    }
    throw uploadError(answer.status, answer.headers, text);
  }
}

/** The upload URL's error as the Graph client's GraphError, so the diagnosis reads it the same way. */
function uploadError(status: number, headers: Readonly<Record<string, string>>, text: string): GraphError {
  let code: string | null = null;
  let message = `upload failed with HTTP ${status}`;
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
    const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.code === 'string') code = error.code;
    if (typeof error?.message === 'string') message = error.message;
  } catch {
    // Not JSON: the status says enough.
  }
  const error = new GraphError(status, message);
  error.code = code;
  error.body = typeof body === 'string' ? body : JSON.stringify(body);
  error.headers = new Headers(headers);
  error.requestId = headers['request-id'] ?? null;
  return error;
}
