import type { CertificationKind, Role } from '@app/kernel';

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

export interface User {
  id: string;
  organisationId: string;
  email: string;
  displayName: string;
  active: boolean;
  roles: Role[];
  certifications: Certification[];
  lastSignInAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The dates of a certification being recorded or renewed (`YYYY-MM-DD`). */
export interface CertificationInput {
  obtainedOn: string;
  expiresOn: string;
}

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  roles: Role[];
  /** No longer accepted (VDAB records certifications): present at all, it is refused with a 400. */
  certifications?: unknown;
}

export interface UserChanges {
  displayName?: string;
  roles?: Role[];
  active?: boolean;
  password?: string;
  /** No longer accepted (VDAB records certifications): present at all, it is refused with a 400. */
  certifications?: unknown;
}
