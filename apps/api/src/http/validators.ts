import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, registerDecorator, type ValidationOptions } from 'class-validator';

function simple(name: string, test: (value: unknown) => boolean) {
  return (options?: ValidationOptions) => (target: object, propertyName: string) =>
    registerDecorator({ name, target: target.constructor, propertyName, options, validator: { validate: test } });
}

/** NIS municipality code: five digits (e.g. 11037 for Ranst). */
export const IsNisCode = simple('isNisCode', (v) => typeof v === 'string' && /^\d{5}$/.test(v));

/** A real calendar date written YYYY-MM-DD. */
export const IsCalendarDate = simple('isISO8601', (v) => {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const date = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v);
});

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
