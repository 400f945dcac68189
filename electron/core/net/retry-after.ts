/**
 * Retry-After as seconds (RFC 9110: delay-seconds, or an HTTP date); null when absent or unreadable. One reader
 * for the Graph client's wait and the diagnosis that names it, so both always agree.
 */
export function retryAfterSeconds(value: string | null | undefined, now: number = Date.now()): number | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}
