import { InvalidInput } from '@app/domain';
import { Param, ParseUUIDPipe, type ArgumentMetadata } from '@nestjs/common';

/**
 * A UUID in any case, handed on in lower case: PostgreSQL prints ids in lower case, and an id in
 * another case would reach the audit chain's hash in a form the stored row does not have.
 */
class LowerCaseUuidPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string | null | undefined> {
    const id = await super.transform(value, metadata);
    return typeof id === 'string' ? id.toLowerCase() : id;
  }
}

/** A path id that must be a UUID (in any case; handed on in lower case); anything else is a 400 naming the parameter. */
export const UuidParam = (name = 'id') =>
  Param(name, new LowerCaseUuidPipe({ exceptionFactory: () => new InvalidInput([{ field: name, code: 'isUUID' }]) }));
