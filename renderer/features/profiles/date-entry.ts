/** The stored form is ISO (yyyy-MM-dd); the admin reads and types dd.MM.yyyy (de) or MM/dd/yyyy (en). */
const pad = (n: number): string => String(n).padStart(2, '0');

/** A local-midnight Date for an ISO day, or null when the text is no real day. */
export function isoToDate(iso: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? realDay(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

export function dateToIso(date: Date): string {
  return `${String(date.getFullYear())}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function formatDay(date: Date, language: string): string {
  const [d, m, y] = [pad(date.getDate()), pad(date.getMonth() + 1), String(date.getFullYear())];
  return language === 'de' ? `${d}.${m}.${y}` : `${m}/${d}/${y}`;
}

/** Typed entry: the language's own order, and ISO as pasted from a script, in both languages. */
export function parseDay(text: string, language: string): Date | null {
  const s = text.trim();
  const iso = isoToDate(s);
  if (iso) return iso;
  const de = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (de && language === 'de') return realDay(Number(de[3]), Number(de[2]), Number(de[1]));
  const en = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (en && language !== 'de') return realDay(Number(en[3]), Number(en[1]), Number(en[2]));
  return null;
}

function realDay(year: number, month: number, day: number): Date | null {
  const date = new Date(year, month - 1, day);
  // 31.02. rolls over into March: such a day does not exist.
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : null;
}

/** Month and weekday names in the admin's language, from the platform rather than a hand-written list. */
export function calendarNames(language: string): {
  months: string[];
  shortMonths: string[];
  days: string[];
  shortDays: string[];
} {
  const month = (style: 'long' | 'short') =>
    Array.from({ length: 12 }, (_, i) => new Intl.DateTimeFormat(language, { month: style }).format(new Date(2024, i, 1)));
  // 7 January 2024 was a Sunday: the calendar's day lists start on Sunday.
  const day = (style: 'long' | 'short') =>
    Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(language, { weekday: style }).format(new Date(2024, 0, 7 + i)));
  return {
    months: month('long'),
    shortMonths: month('short'),
    days: day('long'),
    shortDays: day('short').map((d) => d.slice(0, 2)),
  };
}
