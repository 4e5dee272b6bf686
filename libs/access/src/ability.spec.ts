import { subject } from '@casl/ability';
import type { Identity } from '@app/kernel';
import { defineAbilityFor, type ClientSectionSubject } from './ability.js';

const ranst = 'org-ranst';
const schelle = 'org-schelle';
const who = (roles: Identity['roles'], organisationKind: Identity['organisationKind'] = 'OCMW', organisationId = ranst): Identity => ({
  userId: 'me',
  organisationId,
  organisationKind,
  roles,
});
const user = (id: string, organisationId: string) => subject('User', { id, organisationId });
const grant = (
  role: Identity['roles'][number],
  organisationId: string,
  organisationKind: Identity['organisationKind'] = 'OCMW',
  userId = 'colleague',
  change: 'ADD' | 'REMOVE' = 'ADD',
) => subject('RoleGrant', { role, change, userId, organisationId, organisationKind });

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

  it('nobody adds a role to their own account; taking one away is fine', () => {
    const ability = defineAbilityFor(who(['ORG_ADMIN', 'TEAM_LEAD']));
    for (const role of ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'PRIVACY_OFFICER'] as const) {
      expect(ability.can('grant', grant(role, ranst, 'OCMW', 'me'))).toBe(false);
      expect(ability.can('grant', grant(role, ranst, 'OCMW', 'colleague'))).toBe(true);
    }
    expect(ability.can('grant', grant('TEAM_LEAD', ranst, 'OCMW', 'me', 'REMOVE'))).toBe(true);
    const platform = defineAbilityFor(who(['PLATFORM_ADMIN', 'ORG_ADMIN'], 'PLATFORM', 'org-platform'));
    expect(platform.can('grant', grant('SOCIAL_WORKER', 'org-platform', 'PLATFORM', 'me'))).toBe(false);
  });

  it('a platform admin gives other organisations their admins and privacy officers, never case-work roles', () => {
    const admin = defineAbilityFor(who(['PLATFORM_ADMIN'], 'PLATFORM', 'org-platform'));
    expect(admin.can('grant', grant('ORG_ADMIN', schelle))).toBe(true);
    expect(admin.can('grant', grant('PRIVACY_OFFICER', schelle))).toBe(true);
    for (const role of ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD'] as const) {
      expect(admin.can('grant', grant(role, schelle))).toBe(false);
      expect(admin.can('grant', grant(role, schelle, 'OCMW', 'colleague', 'REMOVE'))).toBe(false);
      expect(admin.can('grant', grant(role, 'org-platform', 'PLATFORM'))).toBe(true);
    }
  });

  it('only VDAB’s admins record and withdraw partner-portal certifications, for anyone but themselves', () => {
    const certification = (userId: string, organisationId: string) => subject('Certification', { userId, organisationId });
    const vdabAdmin = defineAbilityFor(who(['ORG_ADMIN'], 'VDAB', 'org-vdab'));
    for (const action of ['create', 'delete'] as const) {
      expect(vdabAdmin.can(action, certification('worker', ranst))).toBe(true);
      expect(vdabAdmin.can(action, certification('mediator', 'org-vdab'))).toBe(true);
      expect(vdabAdmin.can(action, certification('me', 'org-vdab'))).toBe(false);
    }
    for (const other of [
      who(['ORG_ADMIN']),
      who(['MEDIATOR', 'TEAM_LEAD'], 'VDAB', 'org-vdab'),
      who(['PLATFORM_ADMIN', 'ORG_ADMIN'], 'PLATFORM', 'org-platform'),
    ]) {
      expect(defineAbilityFor(other).can('create', certification('worker', ranst))).toBe(false);
      expect(defineAbilityFor(other).can('delete', certification('worker', ranst))).toBe(false);
    }
  });

  it('team leads and privacy officers read their organisation’s staff but change nothing', () => {
    for (const role of ['TEAM_LEAD', 'PRIVACY_OFFICER'] as const) {
      const ability = defineAbilityFor(who([role]));
      expect(ability.can('read', user('colleague', ranst))).toBe(true);
      expect(ability.can('read', user('other', schelle))).toBe(false);
      expect(ability.can('update', user('colleague', ranst))).toBe(false);
    }
  });

  it('a platform admin manages organisations, accounts and agreements, but only when in the PLATFORM organisation', () => {
    const admin = defineAbilityFor(who(['PLATFORM_ADMIN'], 'PLATFORM', 'org-platform'));
    expect(admin.can('create', 'Organisation')).toBe(true);
    expect(admin.can('update', user('x', schelle))).toBe(true);
    expect(admin.can('grant', grant('PLATFORM_ADMIN', 'org-platform', 'PLATFORM'))).toBe(true);
    // A PLATFORM_ADMIN row that somehow exists elsewhere grants nothing extra.
    const misplaced = defineAbilityFor(who(['PLATFORM_ADMIN'], 'OCMW'));
    expect(misplaced.can('create', 'Organisation')).toBe(false);
    expect(misplaced.can('read', user('x', schelle))).toBe(false);
  });

  it('only a privacy officer erases a file, her own organisation’s; admins set retention, privacy officers read it', () => {
    const file = (organisationId: string) => subject('ClientFile', { organisationId });
    const retention = (organisationId: string) => subject('RetentionSetting', { organisationId });
    const officer = defineAbilityFor(who(['PRIVACY_OFFICER']));
    expect(officer.can('delete', file(ranst))).toBe(true);
    expect(officer.can('delete', file(schelle))).toBe(false);
    expect(officer.can('read', 'Erasure')).toBe(true);
    expect(officer.can('read', retention(ranst))).toBe(true);
    expect(officer.can('update', retention(ranst))).toBe(false);
    const others: Array<[Identity['roles'], Identity['organisationKind']]> = [
      [['SOCIAL_WORKER'], 'OCMW'],
      [['TEAM_LEAD'], 'OCMW'],
      [['ORG_ADMIN'], 'OCMW'],
      [['PLATFORM_ADMIN', 'ORG_ADMIN'], 'PLATFORM'],
    ];
    for (const [roles, kind] of others) {
      const ability = defineAbilityFor(who(roles, kind));
      expect(ability.can('delete', file(ranst))).toBe(false);
      expect(ability.can('read', 'Erasure')).toBe(false);
    }
    const admin = defineAbilityFor(who(['ORG_ADMIN']));
    expect(admin.can('update', retention(ranst))).toBe(true);
    expect(admin.can('update', retention(schelle))).toBe(false);
    expect(defineAbilityFor(who(['SOCIAL_WORKER'])).can('read', retention(ranst))).toBe(false);
  });

  describe('client data', () => {
    const vdab = 'org-vdab';
    const today = '2026-11-23';
    const mediator = (extra: Partial<Identity> = {}) =>
      defineAbilityFor({
        ...who(['MEDIATOR'], 'VDAB', vdab),
        purpose: 'MEDIATION',
        today,
        certifications: [{ kind: 'PARTNER_PORTAL_BASIC', obtainedOn: '2026-01-01', expiresOn: '2027-01-01' }],
        ...extra,
      });
    const current = { validFrom: '2026-01-01', validUntil: '9999-12-31' };
    const facts = (category: ClientSectionSubject['category'], change: Partial<ClientSectionSubject> = {}) =>
      subject('ClientSection', {
        organisationId: ranst,
        personId: 'p1',
        category,
        involvements: [{ organisationId: vdab, purpose: 'MEDIATION', ended: false, recordedByOwner: true, ...current }],
        agreementFlows: [
          { toOrganisationId: vdab, categories: ['IDENTITY', 'WELFARE'], purposes: ['MEDIATION'], activated: true, terminated: false, ...current },
        ],
        consents: [
          {
            recipientOrganisationIds: [vdab],
            purposes: ['MEDIATION'],
            categories: ['IDENTITY', 'WELFARE'],
            legalBasis: 'PUBLIC_TASK_NOTICE',
            revoked: false,
            ...current,
          },
        ],
        ...change,
      } as ClientSectionSubject);

    it('opens a partner category only when involvement, agreement flow and consent all name it', () => {
      expect(mediator().can('read', facts('IDENTITY'))).toBe(true);
      expect(mediator().can('read', facts('CONTACT'))).toBe(false); // in neither flow nor consent
      expect(mediator().can('read', facts('IDENTITY', { involvements: [] }))).toBe(false);
      // an involvement the caller's organisation recorded itself is no ground for the owner's data
      const selfRecorded = [{ organisationId: vdab, purpose: 'MEDIATION' as const, ended: false, recordedByOwner: false, ...current }];
      expect(mediator().can('read', facts('IDENTITY', { involvements: selfRecorded }))).toBe(false);
      expect(mediator().can('read', facts('IDENTITY', { agreementFlows: [] }))).toBe(false);
      expect(mediator().can('read', facts('IDENTITY', { consents: [] }))).toBe(false);
    });

    it('breaks the glass only for a certified user inside the time box, never for WELFARE', () => {
      const now = '2026-11-23T10:00:00.000Z';
      const glass = (category: ClientSectionSubject['category']) =>
        facts(category, {
          involvements: [],
          consents: [],
          breakGlass: [
            {
              organisationId: vdab,
              userId: 'me',
              categories: ['CONTACT', 'WELFARE'],
              grantedAt: '2026-11-23T09:30:00.000Z',
              expiresAt: '2026-11-23T10:30:00.000Z',
            },
          ],
          agreementLinks: [{ activated: true, terminated: false, ...current }],
        });
      const lapsed = { certifications: [{ kind: 'PARTNER_PORTAL_BASIC' as const, obtainedOn: '2024-01-01', expiresOn: '2026-11-22' }] };
      expect(mediator({ now, purpose: undefined }).can('read', glass('CONTACT'))).toBe(true);
      expect(mediator({ now }).can('read', glass('WELFARE'))).toBe(false);
      expect(mediator({ now, ...lapsed }).can('read', glass('CONTACT'))).toBe(false);
      expect(mediator({ now: '2026-11-23T10:30:00.000Z' }).can('read', glass('CONTACT'))).toBe(false);
      expect(mediator({ now }).can('create', 'BreakGlass')).toBe(true);
      expect(mediator({ now, ...lapsed }).can('create', 'BreakGlass')).toBe(false);
    });

    it('keeps WELFARE closed under a notice, and everything closed without purpose or current certification', () => {
      expect(mediator().can('read', facts('WELFARE'))).toBe(false);
      expect(mediator({ purpose: undefined }).can('read', facts('IDENTITY'))).toBe(false);
      expect(mediator({ purpose: 'TWE' }).can('read', facts('IDENTITY'))).toBe(false);
      expect(
        mediator({ certifications: [{ kind: 'PARTNER_PORTAL_BASIC', obtainedOn: '2024-01-01', expiresOn: '2026-11-22' }] }).can('read', facts('IDENTITY')),
      ).toBe(false);
    });

    it('gives case workers their own files, and never privacy officers, admins or platform admins', () => {
      const own = subject('ClientSection', { organisationId: vdab, category: 'WELFARE' } as ClientSectionSubject);
      expect(mediator({ certifications: [], purpose: undefined }).can('read', own)).toBe(true);
      for (const roles of [['PRIVACY_OFFICER'], ['ORG_ADMIN']] as const) {
        expect(defineAbilityFor(who([...roles], 'VDAB', vdab)).can('read', own)).toBe(false);
        expect(defineAbilityFor(who([...roles], 'VDAB', vdab)).can('read', 'ClientFile')).toBe(false);
      }
      const platform = defineAbilityFor(who(['PLATFORM_ADMIN', 'ORG_ADMIN'], 'PLATFORM', 'org-platform'));
      expect(platform.can('read', 'ClientFile')).toBe(false);
      expect(platform.can('read', facts('IDENTITY'))).toBe(false);
    });
  });
});
