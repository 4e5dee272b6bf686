/**
 * The kernel: the vocabulary every library shares (organisations, roles, categories, purposes), the
 * request context, the transaction scope, the audit record contract, errors, cursors and dates. It
 * imports no other library of this repository.
 */
export { AUDIT_SINK, type AuditActor, type AuditGround, type AuditRecord, type AuditSink } from './audit-record.js';
export { checkInsz, formatInsz, type InszFacts, type InszProblem, inszFor, normaliseInsz, parseInsz } from './insz.js';
export { decodeCursorKey, decodeCursorText, encodeCursor, invalidCursor, isCursorTimestamp, isCursorUuid } from './cursor.js';
export { addMonths, checkCalendarDate, checkDateOrDateTime, EARLIEST_DATE, isIsoInstant, LATEST_DATE } from './dates.js';
export { Conflict, DomainError, type FieldProblem, Forbidden, InvalidInput, isUniqueViolation, NotFound, VersionMismatch } from './errors.js';
export {
  CERTIFICATION_KINDS,
  type CertificationKind,
  type Language,
  LANGUAGES,
  ORGANISATION_KINDS,
  type OrganisationKind,
  type Role,
  ROLES,
} from './identity.js';
export { type CertificationFact, type ContextAbility, type Identity, type RequestContext } from './request-context.js';
export { actorOf, RequestTransaction, type Tx } from './request-transaction.js';
export {
  belgianToday,
  type Capacity,
  CASEWORK_ROLES,
  certificationsAllowing,
  CONSENT_METHODS,
  type ConsentMethod,
  CATEGORY_KEY,
  DATA_CATEGORIES,
  type DataCategory,
  LEGAL_BASES,
  type LegalBasis,
  OPEN_END,
  ownPurposeOf,
  type Purpose,
  PURPOSE_HEADER,
  PURPOSES,
} from './sharing.js';
export { csvCell } from './csv.js';
