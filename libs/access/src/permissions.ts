import type { Action, SubjectName } from './ability.js';

/**
 * Every permission a route can require, and the check behind it: the caller's ability must allow the
 * action on at least one subject of the type. This is the route gate only; the record itself is
 * decided per row (CASL `ability.can` on the record, and the SQL rule in `../sql` for what a list or
 * a read returns). One table, so a reviewer sees in one place what each route asks for.
 */
export const PERMISSIONS = {
  'session.end': { action: 'delete', subject: 'Session' },
  'me.read': { action: 'read', subject: 'Me' },
  'me.settings': { action: 'update', subject: 'Me' },
  'client.lookup': { action: 'lookup', subject: 'ClientFile' },
  'worklist.read': { action: 'read', subject: 'Worklist' },
  'notification.read': { action: 'read', subject: 'Notification' },
  'notification.update': { action: 'update', subject: 'Notification' },

  'organisation.read': { action: 'read', subject: 'Organisation' },
  'organisation.create': { action: 'create', subject: 'Organisation' },
  'organisation.update': { action: 'update', subject: 'Organisation' },
  'user.read': { action: 'read', subject: 'User' },
  'staff.read': { action: 'read', subject: 'StaffCard' },
  'user.create': { action: 'create', subject: 'User' },
  'user.update': { action: 'update', subject: 'User' },
  'certification.create': { action: 'create', subject: 'Certification' },
  'certification.delete': { action: 'delete', subject: 'Certification' },
  'agreement.read': { action: 'read', subject: 'Agreement' },
  'agreement.create': { action: 'create', subject: 'Agreement' },
  'agreement.update': { action: 'update', subject: 'Agreement' },

  'client.read': { action: 'read', subject: 'ClientFile' },
  'client.create': { action: 'create', subject: 'ClientFile' },
  'client.update': { action: 'update', subject: 'ClientFile' },
  'client.accessReport': { action: 'read', subject: 'AccessReport' },
  'breakGlass.create': { action: 'create', subject: 'BreakGlass' },
  'consent.read': { action: 'read', subject: 'Consent' },
  'consent.create': { action: 'create', subject: 'Consent' },
  'consent.revoke': { action: 'update', subject: 'Consent' },
  'involvement.read': { action: 'read', subject: 'Involvement' },
  'involvement.create': { action: 'create', subject: 'Involvement' },
  'involvement.end': { action: 'update', subject: 'Involvement' },
  'note.read': { action: 'read', subject: 'Note' },
  'document.read': { action: 'read', subject: 'Document' },
  'document.create': { action: 'create', subject: 'Document' },
  'note.create': { action: 'create', subject: 'Note' },
  'referral.read': { action: 'read', subject: 'Referral' },
  /** either side's message in the conversation */
  'referral.message': { action: 'update', subject: 'Referral' },
  'referral.create': { action: 'create', subject: 'Referral' },
  /** the sender's moves: send, answer a question, withdraw */
  'referral.send': { action: 'update', subject: 'Referral' },
  /** the receiver's moves: assign, ask, advise, accept, decline */
  'referral.answer': { action: 'update', subject: 'Referral' },
  'trajectory.read': { action: 'read', subject: 'Trajectory' },
  'trajectory.create': { action: 'create', subject: 'Trajectory' },
  /** the director's moves: transitions, type, participants */
  'trajectory.direct': { action: 'update', subject: 'Trajectory' },
  /** a participant's work: obstacles, activities, checkpoints */
  'trajectory.work': { action: 'work', subject: 'Trajectory' },

  /** erasing the organisation's own file on a person, and reading its erasure records */
  'client.erase': { action: 'delete', subject: 'ClientFile' },
  'erasure.read': { action: 'read', subject: 'Erasure' },
  'retention.read': { action: 'read', subject: 'RetentionSetting' },
  'retention.update': { action: 'update', subject: 'RetentionSetting' },

  'indicator.read': { action: 'read', subject: 'Indicator' },
  'region.read': { action: 'read', subject: 'Region' },
  'region.update': { action: 'update', subject: 'Region' },
  'steering.read': { action: 'read', subject: 'SteeringGroup' },
  'steering.record': { action: 'update', subject: 'SteeringGroup' },

  'auditEvents.read': { action: 'read', subject: 'AuditEvent' },
  'auditChain.read': { action: 'read', subject: 'AuditChain' },
  'auditFlag.read': { action: 'read', subject: 'AuditFlag' },
  'auditFlag.review': { action: 'update', subject: 'AuditFlag' },
} as const satisfies Record<string, { action: Action; subject: SubjectName }>;

export type Permission = keyof typeof PERMISSIONS;
