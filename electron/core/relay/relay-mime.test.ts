import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { headerRecipients, prepareMime, prepareMimeFor } from './relay-mime';

const raw = Buffer.from(
  'From: bestellung@contoso.com\r\nTo: "Kunde, A" <kunde@example.com>,\r\n lager@example.com\r\nBcc: alt@example.com\r\nSubject: x\r\n\r\nBcc: im-text@example.com\r\n',
);

describe('MIME for Graph', () => {
  it('reads To and Cc addresses, folded lines and display names with commas included', () => {
    expect([...headerRecipients(raw)].sort()).toEqual(['kunde@example.com', 'lager@example.com']);
  });

  it('drops the client Bcc, adds envelope recipients not in To/Cc as Bcc, and a Message-ID only when missing', () => {
    const out = prepareMime(raw, {
      rcptTo: ['kunde@example.com', 'Archiv@example.com'],
      messageId: '<relay-1@contoso.com>',
      addedMessageId: true,
    }).toString();
    const [head, body] = out.split('\r\n\r\n');
    expect(head).not.toMatch(/alt@example\.com/);
    expect(head).toMatch(/\r\nBcc: archiv@example\.com\r\n/);
    expect(head).toMatch(/\r\nMessage-ID: <relay-1@contoso\.com>$/);
    expect(body).toBe('Bcc: im-text@example.com\r\n');
    const kept = prepareMime(raw, { rcptTo: ['kunde@example.com'], messageId: '<a@b>', addedMessageId: false }).toString();
    expect(kept.split('\r\n\r\n')[0]).not.toMatch(/^(Bcc|Message-ID):/im);
  });
});

describe('the envelope decides who gets the mail', () => {
  const headOf = (mime: Buffer) => mime.toString('utf8').split('\r\n\r\n')[0] ?? '';
  const prepared = (headers: string, rcptTo: string[]) =>
    prepareMimeFor(Buffer.from(`${headers.replace(/\r?\n/g, '\r\n')}\r\n\r\nText\r\n`, 'utf8'), {
      rcptTo,
      messageId: '<m@contoso.com>',
      addedMessageId: false,
    });
  const parsed = async (mime: Buffer) => {
    const mail = await simpleParser(mime);
    const list = (f: typeof mail.to) => (f === undefined ? [] : Array.isArray(f) ? f : [f]).flatMap((a) => a.value);
    return { to: list(mail.to), cc: list(mail.cc), bcc: list(mail.bcc) };
  };

  it('keeps only envelope recipients in To, with their display names (quoted commas too), and counts the rest', async () => {
    const out = prepared('From: bestellung@contoso.com\nTo: "Kunde, A" <kunde@example.com>, lager@example.com\nSubject: x', [
      'kunde@example.com',
    ]);
    expect(out.droppedHeaderRecipients).toBe(1);
    expect(headOf(out.mime)).toMatch(/\r\nTo: "Kunde, A" <kunde@example\.com>\r\n/);
    expect(headOf(out.mime)).not.toMatch(/lager@example\.com/);
    expect(await parsed(out.mime)).toMatchObject({ to: [{ address: 'kunde@example.com', name: 'Kunde, A' }], bcc: [] });
  });

  it('leaves the header as received when every header address is an envelope recipient', () => {
    const headers = 'From: bestellung@contoso.com\nTo: "Kunde, A" <Kunde@Example.com>,\n lager@example.com\nSubject: x';
    const out = prepared(headers, ['kunde@example.com', 'lager@example.com']);
    expect(out.droppedHeaderRecipients).toBe(0);
    expect(headOf(out.mime)).toBe(headers.replace(/\n/g, '\r\n'));
  });

  it('keeps encoded-word names decodable, and an envelope recipient dropped from Cc is not also made Bcc twice', async () => {
    const out = prepared(
      'From: bestellung@contoso.com\nTo: =?utf-8?Q?M=C3=BCller_=26_S=C3=B6hne?= <mueller@example.com>, x@example.com\nCc: =?utf-8?B?WsO8cmljaA==?= <zuerich@example.com>\nSubject: x',
      ['mueller@example.com', 'archiv@example.com'],
    );
    expect(out.droppedHeaderRecipients).toBe(2);
    const head = headOf(out.mime);
    expect(head).not.toMatch(/^Cc:/im);
    expect(head).not.toMatch(/x@example\.com|zuerich/);
    expect(await parsed(out.mime)).toMatchObject({
      to: [{ address: 'mueller@example.com', name: 'Müller & Söhne' }],
      cc: [],
      bcc: [{ address: 'archiv@example.com' }],
    });
    // Only ASCII in the rewritten field: the name went as RFC 2047 encoded words.
    expect(/^To: .*$/m.exec(head)?.[0]).toMatch(/^[\x20-\x7e]+$/);
  });

  it('groups: an empty undisclosed-recipients group stays, a named group keeps only envelope members', async () => {
    const out = prepared(
      'From: bestellung@contoso.com\nTo: undisclosed-recipients:;\nCc: Einkauf: a@example.com, "B" <b@example.com>;, c@example.com\nSubject: x',
      ['b@example.com', 'd@example.com'],
    );
    const head = headOf(out.mime);
    expect(out.droppedHeaderRecipients).toBe(2);
    expect(head).toMatch(/\r\nTo: undisclosed-recipients:;\r\n/);
    expect(head).toMatch(/\r\nCc: Einkauf: B <b@example\.com>;\r\n/);
    expect(head).toMatch(/\r\nBcc: d@example\.com$/);
    const people = await parsed(out.mime);
    expect(people.cc.flatMap((g) => g.group ?? [g]).map((a) => a.address)).toEqual(['b@example.com']);
  });

  it('an address only named inside an encoded word is no recipient: the header cannot smuggle one in', () => {
    const out = prepared('From: bestellung@contoso.com\nTo: =?utf-8?Q?boss@example.com?= <kunde@example.com>\nSubject: x', [
      'kunde@example.com',
    ]);
    expect(out.droppedHeaderRecipients).toBe(0);
    expect([...headerRecipients(out.mime)]).toEqual(['kunde@example.com']);
  });

  it('a long list is folded after each address, a To that loses every address is left out', () => {
    const many = Array.from({ length: 6 }, (_, i) => `"Filiale ${i}" <filiale-${i}@example.com>`).join(', ');
    const out = prepared(`From: bestellung@contoso.com\nTo: ${many}, weg@example.com\nCc: auch-weg@example.com\nSubject: x`, [
      'filiale-0@example.com',
      'filiale-1@example.com',
      'filiale-2@example.com',
      'filiale-3@example.com',
      'filiale-4@example.com',
      'filiale-5@example.com',
    ]);
    const head = headOf(out.mime);
    expect(head).toMatch(/\r\nTo: Filiale 0 <filiale-0@example\.com>,\r\n Filiale 1 </);
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    expect(head).not.toMatch(/^Cc:/im);
    expect(out.droppedHeaderRecipients).toBe(2);
  });
});
