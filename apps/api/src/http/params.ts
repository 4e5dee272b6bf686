import { InvalidInput } from '@app/kernel';
import { Param, ParseUUIDPipe, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

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
export const UuidParam = (name = 'id') => Param(name, new LowerCaseUuidPipe({ exceptionFactory: () => new InvalidInput([{ field: name, code: 'isUUID' }]) }));

/** A path parameter from a fixed vocabulary (e.g. a certification kind); anything else is a 400 naming it. */
export const EnumParam = (name: string, values: readonly string[]) =>
  Param(name, {
    transform(value: unknown) {
      if (typeof value === 'string' && values.includes(value)) return value;
      throw new InvalidInput([{ field: name, code: 'isIn', params: { allowed: values.join(', ') } }]);
    },
  } satisfies PipeTransform);
