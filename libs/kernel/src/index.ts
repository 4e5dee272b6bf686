/**
 * The kernel: the vocabulary every library shares (organisations, roles, categories, purposes), the
 * request context, the transaction scope, the audit record contract, errors, cursors and dates. It
 * imports no other library of this repository.
 */
export * from './audit-record.js';
export * from './cursor.js';
export * from './dates.js';
export * from './errors.js';
export * from './identity.js';
export * from './request-context.js';
export * from './request-transaction.js';
export * from './sharing.js';
