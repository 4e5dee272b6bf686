import { checkCalendarDate } from './dates.js';
import { InvalidInput } from './errors.js';

/**
 * Keyset cursors: the key of the last row of a page, as base64url of UTF-8 text. Clients treat them as
 * opaque, so anything but what the service gave out (other characters, padding, text that is not
 * UTF-8, a key of the wrong shape or types) is a 400 naming `cursor`, decided before the key reaches SQL.
 */
export function encodeCursor(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

export const invalidCursor = () => new InvalidInput([{ field: 'cursor', code: 'invalid-cursor' }]);

/** The text inside a cursor; only the exact encoding `encodeCursor` writes is accepted. */
export function decodeCursorText(cursor: string): string {
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalidCursor();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encodeCursor(text) !== cursor) throw invalidCursor(); // stray bits, or bytes that were not UTF-8
  return text;
}

/** A JSON key written by `encodeCursor(JSON.stringify(key))`, checked by `read` (undefined: not a key of this list). */
export function decodeCursorKey<T>(cursor: string, read: (value: unknown) => T | undefined): T {
  let value: unknown;
  try {
    value = JSON.parse(decodeCursorText(cursor));
  } catch {
    throw invalidCursor();
  }
  const key = read(value);
  if (key === undefined) throw invalidCursor();
  return key;
}

/** A UUID as PostgreSQL prints it (lower case), which is how every cursor carries ids. */
export const isCursorUuid = (value: unknown): value is string =>
  typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);

/** timestamptz as PostgreSQL prints it: `2026-11-23 10:11:12.123456+01` (offset minutes and seconds when there are any). */
const PG_TIMESTAMPTZ = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2})(?::(\d{2}))?)?$/;

export function isCursorTimestamp(value: unknown): value is string {
  const match = typeof value === 'string' ? PG_TIMESTAMPTZ.exec(value) : null;
  if (!match) return false;
  const [, date, hours, minutes, seconds, offsetHours, offsetMinutes = '00', offsetSeconds = '00'] = match;
  return (
    checkCalendarDate(date) === undefined &&
    Number(hours) < 24 &&
    Number(minutes) < 60 &&
    Number(seconds) < 60 &&
    Number(offsetHours) <= 15 &&
    Number(offsetMinutes) < 60 &&
    Number(offsetSeconds) < 60
  );
}
