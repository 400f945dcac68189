// The zod-free part of domain.ts: constants and checks the renderer's first paint needs (list badges, the
// language menu, the paste guard). Importing them must not build the schemas: zod and domain.ts load after the
// first paint (renderer.ready_ratio). domain.ts re-exports all of it, so the core keeps one import path.

/** client-certificate: app-only like client-secret, with a certificate (private key in the vault) instead of a secret. */
export const ACCOUNT_TYPES = ['client-secret', 'modern-auth', 'client-certificate'] as const;
type AccountTypeName = (typeof ACCOUNT_TYPES)[number];

/**
 * How a Modern Authentication profile signs in: Microsoft's page in the app's popup (the manual's way,
 * the default) or in the system browser with a loopback redirect (RFC 8252), for Conditional Access that
 * requires a compliant device and for passkeys.
 */
export const SIGN_IN_METHODS = ['popup', 'system-browser'] as const;

export const LANGUAGES = ['de', 'en'] as const;

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isGuid = (v: string): boolean => GUID_RE.test(v);

/**
 * NUL, C0/C1 controls (CR/LF included) and bidi overrides: nothing an address, ID or name needs, and the
 * raw material of header injection and of names that display differently from what they are.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS_RE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
export const hasControlChars = (v: string): boolean => CONTROL_CHARS_RE.test(v);

/** App-only types: no interactive sign-in, the app's own credential (secret or certificate) from the vault. */
export const isAppOnlyType = (type: AccountTypeName): boolean => type === 'client-secret' || type === 'client-certificate';

/** A value from outside (a dropdown's event) as an account type, else client-secret. */
export const toAccountType = (value: string | undefined): AccountTypeName =>
  ACCOUNT_TYPES.find((t) => t === value) ?? 'client-secret';
