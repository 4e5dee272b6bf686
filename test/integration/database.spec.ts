import { randomUUID } from 'node:crypto';
import { accessibleWhere, defineAbilityFor } from '@app/access';
import { type Identity } from '@app/kernel';
import { DEMO_PASSWORD, seedDemoPartnership } from '../../apps/api/src/seed/demo-partnership.js';
import { subject } from '@casl/ability';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../apps/api/src/database/data-source.js';
import { createTestDatabase } from '../support/test-app.js';

describe('database', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url, 2);
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('the CASL -> SQL push-down selects exactly the rows ability.can allows', async () => {
    const orgs = [randomUUID(), randomUUID()];
    const rows = [0, 1, 2, 3].map((i) => ({ id: randomUUID(), organisationId: orgs[i % 2] }));
    const identities: Identity[] = [
      { userId: rows[0].id, organisationId: orgs[0], organisationKind: 'OCMW', roles: ['SOCIAL_WORKER'] },
      { userId: rows[0].id, organisationId: orgs[0], organisationKind: 'OCMW', roles: ['ORG_ADMIN'] },
      { userId: rows[1].id, organisationId: orgs[1], organisationKind: 'VDAB', roles: ['TEAM_LEAD', 'MEDIATOR'] },
      { userId: randomUUID(), organisationId: randomUUID(), organisationKind: 'PLATFORM', roles: ['PLATFORM_ADMIN'] },
    ];
    const values = rows.map((_, i) => `($${2 * i + 1}::uuid, $${2 * i + 2}::uuid)`).join(', ');
    const params = rows.flatMap((r) => [r.id, r.organisationId]);
    for (const identity of identities) {
      const ability = defineAbilityFor(identity);
      for (const action of ['read', 'update', 'create'] as const) {
        const filter = accessibleWhere(ability, action, 'User', { id: 'u.id', organisationId: 'u.organisation_id' }, params.length + 1);
        const selected = await ds.query(`SELECT u.id FROM (VALUES ${values}) AS u(id, organisation_id) WHERE ${filter.sql}`, [...params, ...filter.params]);
        const expected = rows.filter((r) => ability.can(action, subject('User', r))).map((r) => r.id);
        expect({ roles: identity.roles, action, ids: selected.map((r: { id: string }) => r.id).sort() }).toEqual({
          roles: identity.roles,
          action,
          ids: expected.sort(),
        });
      }
    }
  });

  it('request work runs as casework_app: no superuser, no RLS bypass, and no DELETE or TRUNCATE of tenants', async () => {
    await ds.transaction(async (tx) => {
      await tx.query('SET LOCAL ROLE casework_app');
      const [role] = await tx.query(`SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
      expect(role).toEqual({ name: 'casework_app', rolsuper: false, rolbypassrls: false });
      const [owner] = await tx.query(`SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'organisation'`);
      expect(owner.owner).not.toBe('casework_app');
    });
    for (const statement of ['DELETE FROM organisation', 'TRUNCATE app_user', 'DROP TABLE user_role']) {
      await expect(
        ds.transaction(async (tx) => {
          await tx.query('SET LOCAL ROLE casework_app');
          await tx.query(statement);
        }),
      ).rejects.toThrow(/permission denied|must be owner/);
    }
  });

  it('tenant settings are transaction-local and do not leak to the next user of a pooled connection', async () => {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`SELECT set_config('app.organisation_id', 'org-a', true)`);
      expect((await runner.query(`SELECT nullif(current_setting('app.organisation_id', true), '') AS org`))[0].org).toBe('org-a');
      await runner.commitTransaction();
      expect((await runner.query(`SELECT nullif(current_setting('app.organisation_id', true), '') AS org`))[0].org).toBeNull();
    } finally {
      await runner.release();
    }
  });

  it('the database itself refuses PLATFORM_ADMIN outside the PLATFORM organisation and bad KBO check digits', async () => {
    const [worker] = await ds.query(`SELECT id FROM app_user WHERE email = 'social.worker@ocmw-ranst.demo'`);
    await expect(ds.query(`INSERT INTO user_role (user_id, role) VALUES ($1, 'PLATFORM_ADMIN')`, [worker.id])).rejects.toThrow(/PLATFORM_ADMIN/);
    await expect(ds.query(`INSERT INTO organisation (name, kind, kbo_number) VALUES ('Bad', 'PWA', '0123456788')`)).rejects.toThrow(/check constraint/);
  });

  it('the demo seed runs once: a second run changes nothing', async () => {
    const count = async () =>
      (await ds.query(`SELECT (SELECT count(*) FROM organisation) AS o, (SELECT count(*) FROM app_user) AS u, (SELECT count(*) FROM user_role) AS r`))[0];
    const before = await count();
    expect(Number(before.u)).toBeGreaterThan(20);
    await expect(seedDemoPartnership(ds, { production: false })).resolves.toBe('already-seeded');
    expect(await count()).toEqual(before);
    await expect(seedDemoPartnership(ds, { production: true })).rejects.toThrow(/production/);
    expect(DEMO_PASSWORD).toBe('Demo-Partner-2026');
  });

  it('completes a database seeded before clients existed, once', async () => {
    const sharing = async () =>
      (await ds.query(`SELECT (SELECT count(*) FROM client_file)::int AS files, (SELECT count(*) FROM agreement)::int AS agreements`))[0];
    const full = await sharing();
    expect(full.files).toBe(20);
    // the state an earlier version left behind: organisations and staff, nothing else
    await ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(`TRUNCATE consent, involvement, client_section, client_identity, client_file, person, agreement_flow, agreement_party, agreement CASCADE`);
    });
    expect(await sharing()).toEqual({ files: 0, agreements: 0 });
    await expect(seedDemoPartnership(ds, { production: false })).resolves.toBe('seeded');
    expect(await sharing()).toEqual(full);
    await expect(seedDemoPartnership(ds, { production: false })).resolves.toBe('already-seeded');
  });
});
