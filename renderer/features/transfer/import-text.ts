import type { TFunction } from 'i18next';
import type { AppErrorDto } from '../../../shared/errors';
import { IMPORT_MAX_BYTES } from '../../../shared/transfer/profile-transfer';
import { ApiError } from '../../api';
import { errorText } from '../../i18n/error-text';
import { downloadBlob } from '../../components/download';

/** The refusal in the admin's language: the import's own reason when the core named one, else the generic text. */
export function importErrorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('transfer.failed');
  const dto: AppErrorDto = error.dto;
  if (dto.code === 'import-invalid' && dto.params['problem'] !== undefined)
    return t(`transfer.refusal.${dto.params['problem']}`, {
      ...dto.params,
      max: IMPORT_MAX_BYTES / (1024 * 1024),
    });
  return errorText(t, dto);
}

/** Reads a chosen file as text; one larger than the import limit is refused before it is read. */
export async function readImportFile(file: File): Promise<{ ok: true; text: string } | { ok: false; tooLarge: true }> {
  if (file.size > IMPORT_MAX_BYTES) return { ok: false, tooLarge: true };
  return { ok: true, text: await file.text() };
}

/** Saves text as a file through the page's own download (as the test-all CSV does). */
export function downloadJson(name: string, text: string): void {
  downloadBlob(name, new Blob([text], { type: 'application/json;charset=utf-8' }));
}
