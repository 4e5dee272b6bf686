import { PasswordHasher } from '@app/auth';
import { RequestTransaction, belgianToday, type CertificationKind, type RequestContext, type Role, type Tx } from '@app/kernel';
import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import type { Organisation } from '../organisations/organisation.js';
import { EARLIEST_DATE, LATEST_DATE } from '@app/kernel';
import { Conflict, Forbidden, InvalidInput, NotFound, VersionMismatch, isUniqueViolation, type FieldProblem } from '@app/kernel';
import type { CertificationInput, NewUser, StaffCard, User, UserCertification, UserChanges, UserSettings } from './user.js';
import { UserRepository } from './user.repository.js';

@Injectable()
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly organisations: OrganisationRepository,
    private readonly hasher: PasswordHasher,
    private readonly transaction: RequestTransaction,
  ) {}

  /** The caller's own account, with organisation; what `GET /me` shows. */
  me(ctx: RequestContext): Promise<{ user: User; organisation: Organisation; settings: UserSettings }> {
    return this.transaction.run(ctx, async (tx) => {
      // One connection runs one statement at a time: sequential, not Promise.all.
      const user = await this.users.findVisible(tx, ctx, ctx.userId);
      const organisation = await this.organisations.findVisible(tx, ctx, ctx.organisationId);
      if (!user || !organisation) throw new NotFound('user');
      return { user, organisation, settings: await this.users.settings(tx, ctx.userId) };
    });
  }

  /** The caller changes their own settings (language, daily digest); audited like any account change. */
  async changeMySettings(ctx: RequestContext, changes: Partial<UserSettings>): Promise<void> {
    await this.transaction.run(ctx, async (tx) => {
      await this.users.putSettings(tx, ctx.userId, changes);
      const categories = Object.keys(changes).filter((k) => changes[k as keyof UserSettings] !== undefined);
      tx.audit({ action: 'user.settings', decision: 'ALLOW', resourceType: 'User', resourceId: ctx.userId, categories });
    });
  }

  listByOrganisation(ctx: RequestContext, organisationId: string): Promise<User[]> {
    return this.transaction.run(ctx, async (tx) => {
      await this.assertMayManageIn(tx, ctx, organisationId, 'read');
      return this.users.listByOrganisation(tx, ctx, organisationId);
    });
  }

  /**
   * Contact cards of an organisation's case workers: one's own team (to assign work to) and the
   * partners an active agreement links one's organisation with (who to call about a handover).
   */
  staff(ctx: RequestContext, organisationId: string): Promise<StaffCard[]> {
    return this.transaction.run(ctx, async (tx) => {
      if (!(await this.organisations.findVisible(tx, ctx, organisationId))) throw new NotFound('organisation');
      return this.users.staffCards(tx, ctx, organisationId);
    });
  }

  get(ctx: RequestContext, id: string): Promise<User> {
    return this.transaction.run(ctx, async (tx) => {
      const user = await this.users.findVisible(tx, ctx, id);
      if (!user) throw new NotFound('user');
      return user;
    });
  }

  create(ctx: RequestContext, organisationId: string, input: NewUser): Promise<User> {
    return this.transaction.run(ctx, async (tx) => {
      const organisation = await this.assertMayManageIn(tx, ctx, organisationId, 'create');
      if (!organisation.active) throw new Conflict('organisation-inactive');
      refuseCertifications(input.certifications);
      this.assertMayGrant(ctx, organisation, '', [], input.roles);
      const passwordHash = await this.hasher.hash(input.password);
      let id: string;
      try {
        id = await this.users.insert(tx, organisationId, input.email.trim(), input.displayName.trim(), passwordHash, input.workPhone?.trim() ?? null);
      } catch (error) {
        throw isUniqueViolation(error, 'app_user_email_key') ? new Conflict('email-taken', 'email') : error;
      }
      await this.users.replaceRoles(tx, id, input.roles);
      // Ids and role names only: never the e-mail, the name or the password.
      tx.audit({ action: 'user.create', decision: 'ALLOW', resourceType: 'User', resourceId: id, categories: roleList('AFTER', input.roles) });
      return (await this.users.findVisible(tx, ctx, id))!;
    });
  }

  update(ctx: RequestContext, id: string, changes: UserChanges, expectedVersion: number): Promise<User> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.users.findVisible(tx, ctx, id, 'update');
      if (!current) {
        // Visible but not editable (e.g. a team lead, or one's own account) is a 403; invisible is a 404.
        if (await this.users.findVisible(tx, ctx, id)) throw new Forbidden('forbidden');
        throw new NotFound('user');
      }
      if (expectedVersion !== current.version) throw new VersionMismatch(current.version);
      refuseCertifications(changes.certifications);
      if (id === ctx.userId && changes.active === false) throw new InvalidInput([{ field: 'active', code: 'cannot-deactivate-self' }]);
      if (changes.roles) {
        const organisation = (await this.organisations.findVisible(tx, ctx, current.organisationId))!;
        this.assertMayGrant(ctx, organisation, id, current.roles, changes.roles);
      }

      const endSessions = changes.active === false || changes.password !== undefined;
      const displayName = changes.displayName?.trim();
      const revokedSessions = await this.users.update(tx, id, current.version, {
        displayName,
        workPhone: changes.workPhone === undefined ? undefined : (changes.workPhone?.trim() ?? null),
        active: changes.active,
        passwordHash: changes.password === undefined ? undefined : await this.hasher.hash(changes.password),
        endSessions,
      });
      if (!revokedSessions) throw new VersionMismatch(current.version);
      if (changes.roles) await this.users.replaceRoles(tx, id, changes.roles);

      // One audit event per kind of change, with ids and role names only (never a name, e-mail or password).
      const about = { decision: 'ALLOW', resourceType: 'User', resourceId: id } as const;
      if (displayName !== undefined && displayName !== current.displayName) tx.audit({ ...about, action: 'user.update', categories: ['displayName'] });
      if (changes.workPhone !== undefined && (changes.workPhone?.trim() ?? null) !== current.workPhone)
        tx.audit({ ...about, action: 'user.update', categories: ['workPhone'] });
      if (changes.roles && !sameRoles(current.roles, changes.roles)) {
        tx.audit({ ...about, action: 'user.roles-change', categories: [...roleList('BEFORE', current.roles), ...roleList('AFTER', changes.roles)] });
      }
      if (changes.password !== undefined) tx.audit({ ...about, action: 'user.password-change' });
      if (changes.active !== undefined && changes.active !== current.active)
        tx.audit({ ...about, action: changes.active ? 'user.activate' : 'user.deactivate' });
      for (const session of revokedSessions) {
        tx.audit({ action: 'auth.session-revoke', decision: 'ALLOW', resourceType: 'Session', resourceId: session, categories: ['ACCOUNT_CHANGED'] });
      }
      return (await this.users.findVisible(tx, ctx, id))!;
    });
  }

  /**
   * Records or renews a partner-portal certification of a user of any organisation (VDAB admins, never
   * on their own account), naming the caller and its organisation as the recorder. `created` is false
   * for a renewal.
   */
  recordCertification(
    ctx: RequestContext,
    userId: string,
    kind: CertificationKind,
    dates: CertificationInput,
  ): Promise<{ certification: UserCertification; created: boolean }> {
    return this.transaction.run(ctx, async (tx) => {
      const target = await this.mayCertify(tx, ctx, userId, 'create');
      const problems: FieldProblem[] = [];
      if (dates.obtainedOn < EARLIEST_DATE) problems.push({ field: 'obtainedOn', code: 'date-out-of-range', params: DATE_RANGE });
      else if (dates.obtainedOn > (ctx.today ?? belgianToday())) problems.push({ field: 'obtainedOn', code: 'obtained-in-future' });
      if (dates.expiresOn > LATEST_DATE) problems.push({ field: 'expiresOn', code: 'date-out-of-range', params: DATE_RANGE });
      else if (dates.expiresOn <= dates.obtainedOn) problems.push({ field: 'expiresOn', code: 'expires-before-obtained' });
      if (problems.length > 0) throw new InvalidInput(problems);
      const { certification, replaced } = await this.users.putCertification(tx, userId, kind, dates, {
        organisationId: ctx.organisationId,
        userId: ctx.userId,
      });
      if (!(await this.users.bumpVersion(tx, userId, target.version))) throw new VersionMismatch(target.version);
      tx.audit({
        action: replaced ? 'user.certification-renew' : 'user.certification-record',
        decision: 'ALLOW',
        resourceType: 'User',
        resourceId: userId,
        categories: [kind, `OBTAINED:${dates.obtainedOn}`, `EXPIRES:${dates.expiresOn}`],
      });
      return { certification, created: !replaced };
    });
  }

  /** Withdraws a partner-portal certification (VDAB admins, never on their own account). */
  withdrawCertification(ctx: RequestContext, userId: string, kind: CertificationKind): Promise<void> {
    return this.transaction.run(ctx, async (tx) => {
      const target = await this.mayCertify(tx, ctx, userId, 'delete');
      const [withdrawn] = await this.users.removeCertification(tx, userId, kind);
      if (!withdrawn) throw new NotFound('certification');
      if (!(await this.users.bumpVersion(tx, userId, target.version))) throw new VersionMismatch(target.version);
      tx.audit({ action: 'user.certification-withdraw', decision: 'ALLOW', resourceType: 'User', resourceId: userId, categories: [kind] });
    });
  }

  /** The account, locked; 404 when there is none, 403 when the caller may not certify it (its own). */
  private async mayCertify(tx: Tx, ctx: RequestContext, userId: string, action: 'create' | 'delete') {
    const target = await this.users.lockForCertification(tx, userId);
    if (!target) throw new NotFound('user');
    if (!ctx.ability.can(action, subject('Certification', { userId, organisationId: target.organisationId }))) {
      throw new Forbidden(userId === ctx.userId ? 'certification-self-record-forbidden' : 'forbidden');
    }
    return target;
  }

  /**
   * The organisation must be visible and the caller allowed to act on its users; another
   * organisation's staff is a 404, one's own without the right role a 403.
   */
  private async assertMayManageIn(tx: Tx, ctx: RequestContext, organisationId: string, action: 'read' | 'create'): Promise<Organisation> {
    const organisation = await this.organisations.findVisible(tx, ctx, organisationId);
    if (!organisation) throw new NotFound('organisation');
    if (!ctx.ability.can(action, subject('User', { id: '', organisationId }))) {
      if (organisationId === ctx.organisationId) throw new Forbidden('forbidden');
      throw new NotFound('organisation');
    }
    return organisation;
  }

  /**
   * Every role added or removed must be grantable by the caller (see the RoleGrant rules in ability.ts:
   * nobody adds a role to their own account; platform admins give only ORG_ADMIN and PRIVACY_OFFICER
   * outside the platform organisation); PLATFORM_ADMIN lives only in the PLATFORM organisation.
   */
  private assertMayGrant(ctx: RequestContext, organisation: Organisation, userId: string, before: readonly Role[], after: readonly Role[]): void {
    const changes = [
      ...after.filter((r) => !before.includes(r)).map((role) => ({ role, change: 'ADD' as const })),
      ...before.filter((r) => !after.includes(r)).map((role) => ({ role, change: 'REMOVE' as const })),
    ];
    // Those who may hand out PLATFORM_ADMIN at all learn where it may go; everyone else gets a 403 below.
    const grantsPlatformAdmin = ctx.ability.can(
      'grant',
      subject('RoleGrant', { role: 'PLATFORM_ADMIN', change: 'ADD', userId: '', organisationId: ctx.organisationId, organisationKind: 'PLATFORM' } as const),
    );
    if (grantsPlatformAdmin && after.includes('PLATFORM_ADMIN') && organisation.kind !== 'PLATFORM') {
      throw new InvalidInput([{ field: 'roles', code: 'platform-admin-only-in-platform' }]);
    }
    for (const { role, change } of changes) {
      const grant = subject('RoleGrant', { role, change, userId, organisationId: organisation.id, organisationKind: organisation.kind });
      if (ctx.ability.can('grant', grant)) continue;
      throw new Forbidden(userId === ctx.userId && change === 'ADD' ? 'role-self-grant-forbidden' : 'role-grant-forbidden', { role });
    }
  }
}

/** Roles as audit categories, in a stable order: `BEFORE:ORG_ADMIN`, `AFTER:SOCIAL_WORKER`. */
function roleList(when: 'BEFORE' | 'AFTER', roles: readonly Role[]): string[] {
  return [...roles].sort().map((role) => `${when}:${role}`);
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === new Set(b).size && b.every((role) => a.includes(role));
}

/** Dates a certification may carry: the service's one date range (shared/dates.ts). */
const DATE_RANGE = { min: EARLIEST_DATE, max: LATEST_DATE };

/** Certifications are recorded by VDAB through their own endpoint, never with the account (a 400 that says so). */
function refuseCertifications(certifications: unknown): void {
  if (certifications !== undefined) throw new InvalidInput([{ field: 'certifications', code: 'certifications-recorded-by-vdab' }]);
}
