import { z } from 'zod';

// Every error that crosses IPC is one of these codes; the renderer turns code + params into text
// in the admin's language (errors.<code> in the catalogues).
export const APP_ERROR_CODES = [
  'invalid-request',
  'not-found',
  'conflict',
  'storage-write-failed',
  'storage-corrupt',
  'encryption-unavailable',
  'secret-unreadable',
  'not-implemented',
  'sign-in-running',
  // A certificate import refused (nothing was stored), one code per reason so each has its own text.
  'certificate-wrong-password',
  'certificate-key-mismatch',
  'certificate-expired',
  'certificate-not-yet-valid',
  'certificate-key-too-small',
  'certificate-not-rsa',
  'certificate-unreadable',
  // An import file refused before anything was written; params.reason names why (its own text each).
  'import-invalid',
  // The SMTP relay: its port is taken (often a headless `Absender relay`), another process runs it, or its setup is refused.
  'relay-address-in-use',
  'relay-locked',
  'relay-allowlist-required',
  'relay-not-available',
  'internal',
] as const;
export const AppErrorCode = z.enum(APP_ERROR_CODES);
export type AppErrorCode = z.infer<typeof AppErrorCode>;

export const AppErrorDto = z
  .object({
    code: AppErrorCode,
    /** Plain values for the message template; already redacted. */
    params: z.record(z.string(), z.string()).default({}),
    /** Field paths → i18n keys, for validation errors shown at the field. */
    fields: z.record(z.string(), z.string()).optional(),
    /** Technical detail for "copy details"; already redacted. */
    detail: z.string().max(4000).optional(),
  })
  .strict();
export type AppErrorDto = z.infer<typeof AppErrorDto>;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly params: Record<string, string>;
  readonly fields: Record<string, string> | undefined;

  constructor(
    code: AppErrorCode,
    options: { params?: Record<string, string>; fields?: Record<string, string>; cause?: unknown; message?: string } = {},
  ) {
    super(options.message ?? code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.params = options.params ?? {};
    this.fields = options.fields;
  }
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppErrorDto };
