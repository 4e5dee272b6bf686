/** A CSV cell: RFC 4180 quoting, and a formula a spreadsheet would run neutralised (OWASP CSV injection). */
export function csvCell(value: unknown): string {
  let t = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(t)) t = `'${t}`;
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}
