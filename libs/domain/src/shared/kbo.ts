import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * KBO/BCE enterprise number (ondernemingsnummer): 10 digits starting with 0 or 1, the last two
 * being 97 - (first eight mod 97). Accepts `0123.456.789`, `0123 456 789` and a `BE` prefix.
 */
export function normaliseKbo(input: string): string {
  return input.trim().toUpperCase().replace(/^BE/, '').replace(/[.\s]/g, '');
}

export type KboProblem = 'format' | 'checksum';

export function checkKbo(input: string): KboProblem | undefined {
  const digits = normaliseKbo(input);
  if (!/^[01]\d{9}$/.test(digits)) return 'format';
  const check = 97 - (Number(digits.slice(0, 8)) % 97);
  return check === Number(digits.slice(8)) ? undefined : 'checksum';
}

/** `0123456789` -> `0123.456.789`, the way the KBO prints it. */
export function formatKbo(digits: string): string {
  return `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`;
}

/** Builds a valid number from eight leading digits (demo data and tests). */
export function kboFromBase(base8: string): string {
  const check = 97 - (Number(base8) % 97);
  return `${base8}${String(check).padStart(2, '0')}`;
}

/** class-validator constraint `isKboNumber`; the message says whether format or checksum is wrong. */
export function IsKboNumber(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isKboNumber',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && checkKbo(value) === undefined,
        defaultMessage: (args) =>
          typeof args?.value === 'string' && checkKbo(args.value) === 'checksum'
            ? 'the check digits do not match (mod 97)'
            : 'must be 10 digits, like 0123.456.789',
      },
    });
}
