import { homedir } from 'node:os';

// One redact() for log lines, errors crossing IPC and "copy details" (SH-3).
const PATTERNS: Array<[RegExp, string]> = [
  [/(authorization["']?\s*[:=]\s*["']?)(bearer|basic)\s+[^\s"',}]+/gi, '$1$2 [redacted]'],
  [/\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer [redacted]'],
  // JWT-shaped: three base64url segments, the first starting like a JSON header.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  [
    /((?:client_secret|refresh_token|access_token|id_token|code_verifier|password|passwd|code|state|assertion)["']?\s*[=:]\s*["']?)[^&\s"',}]+/gi,
    '$1[redacted]',
  ],
];

export function redactText(input: string, knownSecrets: Iterable<string> = []): string {
  let out = input;
  for (const secret of knownSecrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted-secret]');
  }
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  const home = homedir();
  if (home.length > 1) out = out.split(home).join('~');
  return out;
}

/** Walks objects, arrays and Error.cause chains; returns a plain, redacted copy. */
export function redact(value: unknown, knownSecrets: readonly string[] = [], depth = 0): unknown {
  if (depth > 8) return '[truncated]';
  if (typeof value === 'string') return redactText(value, knownSecrets);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactText(value.message, knownSecrets) };
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, knownSecrets, depth + 1);
    if (value.cause !== undefined) out['cause'] = redact(value.cause, knownSecrets, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, knownSecrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = /^(authorization|client_secret|clientSecret|refresh_token|access_token|password)$/i.test(k)
      ? '[redacted]'
      : redact(v, knownSecrets, depth + 1);
  }
  return out;
}
