import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

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

/** The `cursor` query parameter: the nextCursor of the previous page, opaque to the caller. */
export const PageCursor = () => applyDecorators(ApiPropertyOptional({ description: 'nextCursor of the previous page' }), IsOptional(), IsString(), MaxLength(300));
