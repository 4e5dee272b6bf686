import { InvalidInput } from '@app/domain';
import { Param, ParseUUIDPipe } from '@nestjs/common';

/** A path id that must be a UUID; anything else is a 400 naming the parameter. */
export const UuidParam = (name = 'id') =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => new InvalidInput([{ field: name, code: 'isUUID' }]) }));
