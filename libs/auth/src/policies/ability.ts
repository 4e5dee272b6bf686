import { AbilityBuilder, createMongoAbility, type MongoAbility } from '@casl/ability';
import type { Identity } from '../context/request-context.js';
import type { OrganisationKind, Role } from '../identity.js';

export const ACTIONS = ['manage', 'read', 'create', 'update', 'grant', 'delete'] as const;
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
  organisationId: string;
  organisationKind: OrganisationKind;
}

export type SubjectName = 'Organisation' | 'User' | 'RoleGrant' | 'Me' | 'Session' | 'all';
type Subjects =
  | SubjectName
  | (OrganisationSubject & { __caslSubjectType__: 'Organisation' })
  | (UserSubject & { __caslSubjectType__: 'User' })
  | (RoleGrantSubject & { __caslSubjectType__: 'RoleGrant' });

export type AppAbility = MongoAbility<[Action, Subjects]>;

/** Roles that may see the user directory of their own organisation (not change it). */
const OWN_ORG_USER_READERS: readonly Role[] = ['ORG_ADMIN', 'TEAM_LEAD', 'PRIVACY_OFFICER'];

/**
 * The one place that says who may do what. Pure: no Nest, no database; the same rules are used per
 * record (`ability.can`) and pushed down into SQL for lists (`accessibleWhere`).
 */
export function defineAbilityFor(identity: Identity): AppAbility {
  const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  const roles = new Set(identity.roles);

  can('read', 'Me');
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
  if (roles.has('PLATFORM_ADMIN') && identity.organisationKind === 'PLATFORM') {
    can('manage', 'all');
  }
  // Nobody but a platform admin hands out platform administration.
  if (!(roles.has('PLATFORM_ADMIN') && identity.organisationKind === 'PLATFORM')) {
    cannot('grant', 'RoleGrant', { role: 'PLATFORM_ADMIN' });
  }
  return build();
}
