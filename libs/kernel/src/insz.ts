// Pure, with no imports: the API validates with it and the web workspace checks as you type with the
// same code (apps/web imports this file directly).

/**
 * INSZ / rijksregisternummer (Belgian national register number): 11 digits `YYMMDDSSSCC`. The check
 * number CC is 97 - (the first nine digits mod 97); for people born in 2000 or later the nine digits
 * are prefixed with a 2 before taking mod 97, which is also how the century is told apart. Bis
 * numbers (no national register entry) add 20 or 40 to the month. Month or day 00 means unknown.
 * Accepts the printed form `YY.MM.DD-SSS.CC` and spaces.
 */
export function normaliseInsz(input: string): string {
  return input.trim().replace(/[.\-\s]/g, '');
}

export type InszProblem = 'format' | 'checksum';

export interface InszFacts {
  digits: string;
  /** birth date `YYYY-MM-DD` when the number encodes a complete one */
  birthDate?: string;
  century: 1900 | 2000;
  bis: boolean;
}

export function checkInsz(input: string): InszProblem | undefined {
  const parsed = parseInsz(input);
  return typeof parsed === 'string' ? parsed : undefined;
}

export function parseInsz(input: string): InszFacts | InszProblem {
  const digits = normaliseInsz(input);
  if (!/^\d{11}$/.test(digits)) return 'format';
  const base = digits.slice(0, 9);
  const check = Number(digits.slice(9));
  let century: 1900 | 2000;
  if (97 - (Number(base) % 97) === check) century = 1900;
  else if (97 - (Number(`2${base}`) % 97) === check) century = 2000;
  else return 'checksum';
  const yy = Number(digits.slice(0, 2));
  let month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  const bis = month > 12;
  if (month > 40) month -= 40;
  else if (month > 20) month -= 20;
  if (month > 12) return 'format';
  const facts: InszFacts = { digits, century, bis };
  if (month >= 1 && day >= 1) {
    const iso = `${century + yy}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const date = new Date(`${iso}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(iso)) return 'format';
    facts.birthDate = iso;
  }
  return facts;
}

/** `85073003328` -> `85.07.30-033.28`, the way it is printed on an eID card. */
export function formatInsz(digits: string): string {
  return `${digits.slice(0, 2)}.${digits.slice(2, 4)}.${digits.slice(4, 6)}-${digits.slice(6, 9)}.${digits.slice(9)}`;
}

/** Builds a valid number for a birth date and a serial (demo data, tests, benchmarks). */
export function inszFor(birthDate: string, serial: number): string {
  const [year, month, day] = birthDate.split('-');
  const base = `${year.slice(2)}${month}${day}${String(serial).padStart(3, '0')}`;
  const prefix = Number(year) >= 2000 ? `2${base}` : base;
  return `${base}${String(97 - (Number(prefix) % 97)).padStart(2, '0')}`;
}
