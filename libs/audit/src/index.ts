export * from './audit-checkpointer.js';
export * from './audit-flags.js';
export * from './audit-query.service.js';
export * from './audit-verifier.js';
export * from './audit-writer.js';
export * from './audit.config.js';
export * from './audit.module.js';
export * from './canonical.js';
