import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_IDS } from '../../../shared/diagnostics/catalogue';
import { decodeBody, exitCodeFor, SEND_EXIT } from './send-command';

describe('exitCodeFor', () => {
  it.each([
    ['graph-throttled', SEND_EXIT.tempFail],
    ['graph-unavailable', SEND_EXIT.tempFail],
    ['net-timeout', SEND_EXIT.tempFail],
    ['net-dns', SEND_EXIT.unavailable],
    ['net-tls-untrusted', SEND_EXIT.unavailable],
    ['graph-access-denied', SEND_EXIT.noPerm],
    ['aad-consent-missing', SEND_EXIT.noPerm],
    ['aad-secret-invalid', SEND_EXIT.config],
    ['aad-secret-expired', SEND_EXIT.config],
    ['aad-secret-missing', SEND_EXIT.config],
    ['msal-no-account', SEND_EXIT.config],
    ['graph-bad-message', SEND_EXIT.dataErr],
    ['graph-request-too-large', SEND_EXIT.dataErr],
  ] as const)('%s → %i', (id, code) => {
    expect(exitCodeFor({ id })).toBe(code);
  });

  it('every diagnosis maps to one of the documented codes, never 0', () => {
    const documented = new Set<number>([65, 69, 75, 77, 78]);
    for (const id of DIAGNOSTIC_IDS) expect(documented.has(exitCodeFor({ id })), id).toBe(true);
  });
});

describe('decodeBody', () => {
  const latin1 = Buffer.from('Gr\xfc\xdfe', 'latin1');
  it('takes --charset strictly, else a byte order mark, else an HTML meta charset, else strict UTF-8', () => {
    expect(decodeBody(latin1, 'latin1', false)).toBe('Grüße');
    expect(decodeBody(Buffer.from('\ufeffGrüße', 'utf8'), undefined, false)).toBe('Grüße');
    expect(decodeBody(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Grüße', 'utf16le')]), undefined, false)).toBe(
      'Grüße',
    );
    const be = Buffer.from('Grüße', 'utf16le').swap16();
    expect(decodeBody(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), undefined, false)).toBe('Grüße');
    const html = Buffer.from("<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-15'>\xa4", 'latin1');
    expect(decodeBody(html, undefined, true)).toContain('€');
    // The meta tag counts only for HTML; plain text in Latin-1 is refused, never sent garbled.
    expect(() => decodeBody(html, undefined, false)).toThrow();
    expect(() => decodeBody(latin1, undefined, false)).toThrow();
    expect(() => decodeBody(Buffer.from('<meta charset="klingon">\xfc', 'latin1'), undefined, true)).toThrow();
  });
});
