import { PasswordHasher, RequestTransaction, type RequestContext, type Role, type Tx } from '@app/auth';
import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import type { Organisation } from '../organisations/organisation.js';
import { Conflict, Forbidden, InvalidInput, NotFound, VersionMismatch, isUniqueViolation, type FieldProblem } from '../shared/errors.js';
import type { CertificationInput, NewUser, User, UserChanges } from './user.js';
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
  me(ctx: RequestContext): Promise<{ user: User; organisation: Organisation }> {
    return this.transaction.run(ctx, async (tx) => {
      // One connection runs one statement at a time: sequential, not Promise.all.
      const user = await this.users.findVisible(tx, ctx, ctx.userId);
      const organisation = await this.organisations.findVisible(tx, ctx, ctx.organisationId);
      if (!user || !organisation) throw new NotFound('user');
      return { user, organisation };
    });
  }

  listByOrganisation(ctx: RequestContext, organisationId: string): Promise<User[]> {
    return this.transaction.run(ctx, async (tx) => {
      await this.assertMayManageIn(tx, ctx, organisationId, 'read');
      return this.users.listByOrganisation(tx, ctx, organisationId);
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
      this.assertMayGrant(ctx, organisation, '', [], input.roles);
      checkCertifications(input.certifications ?? []);
      const passwordHash = await this.hasher.hash(input.password);
      let id: string;
      try {
        id = await this.users.insert(tx, organisationId, input.email.trim(), input.displayName.trim(), passwordHash);
      } catch (error) {
        throw isUniqueViolation(error, 'app_user_email_key') ? new Conflict('email-taken', 'email') : error;
      }
      await this.users.replaceRoles(tx, id, input.roles);
      await this.users.replaceCertifications(tx, id, input.certifications ?? []);
      return (await this.users.findVisible(tx, ctx, id))!;
    });
  }

  update(ctx: RequestContext, id: string, changes: UserChanges, expectedVersion?: number): Promise<User> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.users.findVisible(tx, ctx, id, 'update');
      if (!current) {
        // Visible but not editable (e.g. a team lead, or one's own account) is a 403; invisible is a 404.
        if (await this.users.findVisible(tx, ctx, id)) throw new Forbidden('forbidden');
        throw new NotFound('user');
      }
      if (expectedVersion !== undefined && expectedVersion !== current.version) throw new VersionMismatch(current.version);
      if (id === ctx.userId && changes.active === false) throw new InvalidInput([{ field: 'active', code: 'cannot-deactivate-self' }]);
      if (changes.roles) {
        const organisation = (await this.organisations.findVisible(tx, ctx, current.organisationId))!;
        this.assertMayGrant(ctx, organisation, id, current.roles, changes.roles);
      }
      if (changes.certifications) checkCertifications(changes.certifications);

      const endSessions = changes.active === false || changes.password !== undefined;
      const updated = await this.users.update(tx, id, current.version, {
        displayName: changes.displayName?.trim(),
        active: changes.active,
        passwordHash: changes.password === undefined ? undefined : await this.hasher.hash(changes.password),
        endSessions,
      });
      if (!updated) throw new VersionMismatch(current.version);
      if (changes.roles) await this.users.replaceRoles(tx, id, changes.roles);
      if (changes.certifications) await this.users.replaceCertifications(tx, id, changes.certifications);
      return (await this.users.findVisible(tx, ctx, id))!;
    });
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

function checkCertifications(certifications: readonly CertificationInput[]): void {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  certifications.forEach((c, i) => {
    if (c.expiresOn <= c.obtainedOn) problems.push({ field: `certifications[${i}].expiresOn`, code: 'expires-before-obtained' });
    if (seen.has(c.kind)) problems.push({ field: `certifications[${i}].kind`, code: 'duplicate-certification' });
    seen.add(c.kind);
  });
  if (problems.length > 0) throw new InvalidInput(problems);
}
