import { describe, expect, it } from 'vitest';
import { headerRecipients, prepareMime } from './relay-mime';

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
