import { Input } from '@fluentui/react-components';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { ExpiryDatePicker } from '../../lazy-parts';
import { formatDay, isoToDate } from './date-entry';
import type { ExpiryDateProps } from './ExpiryDatePicker';

/**
 * "Gültig bis": Fluent's date picker, whose calendar (some 80 kB) is no part of the first paint
 * (renderer.ready_ratio). Until its chunk is there (once per window, right after the first paint) the same field
 * stands read-only with the date in the admin's format, so the mask does not jump.
 */
export function ExpiryDateField(props: ExpiryDateProps): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const date = isoToDate(props.value);
  const waiting = (
    <Input
      className={props.className}
      name="secretExpiresOn"
      readOnly
      value={date ? formatDay(date, i18n.language) : ''}
      placeholder={t('date.placeholder')}
    />
  );
  return (
    <Suspense fallback={waiting}>
      <ExpiryDatePicker {...props} />
    </Suspense>
  );
}
