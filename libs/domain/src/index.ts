export * from './domain.module.js';
export * from './organisations/organisation.js';
export * from './organisations/organisation.service.js';
export * from './shared/kbo.js';
export * from './users/user.js';
export * from './users/user.service.js';
export * from './clients/client.js';
export * from './clients/client.service.js';
export * from './sharing/agreement.service.js';
export * from './sharing/break-glass.service.js';
export * from './sharing/consent.service.js';
export * from './sharing/involvement.service.js';
export * from './shared/insz.js';
export * from './referrals/referral-state.js';
export * from './referrals/working-days.js';
export * from './trajectories/trajectory-status.js';
export * from './trajectories/trajectory.service.js';
export * from './referrals/referral.service.js';
export * from './notes/note.service.js';
export * from './notifications/notification.service.js';
export * from './referrals/referral-expiry.js';
export { DocumentService } from './documents/document.service.js';
export {
  DOCUMENT_MAX_BYTES,
  DOCUMENT_MEDIA_TYPES,
  DOCUMENTS_PER_FILE,
  DOCUMENTS_PER_LIST,
  type ClientDocument,
  type DocumentMediaType,
} from './documents/document.repository.js';
export { STAFF_CARDS_MAX } from './users/user.repository.js';
export { CHECKPOINT_SOURCES, type Checkpoint, type CheckpointObservation, type CheckpointSource } from './trajectories/trajectory.repository.js';
export { MESSAGES_PER_REFERRAL, type ReferralMessage } from './referrals/referral.repository.js';
