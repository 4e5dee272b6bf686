import { addMonths, checkCalendarDate } from './dates.js';

describe('calendar days', () => {
  it('adds months, ending on the last day of a shorter month', () => {
    expect(addMonths('2026-11-28', 12)).toBe('2027-11-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('takes real days from 1900 to 2100 only', () => {
    expect(checkCalendarDate('2026-02-28')).toBeUndefined();
    expect(checkCalendarDate('2026-02-30')).toBe('format');
    expect(checkCalendarDate('2026-W01')).toBe('format');
    expect(checkCalendarDate('0000-01-01')).toBe('range');
    expect(checkCalendarDate('2101-01-01')).toBe('range');
  });
});
