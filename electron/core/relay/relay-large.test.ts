import { describe, expect, it } from 'vitest';
import { madeSince, MARKER_CLOCK_SKEW_MS, markerFilter, parseLarge } from './relay-large';
import { prepareMime } from './relay-mime';

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

describe('parseLarge', () => {
  it('takes a prepared MIME apart: recipients incl. envelope Bcc, HTML body, attachments out, the Message-ID as marker', async () => {
    const pdf = Buffer.from('%PDF-1.7 Bestellung 4711 '.repeat(50));
    const raw = Buffer.from(
      crlf(`From: Bestellung <bestellung@contoso.com>
To: Kunde <kunde@example.com>
Cc: lager@example.com
Bcc: vom-erp@example.com
Subject: =?utf-8?Q?Gr=C3=B6=C3=9Fere_Bestellung?=
Message-ID: <4711@erp.contoso.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/html; charset=utf-8

<p>Anbei</p>
--b
Content-Type: application/pdf; name="bestellung.pdf"
Content-Disposition: attachment; filename="bestellung.pdf"
Content-Transfer-Encoding: base64

${pdf.toString('base64')}
--b--
`),
    );
    const mime = prepareMime(raw, {
      rcptTo: ['kunde@example.com', 'lager@example.com', 'archiv@example.com'],
      messageId: '<4711@erp.contoso.com>',
      addedMessageId: false,
    });
    const large = await parseLarge(mime, '<4711@erp.contoso.com>', 'bestellung@contoso.com');
    expect(large.draft).toMatchObject({
      subject: 'Größere Bestellung',
      body: { contentType: 'HTML' },
      toRecipients: [{ emailAddress: { address: 'kunde@example.com', name: 'Kunde' } }],
      ccRecipients: [{ emailAddress: { address: 'lager@example.com' } }],
      // The envelope decides: the ERP's Bcc header is gone, the envelope-only recipient is Bcc.
      bccRecipients: [{ emailAddress: { address: 'archiv@example.com' } }],
      internetMessageId: '<4711@erp.contoso.com>',
    });
    expect((large.draft['body'] as { content: string }).content).toContain('<p>Anbei</p>');
    // The mailbox itself is not named as from (only an alias would be).
    expect(large.draft).not.toHaveProperty('from');
    expect(large.attachments).toHaveLength(1);
    expect(large.attachments[0]).toMatchObject({ name: 'bestellung.pdf', contentType: 'application/pdf' });
    expect(large.attachments[0]?.bytes.equals(pdf)).toBe(true);
    expect(large.attachmentBytes).toBe(pdf.length);
  });

  it('names an alias sender as from', async () => {
    const raw = Buffer.from(crlf('From: einkauf@contoso.com\nTo: kunde@example.com\nSubject: x\n\ntext\n'));
    const large = await parseLarge(raw, '<m@contoso.com>', 'bestellung@contoso.com');
    expect(large.draft['from']).toEqual({ emailAddress: { address: 'einkauf@contoso.com' } });
    expect(large.draft['body']).toEqual({ contentType: 'Text', content: 'text\n' });
  });

  it('with the envelope given, the draft names only envelope recipients (group members too), whatever the headers say', async () => {
    const raw = Buffer.from(
      crlf(
        'From: bestellung@contoso.com\nTo: Kunde <kunde@example.com>, nur-kopf@example.com\nCc: Lager: lager@example.com, fremd@example.com;\nBcc: archiv@example.com\nSubject: x\n\ntext\n',
      ),
    );
    const large = await parseLarge(raw, '<m@contoso.com>', 'bestellung@contoso.com', [
      'Kunde@example.com',
      'lager@example.com',
      'archiv@example.com',
    ]);
    expect(large.draft).toMatchObject({
      toRecipients: [{ emailAddress: { address: 'kunde@example.com', name: 'Kunde' } }],
      ccRecipients: [{ emailAddress: { address: 'lager@example.com' } }],
      bccRecipients: [{ emailAddress: { address: 'archiv@example.com' } }],
    });
    expect(JSON.stringify(large.draft)).not.toMatch(/nur-kopf|fremd/);
  });
});

describe('the marker lookup bound', () => {
  const since = Date.parse('2026-12-02T10:00:00.500Z');

  it('asks for the Message-ID (quotes doubled) made since the marker less the clock skew, in OData DateTimeOffset', () => {
    expect(markerFilter("<o'brien-1@erp.example>", since)).toBe(
      "internetMessageId eq '<o''brien-1@erp.example>' and createdDateTime ge 2026-12-02T09:58:00Z",
    );
  });

  it('counts an item made within the skew before the marker, never an older one or one without a time', () => {
    expect(madeSince('2026-12-02T09:58:01Z', since)).toBe(true);
    expect(madeSince(new Date(since - MARKER_CLOCK_SKEW_MS - 1_000).toISOString(), since)).toBe(false);
    expect(madeSince(null, since)).toBe(false);
    expect(madeSince('kein Datum', since)).toBe(false);
  });
});
