import { DatePicker, type DatePickerProps } from '@fluentui/react-datepicker-compat';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { calendarNames, dateToIso, formatDay, isoToDate, parseDay } from './date-entry';

/** The props of "Gültig bis", the same for the field and the date picker behind it. */
export interface ExpiryDateProps {
  value: string;
  onChange: (iso: string) => void;
  onInvalid: (invalid: boolean) => void;
  className?: string;
}

/**
 * "Gültig bis" as the admin writes dates: dd.MM.yyyy in German, MM/dd/yyyy in English, typed or picked. In a
 * chunk of its own with Fluent's calendar (ExpiryDateField shows the field until it is there).
 */
export function ExpiryDatePicker({ value, onChange, onInvalid, className }: ExpiryDateProps): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const strings = useMemo<NonNullable<DatePickerProps['strings']>>(
    () => ({
      ...calendarNames(language),
      goToToday: t('date.goToToday'),
      prevMonthAriaLabel: t('date.prevMonth'),
      nextMonthAriaLabel: t('date.nextMonth'),
      prevYearAriaLabel: t('date.prevYear'),
      nextYearAriaLabel: t('date.nextYear'),
      closeButtonAriaLabel: t('date.close'),
    }),
    [language, t],
  );
  return (
    <DatePicker
      className={className}
      name="secretExpiresOn"
      allowTextInput
      value={isoToDate(value)}
      strings={strings}
      // Monday in German, as a German calendar starts its week; Sunday in English.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- DayOfWeek's enum is in react-calendar-compat, no direct dependency; 1 = Monday
      firstDayOfWeek={language === 'de' ? 1 : 0}
      placeholder={t('date.placeholder')}
      formatDate={(date) => (date ? formatDay(date, language) : '')}
      parseDateFromString={(text) => parseDay(text, language)}
      onSelectDate={(date) => {
        onInvalid(false);
        onChange(date ? dateToIso(date) : '');
      }}
      onValidationResult={(data) => onInvalid(data.error === 'invalid-input')}
      autoComplete="off"
      spellCheck={false}
    />
  );
}
