/**
 * The calendar days this service takes as input. PostgreSQL would store far more (and refuses year 0
 * with an error), but no birth date, consent, agreement or referral of a client file lies outside.
 */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2100-12-31';

/** `format`: not `YYYY-MM-DD` or not a day that exists (2026-02-30); `range`: before 1900 or after 2100. */
export type DateProblem = 'format' | 'range';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** RFC 3339 date-time (seconds and fraction optional), with `Z` or a numeric offset. */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** A strict calendar date: exactly `YYYY-MM-DD`, a day that exists, within 1900-01-01..2100-12-31. */
export function checkCalendarDate(value: unknown): DateProblem | undefined {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) return 'format';
  const [year, month, day] = match.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'format';
  return (value as string) < EARLIEST_DATE || (value as string) > LATEST_DATE ? 'range' : undefined;
}

/** A calendar date as above, or an RFC 3339 date-time on such a day (`2026-11-01T08:00:00Z`, `...+01:00`). */
export function checkDateOrDateTime(value: unknown): DateProblem | undefined {
  if (typeof value !== 'string') return 'format';
  const match = DATE_TIME.exec(value);
  if (!match) return checkCalendarDate(value);
  const [, date, hours, minutes, seconds = '00', , offsetHours = '00', offsetMinutes = '00'] = match;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59 || Number(offsetHours) > 14 || Number(offsetMinutes) > 59) return 'format';
  return checkCalendarDate(date);
}

/** `Date.toISOString()` output (what keyset cursors carry) on a day within the accepted range. */
export function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value && checkCalendarDate(value.slice(0, 10)) === undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A calendar day `months` later (a day that does not exist in that month becomes the month's last). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const last = new Date(Date.UTC(Math.floor(total / 12), (total % 12) + 1, 0)).getUTCDate();
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
