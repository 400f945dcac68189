import { describe, expect, it } from 'vitest';
import { opathString, psDoubleQuoted, psSingleQuoted, recipientFilterArgument } from './powershell-quoting';

describe('PowerShell quoting', () => {
  it('doubles every single quote PowerShell knows inside a verbatim string', () => {
    expect(psSingleQuoted("o'brien@contoso.com")).toBe("'o''brien@contoso.com'");
    expect(psSingleQuoted('O\u2019Neil')).toBe("'O\u2019\u2019Neil'");
    expect(psSingleQuoted('\u2018a\u201ab\u201b')).toBe("'\u2018\u2018a\u201a\u201ab\u201b\u201b'");
  });

  it('leaves $ and backtick alone in a verbatim string (nothing expands there)', () => {
    expect(psSingleQuoted('Kasse $env:USERNAME `n')).toBe("'Kasse $env:USERNAME `n'");
  });

  it('escapes backtick, $ and double quotes in an expanding string, the backtick first', () => {
    expect(psDoubleQuoted('a`b')).toBe('"a``b"');
    expect(psDoubleQuoted('$x $(Remove-Item)')).toBe('"`$x `$(Remove-Item)"');
    expect(psDoubleQuoted('say "hi" \u201cyo\u201d \u201e')).toBe('"say `"hi`" `\u201cyo`\u201d `\u201e"');
    expect(psDoubleQuoted('`$')).toBe('"```$"');
  });

  it('doubles an apostrophe in an OPATH value and nothing else', () => {
    expect(opathString("o'brien")).toBe("'o''brien'");
    expect(opathString('a$b`c')).toBe("'a$b`c'");
  });

  it('builds the recipient filter with both escapings in the right order', () => {
    expect(recipientFilterArgument('einkauf@contoso.com')).toBe(`"PrimarySmtpAddress -eq 'einkauf@contoso.com'"`);
    expect(recipientFilterArgument("o'brien@contoso.com")).toBe(`"PrimarySmtpAddress -eq 'o''brien@contoso.com'"`);
    expect(recipientFilterArgument('$kasse`1@contoso.com')).toBe('"PrimarySmtpAddress -eq \'`$kasse``1@contoso.com\'"');
  });
});
