import type { TFunction } from 'i18next';
import type { AppErrorDto } from '../../shared/errors';

/** An error from the core in the admin's language; the core names a storage cause by a code, translated here too. */
export function errorText(t: TFunction, error: AppErrorDto): string {
  return t(`errors.${error.code}`, {
    ...error.params,
    ...(error.params['reason'] !== undefined ? { reason: t(`storageReason.${error.params['reason']}`) } : {}),
  });
}
