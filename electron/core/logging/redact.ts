import { homedir } from 'node:os';

// One redact() for log lines, errors crossing IPC and "copy details" (SH-3).

// Names of fields whose value is a credential, compared without case, "_" or "-" (client_secret,
// clientSecret and Client-Secret are one name). Error codes and status codes are not among them.
const SECRET_KEYS = new Set(
  [
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'client_secret',
    'secret',
    'refresh_token',
    'access_token',
    'id_token',
    'password',
    'passwd',
    'code_verifier',
    'assertion',
    'client_assertion',
    'private_key',
    'relay_password',
  ].map((k) => normalizeKey(k)),
);
function normalizeKey(key: string): string {
  return key.replace(/[_-]/g, '').toLowerCase();
}
export const isSecretKey = (key: string): boolean => SECRET_KEYS.has(normalizeKey(key));

const KEY_NAMES =
  'client[_-]?secret|refresh[_-]?token|access[_-]?token|id[_-]?token|code[_-]?verifier|client[_-]?assertion|assertion|private[_-]?key|password|passwd|secret';
const PATTERNS: Array<[RegExp, string]> = [
  [/((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(bearer|basic|negotiate|ntlm)\s+[^\s"',}]+/gi, '$1$2 [redacted]'],
  [/\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer [redacted]'],
  [/((?:set-)?cookie["']?\s*[:=]\s*["']?)[^\r\n"]+/gi, '$1[redacted]'],
  // JWT-shaped: three base64url segments, the first starting like a JSON header.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  // key=value and "key": "value" for credential names, never inside a longer name (errorCode, statusCode stay).
  [new RegExp(`((?<![A-Za-z0-9])(?:${KEY_NAMES})["']?\\s*[=:]\\s*["']?)[^&\\s"',}]+`, 'gi'), '$1[redacted]'],
  // The authorization code and state travel as URL or form parameters only; "Code: AADSTS…" and a Graph error's
  // "code" stay readable for support.
  [/((?:^|[?&#\s])(?:code|state|session_state)=)[^&\s"'#]+/gi, '$1[redacted]'],
  [/(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)/g, '$1[redacted]$2'],
];

/**
 * The plaintext secrets the core holds right now (a decrypted client secret during its token request, a
 * relay password while it is checked): their bare values are cut from every text, wherever they appear.
 */
const held = new Map<string, number>();
export function holdSecret(value: string): () => void {
  if (value.length < 4) return () => undefined;
  held.set(value, (held.get(value) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (held.get(value) ?? 1) - 1;
    if (n <= 0) held.delete(value);
    else held.set(value, n);
  };
}

export function redactText(input: string, knownSecrets: Iterable<string> = []): string {
  let out = input;
  for (const secret of [...knownSecrets, ...held.keys()]) {
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
  // Bytes are never spelled out: a ciphertext or a key as a list of numbers is still the secret.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactText(value.message, knownSecrets) };
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? '[redacted]' : redact(v, knownSecrets, depth + 1);
    if (value.cause !== undefined) out['cause'] = redact(value.cause, knownSecrets, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, knownSecrets, depth + 1));
  if (value instanceof Map) return redact(Object.fromEntries(value), knownSecrets, depth + 1);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) ? '[redacted]' : redact(v, knownSecrets, depth + 1);
  }
  return out;
}
