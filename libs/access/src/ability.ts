import { AbilityBuilder, createMongoAbility, type MongoAbility } from '@casl/ability';
import type { Identity } from '@app/kernel';
import type { OrganisationKind, Role } from '@app/kernel';
import { CASEWORK_ROLES, DATA_CATEGORIES, certificationsAllowing, type DataCategory, type Purpose } from '@app/kernel';

/**
 * `work`: take part in a trajectory someone else directs (obstacles, activities, checkpoints).
 * `lookup`: find a person by INSZ or name, identity only (the client list; privacy officers too).
 */
export const ACTIONS = ['manage', 'read', 'create', 'update', 'grant', 'delete', 'work', 'lookup'] as const;
export type Action = (typeof ACTIONS)[number];

/** Plain shapes the rules are written against; services pass rows with these fields to `subject()`. */
export interface OrganisationSubject {
  id: string;
  active: boolean;
}
export interface UserSubject {
  id: string;
  organisationId: string;
}
/** Granting or revoking one role to a user of an organisation. */
export interface RoleGrantSubject {
  role: Role;
  /** whether the role is being added or taken away */
  change: 'ADD' | 'REMOVE';
  /** the account that gets or loses the role ('' for an account being created) */
  userId: string;
  organisationId: string;
  organisationKind: OrganisationKind;
}

/** A partner-portal certification of one user (recorded, renewed or withdrawn as a whole). */
export interface CertificationSubject {
  userId: string;
  organisationId: string;
}

/**
 * One category of one organisation's file on a person, with the facts the sharing rule looks at.
 * Dates are `YYYY-MM-DD`; an open end is OPEN_END. The loader gathers the facts for this owner and
 * person (flows out of the owner, consents the owner recorded for the person, the caller's
 * involvements with the person); the rules below decide.
 */
export interface ClientSectionSubject {
  organisationId: string;
  personId: string;
  category: DataCategory;
  /** the caller's organisation's involvements with the person; `recordedByOwner`: this file's owner recorded it (only those count) */
  involvements: Array<{ organisationId: string; purpose: Purpose; validFrom: string; validUntil: string; ended: boolean; recordedByOwner: boolean }>;
  agreementFlows: Array<{
    toOrganisationId: string;
    categories: DataCategory[];
    purposes: Purpose[];
    activated: boolean;
    terminated: boolean;
    validFrom: string;
    validUntil: string;
  }>;
  consents: Array<{
    recipientOrganisationIds: string[];
    purposes: Purpose[];
    categories: DataCategory[];
    legalBasis: string;
    validFrom: string;
    validUntil: string;
    revoked: boolean;
  }>;
  /** the caller's break-the-glass grants on this file; times are ISO 8601 UTC */
  breakGlass: Array<{ organisationId: string; userId: string; categories: DataCategory[]; grantedAt: string; expiresAt: string }>;
  /** agreements that have both the owner and the caller's organisation as parties */
  agreementLinks: Array<{ activated: boolean; terminated: boolean; validFrom: string; validUntil: string }>;
  /** handovers of the owner to the caller's organisation about the person (from SENT on), with the purpose their kind states */
  handovers: Array<{ toOrganisationId: string; purpose: Purpose; status: string; categories: DataCategory[] }>;
}
/** A client file as a whole (registering, changing): the owning organisation. */
export interface ClientFileSubject {
  organisationId: string;
}
export interface InvolvementSubject {
  organisationId: string;
  recordedByOrganisationId: string;
}
export interface ConsentSubject {
  organisationId: string;
}
export interface AgreementSubject {
  partyOrganisationIds: string[];
}
/** An organisation's retention periods per data category. */
export interface RetentionSettingSubject {
  organisationId: string;
}
/** One organisation's audit chain. */
export interface AuditChainSubject {
  chain: string;
}

export type SubjectName =
  | 'Organisation'
  | 'User'
  | 'RoleGrant'
  | 'Certification'
  | 'Me'
  | 'Worklist'
  | 'Session'
  | 'ClientFile'
  | 'ClientSection'
  | 'Involvement'
  | 'Consent'
  | 'Agreement'
  | 'AuditEvent'
  | 'AuditChain'
  | 'AccessReport'
  | 'BreakGlass'
  | 'AuditFlag'
  | 'Note'
  | 'StaffCard'
  | 'Document'
  | 'Referral'
  | 'Trajectory'
  | 'Notification'
  | 'Erasure'
  | 'RetentionSetting'
  | 'Indicator'
  | 'Region'
  | 'SteeringGroup'
  | 'all';
type Subjects =
  | SubjectName
  | (OrganisationSubject & { __caslSubjectType__: 'Organisation' })
  | (UserSubject & { __caslSubjectType__: 'User' })
  | (RoleGrantSubject & { __caslSubjectType__: 'RoleGrant' })
  | (CertificationSubject & { __caslSubjectType__: 'Certification' })
  | (ClientFileSubject & { __caslSubjectType__: 'ClientFile' })
  | (ClientSectionSubject & { __caslSubjectType__: 'ClientSection' })
  | (InvolvementSubject & { __caslSubjectType__: 'Involvement' })
  | (ConsentSubject & { __caslSubjectType__: 'Consent' })
  | (AgreementSubject & { __caslSubjectType__: 'Agreement' })
  | (RetentionSettingSubject & { __caslSubjectType__: 'RetentionSetting' })
  | (AuditChainSubject & { __caslSubjectType__: 'AuditChain' });

export type AppAbility = MongoAbility<[Action, Subjects]>;

// The request context carries this ability (see ContextAbility in libs/kernel).
declare module '@app/kernel' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ContextAbility extends AppAbility {}
}

/** Roles that may see the user directory of their own organisation (not change it). */
const OWN_ORG_USER_READERS: readonly Role[] = ['ORG_ADMIN', 'TEAM_LEAD', 'PRIVACY_OFFICER'];

/** Roles a platform admin may grant or take away outside the platform organisation. */
export const PLATFORM_GRANTABLE_ROLES: readonly Role[] = ['ORG_ADMIN', 'PRIVACY_OFFICER'];

/** Fields of an agreement everyone in a party organisation may see: that it exists, and its state. */
export const AGREEMENT_EXISTENCE_FIELDS = ['id', 'partyOrganisationIds', 'status'];

/**
 * The one place that says who may do what. Pure: no Nest, no database; the same rules are used per
 * record (`ability.can`) and pushed down into SQL for lists (`accessibleWhere`). The sharing rule for
 * client data is also written in SQL (`casework_access_grounds`, used by row-level security and the
 * list queries); a contract test holds the two to the same answers.
 */
export function defineAbilityFor(identity: Identity): AppAbility {
  const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  const roles = new Set(identity.roles);
  const me = identity.organisationId;

  can('read', 'Me');
  can('update', 'Me'); // one's own settings: language, daily digest
  // one's own: what falls due for the user, read under row-level security; an analyst has no case work
  if ([...roles].some((role) => role !== 'ANALYST')) can('read', 'Worklist');
  // Work contact cards of case workers: one's own organisation's and agreement partners' (filtered in SQL).
  can('read', 'StaffCard');
  can(['read', 'update'], 'Notification'); // one's own (the list is the recipient's; marking read)
  can('delete', 'Session'); // sign out of one's own session
  can('read', 'Organisation', { active: true }); // the partner directory
  can('read', 'Organisation', { id: identity.organisationId });
  can('read', 'User', { id: identity.userId });

  if ([...roles].some((role) => OWN_ORG_USER_READERS.includes(role))) {
    can('read', 'User', { organisationId: identity.organisationId });
  }
  if (roles.has('ORG_ADMIN')) {
    can(['create', 'update'], 'User', { organisationId: identity.organisationId });
    can('grant', 'RoleGrant', { organisationId: identity.organisationId });
  }
  // Partner-portal certifications are recorded by the organisation that runs the training, VDAB (as the
  // cooperation agreement has it), for users of any organisation; never by the trainee's own tenant.
  if (roles.has('ORG_ADMIN') && identity.organisationKind === 'VDAB') {
    can(['create', 'delete'], 'Certification');
    cannot(['create', 'delete'], 'Certification', { userId: identity.userId }); // not on one's own account
  }
  // Agreements: party staff see that one exists; party admins read, confirm and terminate it.
  can('read', 'Agreement', AGREEMENT_EXISTENCE_FIELDS, { partyOrganisationIds: me });
  if (roles.has('ORG_ADMIN')) {
    can('create', 'Agreement');
    can(['read', 'update'], 'Agreement', { partyOrganisationIds: me });
  }

  const caseworker = identity.roles.some((role) => (CASEWORK_ROLES as readonly Role[]).includes(role));
  if (caseworker) {
    can('create', 'ClientFile');
    can('lookup', 'ClientFile');
    can(['read', 'update'], 'ClientFile', { organisationId: me });
    can(['read', 'update'], 'ClientSection', { organisationId: me });
    can(['create', 'read'], 'Consent', { organisationId: me });
    can('update', 'Consent', { organisationId: me }); // revoke
    can(['create', 'read', 'update'], 'Involvement', { recordedByOrganisationId: me });
    can(['read', 'update'], 'Involvement', { organisationId: me });
    // Route gates for the records around client files; each record is decided by the SQL rule
    // (casework_note_visible, the referral and trajectory policies in ../sql) when it is read.
    can(['read', 'create'], 'Note');
    can(['read', 'create'], 'Document');
    can(['read', 'create', 'update'], 'Referral');
    can(['read', 'create', 'update', 'work'], 'Trajectory');
    shareRules(identity, can);
  }
  if (caseworker) can('read', 'AccessReport'); // who saw my client's data, to hand to the client
  // emergency access: social workers and mediators with a current partner-portal certification
  if ((roles.has('SOCIAL_WORKER') || roles.has('MEDIATOR')) && certifiedFor(identity, 'MEDIATION')) can('create', 'BreakGlass');
  if (roles.has('PRIVACY_OFFICER')) {
    // Who accessed what, when, why and on which ground; the legal grounds; never the case content.
    can('read', 'AuditEvent');
    can('lookup', 'ClientFile', { organisationId: me }); // to answer a citizen: identity of her organisation's files only
    can(['read', 'update'], 'AuditFlag');
    can('read', 'AuditChain', { chain: me });
    can('read', 'AccessReport');
    can('read', 'Consent', { organisationId: me });
    can('read', 'Involvement', { recordedByOrganisationId: me });
    can('read', 'Involvement', { organisationId: me });
    // Erasure of the organisation's own file on a person, on a GDPR request or at the end of its retention:
    // she handles the data subject's requests and answers for them, and erasing shows her no case content.
    // Not case workers (a file is not theirs to destroy, nor its trail of accesses), not admins (they set
    // the retention periods, a policy; a single person's file is a privacy decision).
    can('delete', 'ClientFile', { organisationId: me });
    can('read', 'Erasure');
    can('read', 'RetentionSetting', { organisationId: me });
  }
  // The cooperation's figures (counts, shares, durations; no person): the organisation's own and its
  // region's. Analysts read nothing else; team leads steer their team with them.
  if (roles.has('ANALYST') || roles.has('TEAM_LEAD')) can('read', 'Indicator');
  // An agreement's steering group (meetings, action plans): read by those who read the figures or keep
  // the agreement, recorded by admins and team leads; the agreement's parties only (row-level security).
  if (roles.has('ANALYST') || roles.has('TEAM_LEAD') || roles.has('ORG_ADMIN')) can('read', 'SteeringGroup');
  if (roles.has('TEAM_LEAD') || roles.has('ORG_ADMIN')) can('update', 'SteeringGroup');
  can('read', 'Region');
  if (roles.has('ORG_ADMIN')) {
    // the organisation's retention periods per data category, which the daily job applies
    can(['read', 'update'], 'RetentionSetting', { organisationId: me });
  }

  const platformAdmin = roles.has('PLATFORM_ADMIN') && identity.organisationKind === 'PLATFORM';
  if (platformAdmin) {
    // Everything about organisations, accounts and agreements; no client data.
    can('manage', ['Organisation', 'User', 'Agreement', 'Region']);
    can('read', 'AuditChain'); // verification of every chain: hashes and positions, no event content
    // The operator sets up organisations and their governance (first admin, privacy officer), never
    // case workers: case-work roles outside the platform organisation are the tenant's own business.
    can('grant', 'RoleGrant', { organisationKind: 'PLATFORM' });
    can('grant', 'RoleGrant', { role: { $in: [...PLATFORM_GRANTABLE_ROLES] } });
  }
  // Nobody but a platform admin hands out platform administration.
  if (!platformAdmin) cannot('grant', 'RoleGrant', { role: 'PLATFORM_ADMIN' });
  // Nobody adds a role to their own account (taking one away is fine): a second person must.
  cannot('grant', 'RoleGrant', { userId: identity.userId, change: 'ADD' });
  return build();
}

/** Whether the user holds, today, a partner-portal certification that allows the purpose. */
function certifiedFor(identity: Identity, purpose: Purpose): boolean {
  const today = identity.today;
  return (
    !!today &&
    (identity.certifications ?? []).some(
      (c) =>
        certificationsAllowing(purpose).includes(c.kind as ReturnType<typeof certificationsAllowing>[number]) && c.obtainedOn <= today && today <= c.expiresOn,
    )
  );
}

/**
 * Another organisation's category K of a person, for the caller's purpose: an active involvement of
 * the caller's organisation for that purpose that the owner recorded, an active agreement flow from the owner to it covering
 * the purpose and K, an active consent or notice of the person naming it, the purpose and K (WELFARE
 * only under explicit CONSENT), and a current partner-portal certification for the purpose. Or, in
 * place of the involvement, an open handover (SENT, INFO_REQUESTED) of the owner to it for the purpose
 * that offers K (casework_access_grounds, the referral ground).
 * One rule per category, because a condition cannot compare two fields of the subject.
 */
function shareRules(identity: Identity, can: AbilityBuilder<AppAbility>['can']): void {
  const { purpose, today, now } = identity;
  const me = identity.organisationId;
  if (today && now && certifiedFor(identity, 'MEDIATION')) {
    // Break-the-glass: a certified user, inside the time box, while an agreement links the two; never WELFARE.
    for (const category of DATA_CATEGORIES.filter((k) => k !== 'WELFARE')) {
      can('read', 'ClientSection', {
        category,
        organisationId: { $ne: me },
        breakGlass: { $elemMatch: { organisationId: me, userId: identity.userId, categories: category, grantedAt: { $lte: now }, expiresAt: { $gt: now } } },
        agreementLinks: { $elemMatch: { activated: true, terminated: false, validFrom: { $lte: today }, validUntil: { $gte: today } } },
      });
    }
  }
  if (!purpose || !today || !certifiedFor(identity, purpose)) return;
  const current = { validFrom: { $lte: today }, validUntil: { $gte: today } };
  for (const category of DATA_CATEGORIES) {
    const covered = {
      agreementFlows: { $elemMatch: { toOrganisationId: me, categories: category, purposes: purpose, activated: true, terminated: false, ...current } },
      consents: {
        $elemMatch: {
          recipientOrganisationIds: me,
          purposes: purpose,
          categories: category,
          revoked: false,
          ...(category === 'WELFARE' ? { legalBasis: 'CONSENT' } : {}),
          ...current,
        },
      },
    };
    can('read', 'ClientSection', {
      category,
      organisationId: { $ne: me },
      involvements: { $elemMatch: { organisationId: me, purpose, ended: false, recordedByOwner: true, ...current } },
      ...covered,
    });
    // An open handover of the owner to the caller's organisation, for its purpose: the categories it
    // offers, under the same agreement flow and consent, only while it waits for the receiver's decision.
    can('read', 'ClientSection', {
      category,
      organisationId: { $ne: me },
      handovers: { $elemMatch: { toOrganisationId: me, purpose, status: { $in: ['SENT', 'INFO_REQUESTED'] }, categories: category } },
      ...covered,
    });
  }
}
