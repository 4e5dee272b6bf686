/** Today's date in Belgium as YYYY-MM-DD (certifications and agreements are valid per calendar day). */
export function todayInBrussels(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(now);
}
