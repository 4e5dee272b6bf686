import { InvalidInput, type FieldProblem } from '@app/kernel';
import { checkInsz, checkKbo } from '@app/domain';
import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { getMetadataStorage, minLength, type ValidationError } from 'class-validator';
import { ANY_CONTROL, FORBIDDEN_CONTROLS, childPath } from './hostile-input.js';
import { IS_CALENDAR_DATE, calendarDateProblem, isMultilineText } from './validators.js';

/**
 * Validates and transforms every DTO. Unknown properties are refused by name (whitelist +
 * forbidNonWhitelisted); each failure becomes a field problem with a path like `certifications[0].kind`.
 * Then, for every DTO of every route (see checkText): control characters, blank required text, and
 * UUIDs in lower case.
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
    // Path parameters are ids and numbers: no control character (a %00 in the path) gets further.
    if (metadata.type === 'param' && typeof value === 'string' && ANY_CONTROL.test(value)) {
      throw new InvalidInput([{ field: metadata.data ?? '(path)', code: 'control-characters' }]);
    }
    const result = await super.transform(value, metadata);
    if ((metadata.type === 'body' || metadata.type === 'query') && result !== null && typeof result === 'object') {
      const problems = checkText(result, '');
      if (problems.length > 0) throw new InvalidInput(problems);
    }
    return result;
  }
}

/** What the class-validator decorators of one DTO property say about its text. */
interface TextRules {
  /** @MinLength(n) with n >= 1, or @IsNotEmpty(): the text is required, so whitespace alone is not text. */
  minLength?: number;
  /** @IsUUID(): the id is lower-cased, as PostgreSQL prints it (and the audit chain hashes it). */
  uuid?: boolean;
}

// A DTO class: its constructor is the key of its validation metadata.
type DtoClass = abstract new (...args: never[]) => unknown;
const rulesCache = new Map<DtoClass, Map<string, { value: TextRules; each: TextRules }>>();

function rulesOf(type: DtoClass): Map<string, { value: TextRules; each: TextRules }> {
  let rules = rulesCache.get(type);
  if (rules) return rules;
  rules = new Map();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) {
    const entry = rules.get(m.propertyName) ?? { value: {}, each: {} };
    const target = m.each ? entry.each : entry.value;
    if (m.name === 'minLength' && Number(m.constraints?.[0]) >= 1) target.minLength = Number(m.constraints[0]);
    if (m.name === 'isNotEmpty') target.minLength = Math.max(target.minLength ?? 0, 1);
    if (m.name === 'isUuid') target.uuid = true;
    rules.set(m.propertyName, entry);
  }
  rulesCache.set(type, rules);
  return rules;
}

/**
 * One walk over a validated DTO (and the DTOs nested in it), so no DTO has to remember these rules:
 * - control characters: none in one-line text; tab, line feed and carriage return only in fields marked
 *   @MultilineText() (NUL and the other controls never reach this far: see hostile-input.ts);
 * - required text (@MinLength, @IsNotEmpty) must be text once leading and trailing whitespace is set
 *   aside: blank is refused, and the minimum length counts what is left;
 * - @IsUUID() values are lower-cased in place before the service sees them.
 */
function checkText(dto: object, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const rules = dto.constructor === Object ? undefined : rulesOf(dto.constructor as DtoClass);
  const record = dto as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    const at = childPath(path, key);
    const multiline = isMultilineText(dto, key);
    const own = rules?.get(key);
    if (typeof value === 'string') {
      const problem = checkString(value, at, multiline, own?.value);
      if (problem) problems.push(problem);
      else if (own?.value.uuid) record[key] = value.toLowerCase();
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (typeof item === 'string') {
          const problem = checkString(item, childPath(at, index), multiline, own?.each);
          if (problem) problems.push(problem);
          else if (own?.each.uuid) value[index] = item.toLowerCase();
        } else if (item !== null && typeof item === 'object') problems.push(...checkText(item, childPath(at, index)));
      });
    } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      problems.push(...checkText(value, at));
    }
  }
  return problems;
}

function checkString(value: string, field: string, multiline: boolean, rules: TextRules | undefined): FieldProblem | undefined {
  if ((multiline ? FORBIDDEN_CONTROLS : ANY_CONTROL).test(value)) return { field, code: 'control-characters' };
  if (rules?.minLength !== undefined) {
    const text = value.trim();
    if (text === '') return { field, code: 'blank' };
    if (!minLength(text, rules.minLength)) return { field, code: 'minLength', params: { min: rules.minLength } };
  }
  return undefined;
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = !error.property
      ? parent || '(body)'
      : /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : parent
          ? `${parent}.${error.property}`
          : error.property;
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
