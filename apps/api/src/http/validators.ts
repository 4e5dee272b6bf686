import { EARLIEST_DATE, LATEST_DATE, checkCalendarDate, checkDateOrDateTime } from '@app/kernel';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, registerDecorator, type ValidationOptions } from 'class-validator';

function simple(name: string, test: (value: unknown) => boolean) {
  return (options?: ValidationOptions) => (target: object, propertyName: string) =>
    registerDecorator({ name, target: target.constructor, propertyName, options, validator: { validate: test } });
}

/** NIS municipality code: five digits (e.g. 11037 for Ranst). */
export const IsNisCode = simple('isNisCode', (v) => typeof v === 'string' && /^\d{5}$/.test(v));

/** Constraint name of IsCalendarDate; the validation pipe turns it into `isISO8601`, `isDateTime` or `date-out-of-range`. */
export const IS_CALENDAR_DATE = 'isCalendarDate';

/**
 * Every date this API takes: a real calendar day written `YYYY-MM-DD`, from 1900-01-01 to 2100-12-31
 * (`0000-01-01`, `2026-W01`, `2026-02-30` and `20260105` are refused). With `orDateTime`, an RFC 3339
 * date-time on such a day is accepted too (the audit console's `from` and `to`).
 */
export function IsCalendarDate(options: ValidationOptions & { orDateTime?: boolean } = {}) {
  const { orDateTime = false, ...validation } = options;
  const check = orDateTime ? checkDateOrDateTime : checkCalendarDate;
  const constraint: PropertyDecorator = (target, propertyName) =>
    registerDecorator({
      name: IS_CALENDAR_DATE,
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [orDateTime],
      options: validation,
      validator: { validate: (value: unknown) => check(value) === undefined },
    });
  // Documented as a date; a list of dates (each) keeps the schema its own @ApiProperty gives it.
  if (orDateTime || validation.each) return constraint;
  return applyDecorators(ApiProperty({ format: 'date', minLength: 10, maxLength: 10 }), constraint);
}

/** Field problem for a value IsCalendarDate refused (the first bad one, for a list). */
export function calendarDateProblem(field: string, value: unknown, orDateTime: boolean) {
  const check = orDateTime ? checkDateOrDateTime : checkCalendarDate;
  const problem = (Array.isArray(value) ? value.map((v) => check(v)).find((p) => p !== undefined) : check(value)) ?? 'format';
  if (problem === 'range') return { field, code: 'date-out-of-range', params: { min: EARLIEST_DATE, max: LATEST_DATE } };
  return { field, code: orDateTime ? 'isDateTime' : 'isISO8601' };
}

const MULTILINE = Symbol('casework:multiline-text');

/**
 * Free text that may span lines (notes, reasons, justifications): tab, line feed and carriage return
 * are kept in it. Everywhere else the validation pipe refuses every control character.
 */
export function MultilineText(): PropertyDecorator {
  return (target, propertyName) => {
    const inherited: ReadonlySet<string | symbol> = Reflect.getMetadata(MULTILINE, target) ?? new Set();
    Reflect.defineMetadata(MULTILINE, new Set([...inherited, propertyName]), target);
  };
}

export function isMultilineText(instance: object, propertyName: string): boolean {
  return (Reflect.getMetadata(MULTILINE, instance) as ReadonlySet<string | symbol> | undefined)?.has(propertyName) ?? false;
}

/** A non-empty list of distinct values from a fixed vocabulary (purposes, data categories), documented as such. */
export function EnumList(values: readonly string[], description?: string) {
  return applyDecorators(
    ApiProperty({ enum: values, isArray: true, ...(description ? { description } : {}) }),
    IsArray(),
    ArrayMinSize(1),
    ArrayUnique(),
    IsIn(values, { each: true }),
  );
}
