export { DomainModule } from './domain.module.js';
export { type Organisation, type OrganisationDirectoryEntry } from './organisations/organisation.js';
export { OrganisationService } from './organisations/organisation.service.js';
export { checkKbo, formatKbo, IsKboNumber, kboFromBase } from './shared/kbo.js';
export { type StaffCard, type User, type UserCertification, type UserSettings } from './users/user.js';
export { UserService } from './users/user.service.js';
export { CATEGORY_KEY, type ClientPage, type ClientView } from './clients/client.js';
export { ClientService } from './clients/client.service.js';
export { type Agreement, AGREEMENT_STATUSES, type AgreementExistence, AgreementService } from './sharing/agreement.service.js';
export { type BreakGlassReceipt, BreakGlassService } from './sharing/break-glass.service.js';
export { type Consent, ConsentService } from './sharing/consent.service.js';
export { InvolvementService } from './sharing/involvement.service.js';
export { checkInsz, formatInsz, inszFor, IsInsz } from './shared/insz.js';
export { DECLINE_REASON_CODES, OPEN_REFERRAL_STATUSES, REFERRAL_KINDS, REFERRAL_STATUSES } from './referrals/referral-state.js';
export { addWorkingDays } from './referrals/working-days.js';
export { TRAJECTORY_STATUSES, TRAJECTORY_TYPES } from './trajectories/trajectory-status.js';
export { TrajectoryService } from './trajectories/trajectory.service.js';
export { ReferralService } from './referrals/referral.service.js';
export { type CaseNote, NoteService } from './notes/note.service.js';
export {
  NOTIFICATION_KINDS,
  type Notification,
  type NotificationPage,
  NotificationDispatcher,
  NotificationService,
} from './notifications/notification.service.js';
export { ReferralCounts } from './referrals/referral-counts.js';
export { ReferralExpiry } from './referrals/referral-expiry.js';
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
export { DOCUMENTS_PER_REFERRAL, MESSAGES_PER_REFERRAL, type ReferralMessage } from './referrals/referral.repository.js';
export { type Involvement } from './sharing/involvement.repository.js';
export { type Referral } from './referrals/referral.repository.js';
export { OBSTACLE_KINDS, TRAJECTORY_OUTCOMES, type Trajectory } from './trajectories/trajectory.repository.js';
export { WORKLIST_HORIZON_DAYS, WORKLIST_ITEM_KINDS, WORKLIST_MAX_ITEMS, CASELOAD_MAX, WorklistQuery, type Worklist } from './worklist/worklist.query.js';
export {
  ERASURE_REASONS,
  ERASURES_PER_LIST,
  RETENTION_MAX_MONTHS,
  RETENTION_MIN_MONTHS,
  type ClientErasure,
  type ErasureCounts,
  type ErasureReason,
  type RetentionPeriods,
  type RetentionSetting,
} from './erasure/erasure.js';
export { ErasureService } from './erasure/erasure.service.js';
export { type RetentionRun, RetentionJob } from './erasure/retention-job.js';
export {
  AGREEMENT_INDICATORS,
  CHECKPOINT_MONTHS,
  INDICATOR_GROUPINGS,
  INDICATOR_PERIODS,
  INDICATOR_SCOPES,
  indicatorKeys,
  MEASURES,
  SHARES,
  SMALL_CELL_THRESHOLD,
  type IndicatorGrouping,
  type IndicatorPeriod,
  type IndicatorScope,
} from './indicators/indicator-catalogue.js';
export { IndicatorRepository } from './indicators/indicator.repository.js';
export {
  INDICATOR_MAX_PERIODS,
  IndicatorService,
  type IndicatorQuery,
  type IndicatorReport,
  type IndicatorRow,
  type IndicatorValue,
} from './indicators/indicator.service.js';
export { REGIONS_MAX, type Region, type RegionInput } from './indicators/region.repository.js';
export { RegionService } from './indicators/region.service.js';
export { INDICATOR_LABELS, INDICATOR_SECTIONS, sectionColumns, type IndicatorSection } from './indicators/indicator-presentation.js';
export { STEERING_MAX, type ActionPlan, type NewMeeting, type SteeringMeeting } from './steering/steering.repository.js';
export { SteeringService, type SteeringGroup } from './steering/steering.service.js';
