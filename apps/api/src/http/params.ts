import { InvalidInput } from '@app/domain';
import { Param, ParseUUIDPipe, type PipeTransform } from '@nestjs/common';

/** A path id that must be a UUID; anything else is a 400 naming the parameter. */
export const UuidParam = (name = 'id') =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => new InvalidInput([{ field: name, code: 'isUUID' }]) }));

/** A path parameter from a fixed vocabulary (e.g. a certification kind); anything else is a 400 naming it. */
export const EnumParam = (name: string, values: readonly string[]) =>
  Param(name, {
    transform(value: unknown) {
      if (typeof value === 'string' && values.includes(value)) return value;
      throw new InvalidInput([{ field: name, code: 'isIn', params: { allowed: values.join(', ') } }]);
    },
  } satisfies PipeTransform);
