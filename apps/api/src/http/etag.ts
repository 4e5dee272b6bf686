import { InvalidInput } from '@app/kernel';

/** `ETag: "3"` for version 3 of a record. */
export const etagFor = (version: number) => `"${version}"`;

/** The version an `If-Match` header asks for, or undefined when absent. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match) throw new InvalidInput([{ field: 'If-Match', code: 'invalid' }]);
  return Number(match[1]);
}
