import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { Sharing1764100000000 } from './1764100000000-sharing.js';
import { Audit1764200000000 } from './1764200000000-audit.js';
import { Trajectories1764300000000 } from './1764300000000-trajectories.js';
import { Referrals1764400000000 } from './1764400000000-referrals.js';
import { NotesNotifications1764500000000 } from './1764500000000-notes-notifications.js';
import { Idempotency1764600000000 } from './1764600000000-idempotency.js';
import { TrajectoryWork1764700000000 } from './1764700000000-trajectory-work.js';
import { QueueOrder1764800000000 } from './1764800000000-queue-order.js';
import { RateLimits1764900000000 } from './1764900000000-rate-limits.js';
import { OwnerGrounds1765000000000 } from './1765000000000-owner-grounds.js';
import { CertificationRecorder1765200000000 } from './1765200000000-certification-recorder.js';
import { GroundsPurpose1765310000000 } from './1765310000000-grounds-purpose.js';
import { NameSearch1765400000000 } from './1765400000000-name-search.js';
import { Documents1765500000000 } from './1765500000000-documents.js';
import { StaffContact1765600000000 } from './1765600000000-staff-contact.js';
import { OwnerDenialFlags1765700000000 } from './1765700000000-owner-denial-flags.js';
import { HandoverGround1765800000000 } from './1765800000000-handover-ground.js';
import { TrajectoryAuthors1765900000000 } from './1765900000000-trajectory-authors.js';
import { OpenTrajectoryPerDirector1766000000000 } from './1766000000000-open-trajectory-per-director.js';
import { ReviewReminder1766100000000 } from './1766100000000-review-reminder.js';
import { ReferralMessages1766200000000 } from './1766200000000-referral-messages.js';
import { Intake1766300000000 } from './1766300000000-intake.js';
import { SignalAcknowledged1766400000000 } from './1766400000000-signal-acknowledged.js';
import { HandoverDocuments1766450000000 } from './1766450000000-handover-documents.js';
import { NotifyTeamLeads1766460000000 } from './1766460000000-notify-team-leads.js';
import { NotificationPages1766470000000 } from './1766470000000-notification-pages.js';
import { FlagReviews1766480000000 } from './1766480000000-flag-reviews.js';
import { NameSearchGist1766500000000 } from './1766500000000-name-search-gist.js';
import { UserPreferences1766600000000 } from './1766600000000-user-preferences.js';
import { RateLimitUnlogged1766610000000 } from './1766610000000-rate-limit-unlogged.js';
import { Erasure1766700000000 } from './1766700000000-erasure.js';
import { AccessReportPages1766800000000 } from './1766800000000-access-report-pages.js';
import { AuditSequencer1766900000000 } from './1766900000000-audit-sequencer.js';
import { ReferralCounts1767000000000 } from './1767000000000-referral-counts.js';
import { AuditEntryGuards1767100000000 } from './1767100000000-audit-entry-guards.js';
import { AuditEntryColumns1767200000000 } from './1767200000000-audit-entry-columns.js';
import { DropCaseworkDossier1767300000000 } from './1767300000000-drop-casework-dossier.js';
import { OpenReferralPersonOrder1767400000000 } from './1767400000000-open-referral-person-order.js';
import { Indicators1767500000000 } from './1767500000000-indicators.js';

/**
 * Every migration, oldest first. Listed explicitly: no globbing of compiled files at run time.
 * Append-only: a migration that has landed on main is never edited (test/integration/migration-upgrade.spec.ts).
 * Functions and policies are not defined here but in libs/<lib>/sql, re-applied after the migrations.
 */
export const migrations = [Foundation1764000000000, Sharing1764100000000, Audit1764200000000, Trajectories1764300000000, Referrals1764400000000, NotesNotifications1764500000000, Idempotency1764600000000, TrajectoryWork1764700000000, QueueOrder1764800000000, RateLimits1764900000000, OwnerGrounds1765000000000, CertificationRecorder1765200000000, GroundsPurpose1765310000000, NameSearch1765400000000, Documents1765500000000, StaffContact1765600000000, OwnerDenialFlags1765700000000, HandoverGround1765800000000, TrajectoryAuthors1765900000000, OpenTrajectoryPerDirector1766000000000, ReviewReminder1766100000000, ReferralMessages1766200000000, Intake1766300000000, SignalAcknowledged1766400000000, HandoverDocuments1766450000000, NotifyTeamLeads1766460000000, NotificationPages1766470000000, FlagReviews1766480000000, NameSearchGist1766500000000, UserPreferences1766600000000, RateLimitUnlogged1766610000000, Erasure1766700000000, AccessReportPages1766800000000, AuditSequencer1766900000000, ReferralCounts1767000000000, AuditEntryGuards1767100000000, AuditEntryColumns1767200000000, DropCaseworkDossier1767300000000, OpenReferralPersonOrder1767400000000, Indicators1767500000000];
