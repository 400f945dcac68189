import { describe, expect, it } from 'vitest';
import { calendarNames, dateToIso, formatDay, isoToDate, parseDay } from './date-entry';

describe('date entry', () => {
  it('reads and writes dd.MM.yyyy in German and MM/dd/yyyy in English', () => {
    const day = isoToDate('2028-05-24');
    expect(day).not.toBeNull();
    expect(formatDay(day as Date, 'de')).toBe('24.05.2028');
    expect(formatDay(day as Date, 'en')).toBe('05/24/2028');
    expect(dateToIso(parseDay('24.05.2028', 'de') as Date)).toBe('2028-05-24');
    expect(dateToIso(parseDay('5/24/2028', 'en') as Date)).toBe('2028-05-24');
    expect(dateToIso(parseDay('1.2.2027', 'de') as Date)).toBe('2027-02-01');
  });

  it('takes ISO in both languages and refuses days that do not exist or the other order', () => {
    expect(dateToIso(parseDay('2027-06-30', 'de') as Date)).toBe('2027-06-30');
    expect(dateToIso(parseDay('2027-06-30', 'en') as Date)).toBe('2027-06-30');
    expect(parseDay('31.02.2027', 'de')).toBeNull();
    expect(parseDay('24.05.2028', 'en')).toBeNull();
    expect(parseDay('05/24/2028', 'de')).toBeNull();
    expect(parseDay('morgen', 'de')).toBeNull();
  });

  it('names months and weekdays in the language, the week starting on Sunday', () => {
    const de = calendarNames('de');
    expect(de.months[2]).toBe('März');
    expect(de.days[0]).toBe('Sonntag');
    expect(de.shortDays[1]).toBe('Mo');
    expect(calendarNames('en').months[0]).toBe('January');
  });
});
