import { registerDecorator, type ValidationOptions } from 'class-validator';
import { checkInsz } from '@app/kernel';

export { checkInsz, formatInsz, inszFor, normaliseInsz, parseInsz, type InszFacts, type InszProblem } from '@app/kernel';

/** class-validator constraint `isInsz`; the message says whether the format or the check digits are wrong. */
export function IsInsz(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInsz',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && checkInsz(value) === undefined,
      },
    });
}
