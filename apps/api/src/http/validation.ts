import { InvalidInput, checkInsz, checkKbo, type FieldProblem } from '@app/domain';
import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { getMetadataStorage, type ValidationError } from 'class-validator';
import { IS_CALENDAR_DATE, calendarDateProblem } from './validators.js';

/**
 * Validates and transforms every DTO. Unknown properties are refused by name (whitelist +
 * forbidNonWhitelisted); each failure becomes a field problem with a path like `certifications[0].kind`.
 */
export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: true,
    // Kept for message parameters (e.g. the 12 of @MinLength(12)); never echoed in responses.
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => new InvalidInput(flattenValidationErrors(errors)),
  });
}

/** A JSON body must be an object: an array, string or number is a 400, not a crash in the transformer. */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new InvalidInput([{ field: '(body)', code: 'isObject' }]);
    }
    return super.transform(value, metadata);
  }
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = !error.property ? parent || '(body)' : /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.keys(error.constraints ?? {}).map((key) => fieldProblem(error, path, key));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

function fieldProblem(error: ValidationError, field: string, key: string): FieldProblem {
  if (key === 'isKboNumber') {
    return { field, code: typeof error.value === 'string' && checkKbo(error.value) === 'checksum' ? 'kbo-checksum' : 'kbo-format' };
  }
  if (key === 'isInsz') {
    return { field, code: typeof error.value === 'string' && checkInsz(error.value) === 'checksum' ? 'insz-checksum' : 'insz-format' };
  }
  if (key === IS_CALENDAR_DATE) return calendarDateProblem(field, error.value, constraintArgs(error, key)[0] === true);
  if (key === 'unknownValue') return { field: '(body)', code: 'isObject' };
  const args = constraintArgs(error, key);
  switch (key) {
    case 'min':
    case 'minLength':
    case 'arrayMinSize':
      return { field, code: key, params: { min: Number(args[0]) } };
    case 'max':
    case 'maxLength':
    case 'arrayMaxSize':
      return { field, code: key, params: { max: Number(args[0]) } };
    case 'isIn':
      return { field, code: key, params: { allowed: (args[0] as unknown[]).join(', ') } };
    default:
      return { field, code: key };
  }
}

/** The arguments a constraint was declared with (e.g. 12 for `@MinLength(12)`), read from class-validator's metadata. */
function constraintArgs(error: ValidationError, key: string): unknown[] {
  if (!error.target) return [];
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(error.target.constructor, '', true, false)
    .find((m) => m.propertyName === error.property && (m.name === key || m.type === key));
  return metadata?.constraints ?? [];
}
