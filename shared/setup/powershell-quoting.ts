// PowerShell treats the typographic quotes as quotes too: a name pasted from Word must not end a string early.

/** Single-quote family in PowerShell: ' ‘ ’ ‚ ‛ (each is doubled inside a single-quoted string). */
const SINGLE_QUOTES_RE = /['\u2018\u2019\u201a\u201b]/g;
/** Double-quote family in PowerShell: " “ ” „ (each is escaped with a backtick inside a double-quoted string). */
const DOUBLE_QUOTES_RE = /["\u201c\u201d\u201e]/g;

/** A verbatim PowerShell string: nothing inside is expanded, a quote is doubled. */
export function psSingleQuoted(value: string): string {
  return `'${value.replace(SINGLE_QUOTES_RE, (q) => q + q)}'`;
}

/** An expanding PowerShell string whose content stays literal: backtick, `$` and double quotes are escaped. */
export function psDoubleQuoted(value: string): string {
  const escaped = value
    .replace(/`/g, '``')
    .replace(/\$/g, '`$')
    .replace(DOUBLE_QUOTES_RE, (q) => `\`${q}`);
  return `"${escaped}"`;
}

/** A text value inside an OPATH filter: single-quoted, an apostrophe doubled (OPATH's own escaping). */
export function opathString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * `"PrimarySmtpAddress -eq '…'"` as one PowerShell argument: OPATH escaping inside, PowerShell's
 * double-quoted escaping around it (the filter reaches Exchange exactly as written).
 */
export function recipientFilterArgument(address: string): string {
  return psDoubleQuoted(`PrimarySmtpAddress -eq ${opathString(address)}`);
}
