export { AuditCheckpointer, type Checkpoint } from './audit-checkpointer.js';
export { type AuditFlag, AuditFlagDetector, AuditFlagService, FLAG_STATUSES, type FlagStatus } from './audit-flags.js';
export { accessReportCsv, accessReportPdf, groundInWords, type Say } from './access-report-render.js';
export {
  type AccessReportLine,
  type AccessReportPage,
  type AuditEventView,
  AuditQueryService,
  type GroundDetail,
  type UserActivity,
} from './audit-query.service.js';
export { AuditSequencer } from './audit-sequencer.js';
export { type VerificationReport, verifyAuditChains } from './audit-verifier.js';
export { AuditWriter } from './audit-writer.js';
export { DATA_ACCESS } from './data-access.js';
export { type AuditConfig, signingKeys } from './audit.config.js';
export { AuditModule } from './audit.module.js';
export { chainHash, checkpointPayload, GENESIS_HASH } from './canonical.js';
