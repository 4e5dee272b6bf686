/**
 * Errors the domain raises. Each carries a stable `code` (the problem type and the key of the
 * translated message) and, for input errors, the field it is about. The API maps kinds to statuses.
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'forbidden' | 'invalid' | 'precondition-failed';

export interface FieldProblem {
  field: string;
  code: string;
  params?: Record<string, string | number>;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    readonly fields: FieldProblem[] = [],
  ) {
    super(code);
    this.name = new.target.name;
  }
}

/** Same answer whether the record does not exist or the caller may not see it. */
export type Resource =
  | 'organisation'
  | 'user'
  | 'client'
  | 'involvement'
  | 'agreement'
  | 'consent'
  | 'flag'
  | 'trajectory'
  | 'referral'
  | 'notification'
  | 'obstacle'
  | 'activity'
  | 'checkpoint'
  | 'certification'
  | 'document'
  | 'intake'
  | 'region'
  | 'meeting';

/** Resources that hold or reveal client data: not finding one is how the sharing rule says no. */
const CLIENT_DATA: readonly Resource[] = ['client', 'involvement', 'consent', 'trajectory', 'referral', 'obstacle', 'activity', 'checkpoint', 'document'];

export class NotFound extends DomainError {
  constructor(readonly resource: Resource) {
    super('not-found', `${resource}-not-found`);
  }

  /** A denied attempt to reach client data (audited as one), rather than a plain miss. */
  get deniesClientData(): boolean {
    return CLIENT_DATA.includes(this.resource);
  }
}

export class Forbidden extends DomainError {
  constructor(code: string, params: Record<string, string | number> = {}) {
    super('forbidden', code, params);
  }
}

export class Conflict extends DomainError {
  constructor(code: string, field?: string, params: Record<string, string | number> = {}) {
    super('conflict', code, params, field ? [{ field, code, params }] : []);
  }
}

/** Input that is well-formed but breaks a rule; lists every field at fault. */
export class InvalidInput extends DomainError {
  constructor(fields: FieldProblem[]) {
    super('invalid', 'validation-failed', {}, fields);
  }
}

/** The client edited an older version than the one stored (If-Match did not match). */
export class VersionMismatch extends DomainError {
  constructor(current: number) {
    super('precondition-failed', 'version-mismatch', { current });
  }
}

/** PostgreSQL unique_violation on the named constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const driver = e?.driverError ?? e;
  return driver?.code === '23505' && driver?.constraint === constraint;
}
