import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, registerDecorator } from 'class-validator';

/** Page sizes of every keyset-paged list (OWASP API4: no request can ask for an unbounded list). */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

/** The `limit` query parameter of a paged list: 1 to 100, 25 when left out. */
export const PageLimit = () =>
  applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_PAGE_SIZE),
  );

/** Cursors are base64url (no padding) of a short key; anything else is refused before it is decoded. */
const IsCursorText: PropertyDecorator = (target, propertyName) =>
  registerDecorator({
    name: 'invalid-cursor',
    target: target.constructor,
    propertyName: String(propertyName),
    validator: { validate: (value: unknown) => typeof value === 'string' && /^[A-Za-z0-9_-]{1,300}$/.test(value) },
  });

/**
 * The `cursor` query parameter: the nextCursor of the previous page, opaque to the caller. Each list
 * decodes it strictly (libs/domain/src/shared/cursor.ts): a forged one is a 400 naming `cursor`.
 */
export const PageCursor = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'nextCursor of the previous page', maxLength: 300, pattern: '^[A-Za-z0-9_-]+$' }),
    IsOptional(),
    IsString(),
    IsCursorText,
  );
