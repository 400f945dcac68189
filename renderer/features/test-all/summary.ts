import type { TestAllRow } from '../../../shared/ipc/contract';

/** Translates a key with params (react-i18next's t, or a test's). */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

export const SUMMARY_COLUMNS = ['profile', 'state', 'step', 'code', 'secretExpires', 'signInAge'] as const;
export type SummaryColumn = (typeof SUMMARY_COLUMNS)[number];

/** The summary as text cells, the same for the table, the clipboard and the CSV (no secret is in a row). */
export function summaryCells(row: TestAllRow, t: Translate): Record<SummaryColumn, string> {
  return {
    profile: row.name,
    state: t(`testAll.state.${row.state}`),
    step: row.failedStep ? t(`steps.label.${row.failedStep}`) : row.error ? t('testAll.notRun') : '',
    code: row.code ?? '',
    // ISO dates: Excel reads them as dates in German and English alike.
    secretExpires: row.secretExpiresOn ?? '',
    signInAge: row.signInAgeDays === null ? '' : String(row.signInAgeDays),
  };
}

export function headerCells(t: Translate): Record<SummaryColumn, string> {
  return Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c, t(`testAll.col.${c}`)])) as Record<SummaryColumn, string>;
}

const lines = (rows: readonly TestAllRow[], t: Translate): string[][] => [
  SUMMARY_COLUMNS.map((c) => headerCells(t)[c]),
  ...rows.map((r) => {
    const cells = summaryCells(r, t);
    return SUMMARY_COLUMNS.map((c) => cells[c]);
  }),
];

/** Tab-separated, for pasting into Excel or a ticket; tabs and line breaks inside a cell become spaces. */
export function toTsv(rows: readonly TestAllRow[], t: Translate): string {
  return lines(rows, t)
    .map((cells) => cells.map((c) => c.replace(/[\t\r\n]+/g, ' ')).join('\t'))
    .join('\n');
}

/**
 * Excel-friendly CSV: a UTF-8 BOM (so umlauts survive a double click), CRLF, RFC 4180 quoting, and the
 * separator Excel expects in that language: `;` in German (the comma is the decimal sign there), `,` in English.
 * A cell that Excel would run as a formula (= + - @) gets a leading apostrophe.
 */
export function toCsv(rows: readonly TestAllRow[], t: Translate, language: string): string {
  const sep = csvSeparator(language);
  const cell = (value: string): string => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[";,\r\n]/.test(safe) || safe.includes(sep) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\uFEFF${lines(rows, t)
    .map((cells) => cells.map(cell).join(sep))
    .join('\r\n')}\r\n`;
}

export const csvSeparator = (language: string): ';' | ',' => (language.startsWith('de') ? ';' : ',');

/** Reads a CSV written by toCsv back into cells (for tests and for checking a round trip). */
export function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
