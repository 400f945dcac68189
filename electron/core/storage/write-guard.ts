import { AppError } from '../../../shared/errors';

const REASONS: Record<string, string> = {
  ENOSPC: 'disk-full',
  EACCES: 'access-denied',
  EPERM: 'access-denied',
  EBUSY: 'file-busy',
  EROFS: 'read-only',
};

/** The reason the UI names for a file-system error code (`storageReason.*` in the renderer). */
export function writeFailureReason(code: string): string {
  return REASONS[code] ?? 'unknown';
}

/** Turns file-system failures into one typed error; the store library writes atomically, so the old file stays intact. */
export function guardedWrite(write: () => void): void {
  try {
    write();
  } catch (cause) {
    // Already typed by an inner guard (nested writes): its reason is the precise one.
    if (cause instanceof AppError && cause.code === 'storage-write-failed') throw cause;
    const code = (cause as { code?: unknown }).code;
    const reason = typeof code === 'string' ? (REASONS[code] ?? 'unknown') : 'unknown';
    throw new AppError('storage-write-failed', { params: { reason }, cause });
  }
}
