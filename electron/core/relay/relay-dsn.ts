import { randomBytes } from 'node:crypto';
import type { RelayEnvelope, RelayReply } from './relay-queue';

/** RFC 5322 date (Date.toUTCString is RFC 7231's IMF-fixdate, which is a valid RFC 5322 date). */
const mailDate = (date: Date): string => date.toUTCString().replace('GMT', '+0000');

/** The bounce's Message-ID: fixed per queued message, so a bounce journaled before a crash is found, not resent. */
export const dsnMessageId = (envelope: Pick<RelayEnvelope, 'id'>, from: string): string =>
  `<dsn-${envelope.id}@${/@([^@]+)$/.exec(from)?.[1] ?? 'absender.invalid'}>`;

/**
 * A delivery status notification (RFC 3464, multipart/report) for recipients the relay gave up on:
 * a human part in German and English, the machine-readable status per recipient, the original headers.
 */
export function buildDsn(input: {
  envelope: RelayEnvelope;
  from: string;
  to: string;
  reply: RelayReply;
  originalHeaders: string;
  now: Date;
}): Buffer {
  const { envelope, reply, now } = input;
  const domain = /@([^@]+)$/.exec(input.from)?.[1] ?? 'absender.invalid';
  const boundary = `absender-dsn-${randomBytes(8).toString('hex')}`;
  const status = reply.enhanced;
  const recipients = envelope.rcptTo.join(', ');
  const human = [
    'Diese Nachricht konnte nicht zugestellt werden. / This message could not be delivered.',
    '',
    `Empfänger / Recipients: ${recipients}`,
    `Grund / Reason: ${reply.code} ${reply.enhanced} ${reply.text}`,
    `Angenommen / Accepted: ${envelope.acceptedAt} (${envelope.id})`,
    '',
    'Absender-Relay (Microsoft Graph)',
  ].join('\r\n');
  const perRecipient = envelope.rcptTo
    .map((r) =>
      [
        `Final-Recipient: rfc822; ${r}`,
        'Action: failed',
        `Status: ${status}`,
        `Diagnostic-Code: smtp; ${reply.code} ${reply.enhanced} ${reply.text.replace(/[\r\n]+/g, ' ')}`,
        `Last-Attempt-Date: ${mailDate(now)}`,
      ].join('\r\n'),
    )
    .join('\r\n\r\n');
  const lines = [
    `From: Absender Relay <${input.from}>`,
    `To: <${input.to}>`,
    `Subject: Unzustellbar / Undeliverable: ${envelope.messageId}`,
    `Date: ${mailDate(now)}`,
    `Message-ID: ${dsnMessageId(envelope, input.from)}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    human,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${domain}`,
    `Original-Envelope-Id: ${envelope.id}`,
    `Arrival-Date: ${mailDate(new Date(envelope.acceptedAt))}`,
    '',
    perRecipient,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    input.originalHeaders.replace(/\r?\n/g, '\r\n'),
    '',
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

export function originalHeaders(raw: Buffer): string {
  const text = raw.subarray(0, 256 * 1024).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}
