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
const ADDRESS = /[^\s<>,;:"()[\]\\]+@[^\s<>,;:"()[\]\\]+/g;

/** The addresses the To and Cc headers name (lower case). */
export function headerRecipients(raw: Buffer): Set<string> {
  const found = new Set<string>();
  for (const field of fields(splitHead(raw).head))
    if (['to', 'cc'].includes(nameOf(field)))
      for (const m of field.slice(field.indexOf(':') + 1).matchAll(ADDRESS)) found.add(m[0].toLowerCase());
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

/**
 * The MIME Graph gets: the client's Bcc header dropped (the envelope decides who gets the mail), a Bcc header for
 * every envelope recipient not in To/Cc, and the relay's Message-ID when the client sent none.
 */
export function prepareMime(raw: Buffer, envelope: Pick<RelayEnvelope, 'rcptTo' | 'messageId' | 'addedMessageId'>): Buffer {
  const { head, body, eol } = splitHead(raw);
  const kept = fields(head).filter((f) => nameOf(f) !== 'bcc');
  const visible = headerRecipients(raw);
  const hidden = [...new Set(envelope.rcptTo.map((r) => r.toLowerCase()))].filter((r) => !visible.has(r));
  const added: string[] = [];
  if (hidden.length > 0) added.push(`Bcc: ${hidden.join(', ')}`);
  if (envelope.addedMessageId) added.push(`Message-ID: ${envelope.messageId}`);
  const newHead = [...kept, ...added].map((f) => f.replace(/\r\n/g, eol)).join(eol);
  return Buffer.concat([Buffer.from(newHead, 'latin1'), body]);
}
