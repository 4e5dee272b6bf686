/** The default service level of an agreement: a referral is answered within 10 working days. */
export const DEFAULT_RESPONSE_WORKING_DAYS = 10;

/**
 * The calendar day `workingDays` working days after `from` (`YYYY-MM-DD`), weekends excluded. Public
 * holidays are not excluded yet: that needs a holiday calendar per region.
 */
export function addWorkingDays(from: string, workingDays: number): string {
  if (!Number.isInteger(workingDays) || workingDays < 0) throw new RangeError('workingDays must be a whole number >= 0');
  const date = new Date(`${from}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${from}`);
  let left = workingDays;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const day = date.getUTCDay();
    if (day !== 0 && day !== 6) left--;
  }
  return date.toISOString().slice(0, 10);
}

/** Whether a referral due on `due` is overdue on `today` (both `YYYY-MM-DD`). */
export function isOverdue(due: string, today: string): boolean {
  return today > due;
}
