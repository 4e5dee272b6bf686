/**
 * What the audit trail records about one access or change. Domain code describes events with these
 * records inside its request transaction (`tx.audit(...)`); the audit library writes them, chained and
 * hashed, in the same transaction just before it commits. No names, INSZ or free text of client data:
 * the subject is the person's id.
 */
export type AuditDecision = 'ALLOW' | 'DENY';

export interface AuditGround {
  kind: 'OWNER' | 'SHARED' | 'BREAK_GLASS';
  involvementId?: string;
  agreementId?: string;
  consentId?: string;
  breakGlassId?: string;
  /** the open handover that gave the receiver the categories it offers (SHARED, with its agreement and consent) */
  referralId?: string;
}

export interface AuditRecord {
  /** dotted verb, e.g. `client.read`, `consent.revoke`, `auth.sign-in`, `access.denied` */
  action: string;
  decision: AuditDecision;
  resourceType?: string;
  resourceId?: string;
  subjectPersonId?: string;
  /**
   * The organisation whose data or records the event concerns: the owner of the file read, the
   * director of the trajectory, the sender of the referral. Defaults to the actor's organisation (its
   * own data). Privacy officers and who-saw-my-data reports see the events about their own data.
   */
  ownerOrganisationId?: string;
  categories?: readonly string[];
  /**
   * The purpose the access served when it is not the request's X-Purpose: a handover is read and
   * answered for its own purpose (MEDIATION, ADVICE), whatever the request names.
   */
  purpose?: string;
  ground?: AuditGround;
  /**
   * Write this record on the chain of `ownerOrganisationId` instead of the actor's: the owner's own,
   * verifiable copy of a denied attempt on its data (apps/api/src/http/problem-details.filter.ts).
   */
  onOwnerChain?: boolean;
  /** raise a flag in this organisation's privacy officer queue, tied to this event */
  flag?: { organisationId: string; kind: 'BREAK_GLASS' };
}

/** Who acted and from where, for events written outside an authenticated request (sign-in). */
export interface AuditActor {
  userId?: string;
  organisationId?: string;
  roles?: readonly string[];
  purpose?: string;
  requestId?: string;
  clientAddress?: string;
  userAgent?: string;
}

/** Writes audit records in the given transaction; implemented by libs/audit. */
export interface AuditSink {
  write(query: (sql: string, params?: unknown[]) => Promise<any[]>, actor: AuditActor, records: readonly AuditRecord[]): Promise<void>;
}

export const AUDIT_SINK = Symbol('AUDIT_SINK');
