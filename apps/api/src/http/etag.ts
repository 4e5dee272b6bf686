import { InvalidInput } from '@app/kernel';
import { HttpException, HttpStatus } from '@nestjs/common';

/** `ETag: "3"` for version 3 of a record. */
export const etagFor = (version: number) => `"${version}"`;

/** The version an `If-Match` header asks for, or undefined when absent. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match) throw new InvalidInput([{ field: 'If-Match', code: 'invalid' }]);
  return Number(match[1]);
}

/**
 * The version a versioned update must name: without `If-Match` two people editing the same record
 * would silently overwrite each other, so its absence is a 428 (RFC 6585) before anything is looked up.
 */
export function requiredVersion(header: string | undefined): number {
  const version = versionFromIfMatch(header);
  if (version === undefined) throw new HttpException({ code: 'if-match-required' }, HttpStatus.PRECONDITION_REQUIRED);
  return version;
}
