import type { CertificationKind, Language, Role } from '@app/kernel';

/**
 * A partner-portal training a user completed, as VDAB recorded it; `valid` is whether it has not expired
 * today. The recorder is null for certifications recorded before recorders were kept.
 */
export interface Certification {
  kind: CertificationKind;
  obtainedOn: string;
  expiresOn: string;
  valid: boolean;
  recordedByOrganisationId: string | null;
  recordedByUserId: string | null;
  recordedAt: string | null;
}

/** One user's certification, as answered to the VDAB admin who records it. */
export interface UserCertification extends Certification {
  userId: string;
}

/** A user's own settings (issue 14): their language (null: the browser's, else the organisation's) and the daily digest. */
export interface UserSettings {
  language: Language | null;
  dailyDigest: boolean;
}

export interface User {
  id: string;
  organisationId: string;
  email: string;
  displayName: string;
  /** work phone, for the contact card partners see */
  workPhone: string | null;
  active: boolean;
  roles: Role[];
  certifications: Certification[];
  lastSignInAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A staff member as colleagues and partner case workers see them: who to call about a handover or a
 * trajectory. Work contact only; no account details.
 */
export interface StaffCard {
  id: string;
  organisationId: string;
  organisationName: string;
  displayName: string;
  /** the case-work roles (social worker, trajectory guide, mediator, team lead) */
  roles: Role[];
  /** work contact; null on the records of a colleague who left */
  email: string | null;
  workPhone: string | null;
}

/** The dates of a certification being recorded or renewed (`YYYY-MM-DD`). */
export interface CertificationInput {
  obtainedOn: string;
  expiresOn: string;
}

export interface NewUser {
  email: string;
  displayName: string;
  workPhone?: string;
  password: string;
  roles: Role[];
  /** No longer accepted (VDAB records certifications): present at all, it is refused with a 400. */
  certifications?: unknown;
}

export interface UserChanges {
  displayName?: string;
  /** null removes it */
  workPhone?: string | null;
  roles?: Role[];
  active?: boolean;
  password?: string;
  /** No longer accepted (VDAB records certifications): present at all, it is refused with a 400. */
  certifications?: unknown;
}
