import { PasswordHasher } from '@app/auth';
import { type OrganisationKind, type Role } from '@app/kernel';
import type { DataSource } from 'typeorm';
import { kboFromBase } from '@app/domain';
import { demoSharingSeeded, seedDemoSharing } from './demo-clients.js';

/** The password of every demo account. For local use only: the seed refuses to run in production. */
export const DEMO_PASSWORD = 'Demo-Partner-2026';

interface DemoOrganisation {
  slug: string;
  name: string;
  kind: OrganisationKind;
  kboBase: string;
  nisCode?: string;
  parent?: string;
}

interface DemoUser {
  email: string;
  displayName: string;
  roles: Role[];
  /** holds a valid PARTNER_PORTAL_BASIC certification */
  certified?: boolean;
}

/** The seven local governments of the 2020-2025 VDAB Antwerpen cooperation agreement, with their NIS codes. */
const MUNICIPALITIES: Array<[string, string]> = [
  ['Kalmthout', '11022'],
  ['Ranst', '11037'],
  ['Schelle', '11038'],
  ['Schilde', '11039'],
  ['Wijnegem', '11050'],
  ['Zandhoven', '11054'],
  ['Zoersel', '11055'],
];

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { slug: 'platform', name: 'Casework Platform (operator)', kind: 'PLATFORM', kboBase: '09990001' },
  { slug: 'vdab', name: 'VDAB', kind: 'VDAB', kboBase: '09990002' },
  { slug: 'vdab-antwerpen', name: 'VDAB Antwerpen', kind: 'VDAB', kboBase: '09990003', parent: 'vdab' },
  ...MUNICIPALITIES.flatMap(([name, nis], i): DemoOrganisation[] => [
    { slug: `gemeente-${name.toLowerCase()}`, name: `Gemeente ${name}`, kind: 'MUNICIPALITY', kboBase: `099901${i}0`, nisCode: nis },
    {
      slug: `ocmw-${name.toLowerCase()}`,
      name: `OCMW ${name}`,
      kind: 'OCMW',
      kboBase: `099901${i}1`,
      nisCode: nis,
      parent: `gemeente-${name.toLowerCase()}`,
    },
  ]),
  { slug: 'kina', name: 'KINA (sociale economie regio Antwerpen)', kind: 'SOCIAL_ECONOMY_DIRECTOR', kboBase: '09990201' },
  { slug: 'rva-antwerpen', name: 'RVA Antwerpen', kind: 'RVA', kboBase: '09990202' },
  { slug: 'pwa-ranst', name: 'PWA Ranst', kind: 'PWA', kboBase: '09990203', nisCode: '11037' },
  { slug: 'atb-antwerpen', name: 'ATB Antwerpen', kind: 'ATB', kboBase: '09990204' },
];

/** Fictional staff; admins for every organisation are added below. */
const DEMO_STAFF: Record<string, DemoUser[]> = {
  platform: [{ email: 'admin@platform.demo', displayName: 'Pieter Platformbeheer', roles: ['PLATFORM_ADMIN', 'ORG_ADMIN'] }],
  'ocmw-ranst': [
    { email: 'social.worker@ocmw-ranst.demo', displayName: 'Sanne Verlinden', roles: ['SOCIAL_WORKER'], certified: true },
    { email: 'trajectory.guide@ocmw-ranst.demo', displayName: 'Jonas Wouters', roles: ['TRAJECTORY_GUIDE'], certified: true },
    { email: 'privacy@ocmw-ranst.demo', displayName: 'Lotte Aerts', roles: ['PRIVACY_OFFICER'] },
  ],
  'ocmw-schelle': [{ email: 'social.worker@ocmw-schelle.demo', displayName: 'Ruben De Smet', roles: ['SOCIAL_WORKER'], certified: true }],
  'atb-antwerpen': [{ email: 'coach@atb-antwerpen.demo', displayName: 'Hanne Lemmens', roles: ['TRAJECTORY_GUIDE'], certified: true }],
  'ocmw-zoersel': [{ email: 'social.worker@ocmw-zoersel.demo', displayName: 'Elif Yilmaz', roles: ['SOCIAL_WORKER'], certified: true }],
  'vdab-antwerpen': [
    { email: 'mediator@vdab-antwerpen.demo', displayName: 'Nadia El Amrani', roles: ['MEDIATOR'], certified: true },
    { email: 'mediator2@vdab-antwerpen.demo', displayName: 'Tom Van Hoeck', roles: ['MEDIATOR'], certified: true },
    { email: 'team.lead@vdab-antwerpen.demo', displayName: 'Katrien Mertens', roles: ['TEAM_LEAD'], certified: true },
    { email: 'privacy@vdab-antwerpen.demo', displayName: 'Bart Goossens', roles: ['PRIVACY_OFFICER'] },
    { email: 'analyst@vdab-antwerpen.demo', displayName: 'Wim Claes', roles: ['ANALYST'] },
  ],
};

/** The demo's region: the seven municipalities of the agreement and the regional partners without one. */
const DEMO_REGION = { name: 'Regio Antwerpen', partners: ['vdab-antwerpen', 'kina', 'rva-antwerpen', 'atb-antwerpen'] };

export function demoUsers(): Array<DemoUser & { organisation: string }> {
  return DEMO_ORGANISATIONS.flatMap((org) => {
    const staff = DEMO_STAFF[org.slug] ?? [];
    const admin = staff.some((u) => u.email === `admin@${org.slug}.demo`)
      ? []
      : [{ email: `admin@${org.slug}.demo`, displayName: `Beheerder ${org.name}`, roles: ['ORG_ADMIN'] as Role[] }];
    return [...admin, ...staff].map((user) => ({ ...user, organisation: org.slug }));
  });
}

/**
 * Seeds the demo partnership once (organisations, staff, agreements, clients, consents, involvements): a
 * second run finds it and does nothing; a database seeded by an earlier version gets what it lacks.
 * One transaction under an advisory lock, so two processes starting together cannot half-seed.
 */
export async function seedDemoPartnership(dataSource: DataSource, options: { production: boolean }): Promise<'seeded' | 'already-seeded'> {
  if (options.production) throw new Error('The demo seed refuses to run with NODE_ENV=production.');
  const hasher = new PasswordHasher();
  return dataSource.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('casework:demo-seed'))`);
    const platformKbo = kboFromBase(DEMO_ORGANISATIONS[0].kboBase);
    const existing = await tx.query(`SELECT 1 FROM organisation WHERE kbo_number = $1`, [platformKbo]);
    if (existing.length > 0) {
      const ids = new Map<string, string>();
      for (const org of DEMO_ORGANISATIONS) {
        const [row] = await tx.query(`SELECT id FROM organisation WHERE kbo_number = $1`, [kboFromBase(org.kboBase)]);
        if (row) ids.set(org.slug, row.id);
      }
      // A database seeded before regions and analysts existed gets them once.
      const added = await seedDemoRegion(tx, ids);
      if (!(await tx.query(`SELECT 1 FROM app_user WHERE email = 'analyst@vdab-antwerpen.demo'`)).length && ids.has('vdab-antwerpen')) {
        const [row] = await tx.query(
          `INSERT INTO app_user (organisation_id, email, display_name, password_hash) VALUES ($1, $2, 'Wim Claes', $3) RETURNING id`,
          [ids.get('vdab-antwerpen'), 'analyst@vdab-antwerpen.demo', await hasher.hash(DEMO_PASSWORD)],
        );
        await tx.query(`INSERT INTO user_role (user_id, role) VALUES ($1, 'ANALYST')`, [row.id]);
      }
      // A database seeded before clients existed gets the sharing part of the demo once.
      if (await demoSharingSeeded(tx)) return added ? 'seeded' : 'already-seeded';
      const users = await tx.query(`SELECT id, email FROM app_user WHERE email = ANY ($1)`, [demoUsers().map((u) => u.email)]);
      await seedDemoSharing(tx, ids, new Map(users.map((u: { id: string; email: string }) => [u.email, u.id])));
      return 'seeded';
    }

    const ids = new Map<string, string>();
    for (const org of DEMO_ORGANISATIONS) {
      const [row] = await tx.query(`INSERT INTO organisation (name, kind, kbo_number, nis_code, parent_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
        org.name,
        org.kind,
        kboFromBase(org.kboBase),
        org.nisCode ?? null,
        org.parent ? ids.get(org.parent) : null,
      ]);
      ids.set(org.slug, row.id);
    }
    const passwordHash = await hasher.hash(DEMO_PASSWORD);
    const userIds = new Map<string, string>();
    for (const user of demoUsers()) {
      const [row] = await tx.query(`INSERT INTO app_user (organisation_id, email, display_name, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`, [
        ids.get(user.organisation),
        user.email,
        user.displayName,
        passwordHash,
      ]);
      userIds.set(user.email, row.id);
      await tx.query(`INSERT INTO user_role (user_id, role) SELECT $1, unnest($2::text[])`, [row.id, user.roles]);
      if (user.certified) {
        await tx.query(
          `INSERT INTO user_certification (user_id, kind, obtained_on, expires_on)
           VALUES ($1, 'PARTNER_PORTAL_BASIC', current_date - 120, current_date + 610)`,
          [row.id],
        );
      }
    }
    // Certifications are VDAB's to record: the demo's were recorded by VDAB's own admin.
    await tx.query(
      `UPDATE user_certification SET recorded_by_organisation_id = $2, recorded_by_user_id = $1, recorded_at = now()
        WHERE user_id = ANY ($3) AND recorded_by_user_id IS NULL`,
      [userIds.get('admin@vdab.demo'), ids.get('vdab'), [...userIds.values()]],
    );
    await seedDemoSharing(tx, ids, userIds);
    await seedDemoRegion(tx, ids);
    return 'seeded';
  });
}

/** The demo region, once: false when there already is one. */
async function seedDemoRegion(tx: { query(sql: string, params?: unknown[]): Promise<any[]> }, ids: Map<string, string>): Promise<boolean> {
  if ((await tx.query(`SELECT 1 FROM region LIMIT 1`)).length > 0) return false;
  const [region] = await tx.query(`INSERT INTO region (name) VALUES ($1) RETURNING id`, [DEMO_REGION.name]);
  await tx.query(`INSERT INTO region_municipality (nis_code, region_id) SELECT unnest($2::text[]), $1`, [region.id, MUNICIPALITIES.map(([, nis]) => nis)]);
  const partners = DEMO_REGION.partners.map((slug) => ids.get(slug)).filter((id): id is string => id !== undefined);
  await tx.query(`INSERT INTO region_organisation (organisation_id, region_id) SELECT unnest($2::uuid[]), $1`, [region.id, partners]);
  await tx.query(`SELECT indicator_mark_all()`);
  return true;
}
