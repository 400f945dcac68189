// Days relative to today in the admin's language ("heute", "gestern", "vor 3 Tagen", "morgen", "in 3 Tagen"); no Node built-ins (browser code).

/** One formatter per language: building one is far dearer than a format() with it, and each list row formats twice (renderer.ready_ratio). */
const formats = new Map<string, Intl.RelativeTimeFormat>();

/** `days` < 0 lies in the past, > 0 in the future; Intl picks the words ("numeric: auto" says "today", not "in 0 days"). */
export function relativeDays(days: number, language: string): string {
  let format = formats.get(language);
  if (!format) formats.set(language, (format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' })));
  return format.format(days, 'day');
}

/**
 * Step params the core sends as whole day counts, named by direction, that the renderer turns into
 * words: `daysAgo` (3 → "vor 3 Tagen") and `inDays` (1 → "morgen"). Any other param is left alone.
 */
export function localizeDayParams(params: Record<string, string>, language: string): Record<string, string> {
  const out: Record<string, string> = { ...params };
  for (const [name, sign] of [
    ['daysAgo', -1],
    ['inDays', 1],
  ] as const) {
    const value = params[name];
    if (value !== undefined && /^\d+$/.test(value)) out[name] = relativeDays(sign * Number(value), language);
  }
  return out;
}
