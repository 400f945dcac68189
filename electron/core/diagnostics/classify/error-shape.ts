// Small readers for error objects of any shape (fields, headers, timestamps, the cause chain).
import { retryAfterSeconds } from '../../net/retry-after';

export type Rec = Record<string, unknown>;
export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null;
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
export const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export function positiveInt(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function match(text: string, re: RegExp): string | undefined {
  const m = re.exec(text);
  return m?.[1];
}

/** Entra's own format: 'yyyy-MM-dd HH:mm:ssZ'. */
function formatUtc(date: Date): string | null {
  if (Number.isNaN(date.getTime())) return null;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function normaliseTimestamp(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const entra = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?Z?$/.exec(raw.trim());
  if (entra?.[1] !== undefined && entra[2] !== undefined) return `${entra[1]} ${entra[2]}Z`;
  return formatUtc(new Date(raw));
}

export function headerGetter(headers: unknown): (name: string) => string | undefined {
  if (isRec(headers) && typeof headers['get'] === 'function') {
    const get = headers['get'] as (n: string) => unknown;
    return (name) => str(get.call(headers, name));
  }
  if (isRec(headers)) {
    const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    return (name) => str(lower.get(name.toLowerCase()));
  }
  return () => undefined;
}

/** The wait as the diagnosis shows it: whole seconds, rounded up, from the same reader as the Graph client's. */
export function retryAfterText(raw: string | undefined, now: Date): string | undefined {
  const seconds = retryAfterSeconds(raw, now.getTime());
  return seconds === null ? undefined : String(Math.ceil(seconds));
}

export function oneLine(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' | ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function errorName(e: unknown): string {
  if (!isRec(e)) return typeof e;
  const name = str(e['name']);
  // GraphError and some others keep Error's name; their class name says more.
  const ctor = (Object.getPrototypeOf(e) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  if ((name === undefined || name === 'Error') && typeof ctor === 'string' && ctor !== '' && ctor !== 'Object') return ctor;
  if (name !== undefined) return name;
  if (typeof e['error'] === 'string') return 'OAuthError';
  if (isRec(e['error'])) return 'GraphError';
  return 'Object';
}

export function errorMessage(e: unknown): string {
  if (typeof e === 'string') return e;
  if (isRec(e)) return str(e['message']) ?? '';
  return String(e);
}

/** The error, its causes and AggregateError members, nearest first. */
export function chain(e: unknown): Rec[] {
  const out: Rec[] = [];
  const queue: unknown[] = [e];
  while (queue.length > 0 && out.length < 12) {
    const next = queue.shift();
    if (!isRec(next) || out.includes(next)) continue;
    out.push(next);
    if (next['cause'] !== undefined) queue.push(next['cause']);
    const errors = next['errors'];
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]).slice(0, 4));
  }
  return out;
}
