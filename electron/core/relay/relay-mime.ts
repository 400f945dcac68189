import { parseAddressHeader, type EmailAddress } from 'mailparser';
import type { RelayEnvelope } from './relay-queue';

/** Header block and body of a message as received (CRLF or bare LF line ends). */
function splitHead(raw: Buffer): { head: string; body: Buffer; eol: string } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf))
    return { head: raw.subarray(0, crlf).toString('latin1'), body: raw.subarray(crlf), eol: '\r\n' };
  if (lf >= 0) return { head: raw.subarray(0, lf).toString('latin1'), body: raw.subarray(lf), eol: '\n' };
  return { head: raw.toString('latin1'), body: Buffer.alloc(0), eol: '\r\n' };
}

/** Header fields with their folded continuation lines, in order. */
function fields(head: string): string[] {
  const out: string[] = [];
  for (const line of head.split(/\r?\n/)) {
    const last = out.length - 1;
    if (/^[ \t]/.test(line) && last >= 0) out[last] = `${out[last] ?? ''}\r\n${line}`;
    else if (line !== '') out.push(line);
  }
  return out;
}

const nameOf = (field: string): string => (/^([^:]+):/.exec(field)?.[1] ?? '').trim().toLowerCase();

/** A header field's value as text: the bytes were kept as latin1, an SMTPUTF8 header is UTF-8. */
const valueOf = (field: string): string => Buffer.from(field.slice(field.indexOf(':') + 1), 'latin1').toString('utf8');

/** The address list of a To/Cc field, parsed as mailparser does (quoted names, groups, encoded words). */
const parsedList = (field: string): EmailAddress[] => parseAddressHeader(valueOf(field), { decodePunycode: false }).value;

const mailboxesOf = (list: EmailAddress[]): string[] =>
  list.flatMap((a) => (a.group === undefined ? [a.address ?? ''] : a.group.map((g) => g.address ?? ''))).filter((a) => a !== '');

/** The addresses the To and Cc headers name (lower case). */
export function headerRecipients(raw: Buffer): Set<string> {
  const found = new Set<string>();
  for (const field of fields(splitHead(raw).head))
    if (RECIPIENT_FIELDS.has(nameOf(field))) for (const a of mailboxesOf(parsedList(field))) found.add(a.toLowerCase());
  return found;
}

export function headerValue(raw: Buffer, name: string): string | null {
  const field = fields(splitHead(raw).head).find((f) => nameOf(f) === name.toLowerCase());
  return field === undefined
    ? null
    : field
        .slice(field.indexOf(':') + 1)
        .replace(/\r\n[ \t]+/g, ' ')
        .trim();
}

const RECIPIENT_FIELDS = new Set(['to', 'cc']);
/** RFC 5322 atext and spaces: a display name of only these needs no quotes. */
const PLAIN_NAME = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/;
/** UTF-8 bytes per encoded word: base64 of 45 bytes is 60 characters, the word stays under RFC 2047's 75. */
const WORD_BYTES = 45;

/** A display name as header text: plain, quoted, or RFC 2047 encoded words when it is not ASCII. */
function displayName(name: string): string {
  if (PLAIN_NAME.test(name)) return name;
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/(["\\])/g, '\\$1')}"`;
  const words: string[] = [];
  let chunk = '';
  for (const ch of name) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk !== '') words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(' ');
}

const mailboxText = (a: EmailAddress): string =>
  a.name === '' ? (a.address ?? '') : `${displayName(a.name)} <${a.address ?? ''}>`;

/**
 * A To/Cc field with only the envelope's recipients (display names kept); null when none is left. A group keeps
 * its name with the kept members; an empty group (undisclosed-recipients:;) names nobody and stays.
 */
function keepOnly(field: string, envelope: Set<string>): { field: string | null; dropped: number } {
  const list = parsedList(field);
  const all = mailboxesOf(list);
  const dropped = all.filter((a) => !envelope.has(a.toLowerCase())).length;
  if (dropped === 0) return { field, dropped };
  const kept = (a: EmailAddress) => a.address !== undefined && a.address !== '' && envelope.has(a.address.toLowerCase());
  const parts: string[] = [];
  for (const a of list) {
    if (a.group === undefined) {
      if (kept(a)) parts.push(mailboxText(a));
    } else {
      const members = a.group.filter(kept);
      if (members.length > 0 || a.group.length === 0)
        parts.push(`${displayName(a.name)}: ${members.map(mailboxText).join(', ')};`);
    }
  }
  if (parts.every((p) => p.endsWith(':;') || p.endsWith(': ;'))) return { field: null, dropped };
  const name = field.slice(0, field.indexOf(':'));
  const line = `${name}: ${parts.join(', ')}`;
  // Folded after each address when long (RFC 5322's 78 characters); bytes as the rest of the head (latin1).
  const text = line.length <= 78 ? line : `${name}: ${parts.join(',\r\n ')}`;
  return { field: Buffer.from(text, 'utf8').toString('latin1'), dropped };
}

export interface PreparedMime {
  mime: Buffer;
  /** To/Cc addresses that were not envelope recipients and so were taken out (only the count is ever logged). */
  droppedHeaderRecipients: number;
}

/**
 * The MIME Graph gets. The envelope decides who gets the mail, as with an MTA: To/Cc keep only envelope recipients
 * (a header-only address would otherwise get it, and a client that splits one message into several transactions
 * would make each recipient get it once per transaction), the client's Bcc header goes, a Bcc header names every
 * envelope recipient not in To/Cc, and the relay's Message-ID is added when the client sent none.
 */
export function prepareMimeFor(
  raw: Buffer,
  envelope: Pick<RelayEnvelope, 'rcptTo' | 'messageId' | 'addedMessageId'>,
): PreparedMime {
  const { head, body, eol } = splitHead(raw);
  const rcpt = new Set(envelope.rcptTo.map((r) => r.toLowerCase()));
  const kept: string[] = [];
  const visible = new Set<string>();
  let dropped = 0;
  for (const f of fields(head)) {
    const name = nameOf(f);
    if (name === 'bcc') continue;
    if (!RECIPIENT_FIELDS.has(name)) {
      kept.push(f);
      continue;
    }
    const result = keepOnly(f, rcpt);
    dropped += result.dropped;
    if (result.field === null) continue;
    kept.push(result.field);
    for (const a of mailboxesOf(parsedList(result.field))) visible.add(a.toLowerCase());
  }
  const hidden = [...rcpt].filter((r) => !visible.has(r));
  const added: string[] = [];
  if (hidden.length > 0) added.push(Buffer.from(`Bcc: ${hidden.join(', ')}`, 'utf8').toString('latin1'));
  if (envelope.addedMessageId) added.push(`Message-ID: ${envelope.messageId}`);
  const newHead = [...kept, ...added].map((f) => f.replace(/\r\n/g, eol)).join(eol);
  return { mime: Buffer.concat([Buffer.from(newHead, 'latin1'), body]), droppedHeaderRecipients: dropped };
}

/** prepareMimeFor without the count (tests and callers that do not log). */
export const prepareMime = (raw: Buffer, envelope: Pick<RelayEnvelope, 'rcptTo' | 'messageId' | 'addedMessageId'>): Buffer =>
  prepareMimeFor(raw, envelope).mime;
