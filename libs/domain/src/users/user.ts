import type { CertificationKind, Role } from '@app/auth';

/** A partner-portal training a user completed; `valid` is whether it has not expired today. */
export interface Certification {
  kind: CertificationKind;
  obtainedOn: string;
  expiresOn: string;
  valid: boolean;
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

export type CertificationInput = Omit<Certification, 'valid'>;

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  roles: Role[];
  certifications?: CertificationInput[];
}

export interface UserChanges {
  displayName?: string;
  roles?: Role[];
  active?: boolean;
  password?: string;
  certifications?: CertificationInput[];
}
