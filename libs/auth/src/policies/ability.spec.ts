import { subject } from '@casl/ability';
import type { Identity } from '../context/request-context.js';
import { defineAbilityFor } from './ability.js';

const ranst = 'org-ranst';
const schelle = 'org-schelle';
const who = (roles: Identity['roles'], organisationKind: Identity['organisationKind'] = 'OCMW', organisationId = ranst): Identity => ({
  userId: 'me',
  organisationId,
  organisationKind,
  roles,
});
const user = (id: string, organisationId: string) => subject('User', { id, organisationId });
const grant = (role: Identity['roles'][number], organisationId: string, organisationKind: Identity['organisationKind'] = 'OCMW') =>
  subject('RoleGrant', { role, organisationId, organisationKind });

describe('abilities', () => {
  it('a social worker reads only their own account and the directory', () => {
    const ability = defineAbilityFor(who(['SOCIAL_WORKER']));
    expect(ability.can('read', user('me', ranst))).toBe(true);
    expect(ability.can('read', user('colleague', ranst))).toBe(false);
    expect(ability.can('update', user('me', ranst))).toBe(false);
    expect(ability.can('read', subject('Organisation', { id: schelle, active: true }))).toBe(true);
    expect(ability.can('read', subject('Organisation', { id: schelle, active: false }))).toBe(false);
    expect(ability.can('create', 'Organisation')).toBe(false);
  });

  it('an org admin manages users of their own organisation only', () => {
    const ability = defineAbilityFor(who(['ORG_ADMIN']));
    expect(ability.can('update', user('colleague', ranst))).toBe(true);
    expect(ability.can('create', user('', ranst))).toBe(true);
    expect(ability.can('read', user('other', schelle))).toBe(false);
    expect(ability.can('update', user('other', schelle))).toBe(false);
    expect(ability.can('update', subject('Organisation', { id: ranst, active: true }))).toBe(false);
  });

  it('an org admin grants ordinary roles in their organisation, never PLATFORM_ADMIN', () => {
    const ability = defineAbilityFor(who(['ORG_ADMIN']));
    expect(ability.can('grant', grant('MEDIATOR', ranst))).toBe(true);
    expect(ability.can('grant', grant('ORG_ADMIN', ranst))).toBe(true);
    expect(ability.can('grant', grant('PLATFORM_ADMIN', ranst))).toBe(false);
    expect(ability.can('grant', grant('MEDIATOR', schelle))).toBe(false);
    const platformOrgAdmin = defineAbilityFor(who(['ORG_ADMIN'], 'PLATFORM', 'org-platform'));
    expect(platformOrgAdmin.can('grant', grant('PLATFORM_ADMIN', 'org-platform', 'PLATFORM'))).toBe(false);
  });

  it('team leads and privacy officers read their organisation’s staff but change nothing', () => {
    for (const role of ['TEAM_LEAD', 'PRIVACY_OFFICER'] as const) {
      const ability = defineAbilityFor(who([role]));
      expect(ability.can('read', user('colleague', ranst))).toBe(true);
      expect(ability.can('read', user('other', schelle))).toBe(false);
      expect(ability.can('update', user('colleague', ranst))).toBe(false);
    }
  });

  it('a platform admin manages everything, but only when in the PLATFORM organisation', () => {
    const admin = defineAbilityFor(who(['PLATFORM_ADMIN'], 'PLATFORM', 'org-platform'));
    expect(admin.can('create', 'Organisation')).toBe(true);
    expect(admin.can('update', user('x', schelle))).toBe(true);
    expect(admin.can('grant', grant('PLATFORM_ADMIN', 'org-platform', 'PLATFORM'))).toBe(true);
    // A PLATFORM_ADMIN row that somehow exists elsewhere grants nothing extra.
    const misplaced = defineAbilityFor(who(['PLATFORM_ADMIN'], 'OCMW'));
    expect(misplaced.can('create', 'Organisation')).toBe(false);
    expect(misplaced.can('read', user('x', schelle))).toBe(false);
  });
});
