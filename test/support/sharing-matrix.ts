import { randomUUID } from 'node:crypto';
import { DATA_CATEGORIES, PURPOSES, belgianToday, type DataCategory, type OrganisationKind, type Purpose, type Role } from '@app/kernel';
import { inszFor, kboFromBase } from '@app/domain';
import argon2 from 'argon2';
import type { DataSource } from 'typeorm';

/**
 * A generated fixture for the sharing rule: organisations of every kind, users of every role and
 * certification state, and persons whose files, involvements, agreements and consents vary over
 * every state the rule distinguishes. Written straight into the database (as the owner, set-based);
 * `oracle()` below is an independent reading of the rule to hold the API and the SQL to.
 */

export const MATRIX_PASSWORD = 'Matrix-Fixture-2026';
const VIEWER_KINDS: OrganisationKind[] = ['VDAB', 'OCMW', 'MUNICIPALITY', 'RVA', 'PWA', 'ATB', 'SOCIAL_ECONOMY_DIRECTOR'];
const OWNER_KINDS: OrganisationKind[] = ['OCMW', 'VDAB', 'MUNICIPALITY'];
export const MATRIX_ROLES: Role[] = ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD', 'PRIVACY_OFFICER', 'ORG_ADMIN', 'ANALYST'];
const CERTIFICATIONS = ['NONE', 'BASIC', 'EXTENDED', 'EXPIRED_BASIC', 'FUTURE_EXTENDED'] as const;
type Certification = (typeof CERTIFICATIONS)[number];
const AGREEMENT_STATES = ['NONE', 'PENDING', 'ACTIVE', 'TERMINATED', 'EXPIRED', 'SCHEDULED', 'REVERSE_ONLY'] as const;
const INVOLVEMENT_STATES = ['NONE', 'ACTIVE', 'ENDED', 'EXPIRED', 'FUTURE', 'OTHER_ORG'] as const;
const CONSENT_STATES = ['NONE', 'ACTIVE', 'REVOKED', 'EXPIRED', 'FUTURE', 'OTHER_RECIPIENT'] as const;
export const HANDOVER_STATUSES = ['DRAFT', 'SENT', 'INFO_REQUESTED', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED', 'COMPLETED'] as const;
export const HANDOVER_KINDS = ['WARM_HANDOVER', 'NOT_YET_READY', 'ADVICE_REQUEST'] as const;
/** the purpose a handover's kind states: its receiver reads for that purpose only */
export const HANDOVER_PURPOSE: Record<(typeof HANDOVER_KINDS)[number], Purpose> = {
  WARM_HANDOVER: 'MEDIATION',
  NOT_YET_READY: 'MEDIATION',
  ADVICE_REQUEST: 'ADVICE',
};

export interface MatrixOrg {
  id: string;
  kind: OrganisationKind;
  name: string;
}
export interface MatrixUser {
  id: string;
  email: string;
  organisationId: string;
  role: Role;
  certification: Certification;
}
export interface MatrixAgreement {
  id: string;
  owner: string;
  viewer: string;
  state: (typeof AGREEMENT_STATES)[number];
  purposes: Purpose[];
  categories: DataCategory[];
}
/** A handover of the owner about the scenario's person (to the viewer or to another organisation). */
export interface MatrixHandover {
  id: string;
  kind: (typeof HANDOVER_KINDS)[number];
  from: string;
  to: string;
  status: (typeof HANDOVER_STATUSES)[number];
  categories: DataCategory[];
  note: string;
}
export interface MatrixScenario {
  personId: string;
  insz: string;
  owner: string;
  viewer: string;
  user: MatrixUser;
  purpose: Purpose | null;
  /** the viewer's organisation also keeps a file of its own on the person */
  viewerOwnsFile: boolean;
  /** another viewer organisation, named by the OTHER_ORG involvement and the OTHER_RECIPIENT consent */
  other: string;
  /**
   * `recordedBy`: the organisation that recorded the involvement (default: the owner). Only the owner's
   * records are grounds for the owner's data: one recorded by the involved organisation itself or by a
   * third organisation opens nothing.
   */
  involvement: { state: (typeof INVOLVEMENT_STATES)[number]; purpose: Purpose; id: string; recordedBy?: string };
  consent: {
    state: (typeof CONSENT_STATES)[number];
    purposes: Purpose[];
    categories: DataCategory[];
    legalBasis: 'CONSENT' | 'PUBLIC_TASK_NOTICE';
    id: string;
  };
  /**
   * The owner's handovers about the person. An open one (SENT, INFO_REQUESTED) to the viewer is a ground
   * of its own for the categories it offers, for its kind's purpose, under the agreement and consent.
   */
  handovers: MatrixHandover[];
}
export interface Matrix {
  orgs: MatrixOrg[];
  users: MatrixUser[];
  agreements: MatrixAgreement[];
  scenarios: MatrixScenario[];
  today: string;
}

/** Small deterministic PRNG (mulberry32), so a failing case can be reproduced from the seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const subset = <T>(items: readonly T[]): T[] => {
    const chosen = items.filter(() => next() < 0.75);
    return chosen.length > 0 ? chosen : [pick(items)];
  };
  return { next, pick, subset };
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Distinct seven-digit KBO bases per fixture so several fixtures can live in one database. */
export function buildMatrix(seed: number, scenarioCount: number, tag: string): Matrix {
  const r = prng(seed);
  const today = belgianToday();
  const orgs: MatrixOrg[] = [];
  const owners = OWNER_KINDS.map((kind, i) => ({ id: randomUUID(), kind, name: `${tag} owner ${i} ${kind}` }));
  const viewers = VIEWER_KINDS.flatMap((kind, i) => [0, 1].map((n) => ({ id: randomUUID(), kind, name: `${tag} viewer ${i}.${n} ${kind}` })));
  orgs.push(...owners, ...viewers);
  const users: MatrixUser[] = viewers.flatMap((org, o) =>
    MATRIX_ROLES.flatMap((role) =>
      CERTIFICATIONS.map((certification) => ({
        id: randomUUID(),
        email: `${role.toLowerCase()}.${certification.toLowerCase()}.${o}@${tag}.matrix.test`,
        organisationId: org.id,
        role,
        certification,
      })),
    ),
  );
  // Staff of the owning organisations too: the owner's view, and what a privacy officer gets.
  users.push(
    ...owners.flatMap((org, o) =>
      (
        [
          ['SOCIAL_WORKER', 'BASIC'],
          ['PRIVACY_OFFICER', 'NONE'],
          ['ANALYST', 'NONE'], // figures only: not even the owner's own client data
        ] as const
      ).map(([role, certification]) => ({
        id: randomUUID(),
        email: `owner.${role.toLowerCase()}.${o}@${tag}.matrix.test`,
        organisationId: org.id,
        role,
        certification,
      })),
    ),
  );
  const agreements: MatrixAgreement[] = owners.flatMap((owner) =>
    viewers.map((viewer) => ({
      id: randomUUID(),
      owner: owner.id,
      viewer: viewer.id,
      state: r.next() < 0.6 ? 'ACTIVE' : r.pick(AGREEMENT_STATES),
      purposes: r.subset(PURPOSES),
      categories: r.subset(DATA_CATEGORIES),
    })),
  );
  const scenarios: MatrixScenario[] = [];
  for (let i = 0; i < scenarioCount; i++) {
    const owner = r.pick(owners);
    const viewer = r.pick(viewers);
    const other = r.pick(viewers.filter((v) => v.id !== viewer.id));
    // Bias towards the region where most conditions hold, so ALLOW cases are plentiful; every state still occurs.
    const likely = <T>(good: T, all: readonly T[]) => (r.next() < 0.7 ? good : r.pick(all));
    const staff = users.filter((u) => u.organisationId === viewer.id);
    const ready = staff.filter(
      (u) => ['SOCIAL_WORKER', 'MEDIATOR', 'TRAJECTORY_GUIDE', 'TEAM_LEAD'].includes(u.role) && ['BASIC', 'EXTENDED'].includes(u.certification),
    );
    const user = r.next() < 0.6 ? r.pick(ready) : r.pick(staff);
    const purpose = r.next() < 0.06 ? null : r.pick(PURPOSES);
    const involvementPurpose = purpose && r.next() < 0.8 ? purpose : r.pick(PURPOSES);
    const consentPurposes = r.subset(PURPOSES);
    if (purpose && r.next() < 0.6 && !consentPurposes.includes(purpose)) consentPurposes.push(purpose);
    const birth = addDays('1960-01-01', i % 15000);
    scenarios.push({
      personId: randomUUID(),
      insz: inszFor(birth, 500 + (seed % 400) + Math.floor(i / 15000)),
      owner: owner.id,
      viewer: viewer.id,
      other: other.id,
      user,
      purpose,
      viewerOwnsFile: r.next() < 0.08,
      involvement: { state: likely('ACTIVE', INVOLVEMENT_STATES), purpose: involvementPurpose, id: randomUUID() },
      consent: {
        state: likely('ACTIVE', CONSENT_STATES),
        purposes: consentPurposes,
        categories: r.subset(DATA_CATEGORIES),
        legalBasis: r.next() < 0.5 ? 'CONSENT' : 'PUBLIC_TASK_NOTICE',
        id: randomUUID(),
      },
      handovers: [],
    });
  }
  // Handovers, from a stream of their own so the draws above stay as they were: most to the viewer, for
  // the scenario's purpose, offering categories the agreement and consent name; every status occurs.
  const h = prng(seed ^ 0x4a4d);
  for (const s of scenarios) {
    if (h.next() < 0.55) continue;
    const to = h.next() < 0.85 ? s.viewer : s.other;
    const fitting = HANDOVER_KINDS.filter((k) => HANDOVER_PURPOSE[k] === s.purpose);
    const kind = fitting.length > 0 && h.next() < 0.75 ? h.pick(fitting) : h.pick(HANDOVER_KINDS);
    const status = h.next() < 0.6 ? h.pick(['SENT', 'INFO_REQUESTED'] as const) : h.pick(HANDOVER_STATUSES);
    const flow = agreements.find((a) => a.owner === s.owner && a.viewer === to)?.categories ?? [];
    const likelyShared = s.consent.categories.filter((k) => flow.includes(k));
    const categories = h.next() < 0.7 && likelyShared.length > 0 ? h.subset(likelyShared) : h.subset(DATA_CATEGORIES);
    const id = randomUUID();
    s.handovers.push({ id, kind, from: s.owner, to, status, categories, note: `HANDOVER-NOTE-${id.slice(0, 8)}` });
    // before the receiver accepts there is usually no involvement yet: the handover alone must open the file
    if (to === s.viewer && (status === 'SENT' || status === 'INFO_REQUESTED') && h.next() < 0.6) s.involvement.state = 'NONE';
  }
  // WELFARE only under explicit consent: the database refuses anything else, so the fixture does too.
  for (const s of scenarios) {
    if (s.consent.legalBasis === 'PUBLIC_TASK_NOTICE') {
      s.consent.categories = s.consent.categories.filter((c) => c !== 'WELFARE');
      if (s.consent.categories.length === 0) s.consent.categories = ['IDENTITY'];
    }
  }
  return { orgs, users, agreements, scenarios, today };
}

export const canary = (owner: string, personId: string, category: DataCategory) => `CANARY-${category}-${owner.slice(0, 8)}-${personId.slice(0, 8)}`;

/**
 * The sharing rule as the issue states it, evaluated on the fixture model: which categories of the
 * owner's file a user may read about a person for a purpose. Written without the SQL or CASL code.
 */
export function oracle(m: Matrix, user: MatrixUser, purpose: Purpose | null, s: MatrixScenario, fileOwner: string): DataCategory[] {
  const caseworker = ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD'].includes(user.role);
  if (!caseworker) return [];
  if (fileOwner === user.organisationId) return [...DATA_CATEGORIES];
  if (purpose === null) return [];
  const certified = purpose === 'TWE' ? user.certification === 'EXTENDED' : user.certification === 'BASIC' || user.certification === 'EXTENDED';
  if (!certified) return [];
  // Only the owner's file is shared: a viewer's own extra file is its own business.
  if (fileOwner !== s.owner) return [];
  const involvementOrg = s.involvement.state === 'OTHER_ORG' ? s.other : s.viewer;
  const involvementActive = s.involvement.state === 'ACTIVE' || s.involvement.state === 'OTHER_ORG';
  const involved =
    involvementOrg === user.organisationId && involvementActive && s.involvement.purpose === purpose && (s.involvement.recordedBy ?? s.owner) === fileOwner;
  // an open handover of the owner to the user's organisation, for its kind's purpose: what it offers
  const offered = new Set(
    s.handovers
      .filter(
        (x) =>
          x.from === fileOwner &&
          x.to === user.organisationId &&
          (x.status === 'SENT' || x.status === 'INFO_REQUESTED') &&
          HANDOVER_PURPOSE[x.kind] === purpose,
      )
      // a NOT_YET_READY signal names the person it holds back, and opens nothing more
      .flatMap((x) => (x.kind === 'NOT_YET_READY' ? x.categories.filter((k) => k === 'IDENTITY') : x.categories)),
  );
  if (!involved && offered.size === 0) return [];
  const agreement = m.agreements.find((a) => a.owner === fileOwner && a.viewer === user.organisationId);
  if (!agreement || agreement.state !== 'ACTIVE' || !agreement.purposes.includes(purpose)) return [];
  const consent = s.consent;
  const recipient = consent.state === 'OTHER_RECIPIENT' ? s.other : s.viewer;
  const consentActive = consent.state === 'ACTIVE' || consent.state === 'OTHER_RECIPIENT';
  if (recipient !== user.organisationId || !consentActive || !consent.purposes.includes(purpose)) return [];
  return DATA_CATEGORIES.filter(
    (k) =>
      (involved || offered.has(k)) &&
      agreement.categories.includes(k) &&
      consent.categories.includes(k) &&
      (k !== 'WELFARE' || consent.legalBasis === 'CONSENT'),
  );
}

/** Writes the fixture with a handful of set-based statements. Users get a cheap argon2 hash (test speed). */
export async function writeMatrix(ds: DataSource, m: Matrix, kboPrefix: string): Promise<void> {
  const hash = await argon2.hash(MATRIX_PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const t = m.today;
  await ds.transaction(async (tx) => {
    await tx.query(`INSERT INTO organisation (id, name, kind, kbo_number) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`, [
      m.orgs.map((o) => o.id),
      m.orgs.map((o) => o.name),
      m.orgs.map((o) => o.kind),
      m.orgs.map((_, i) => kboFromBase(`${kboPrefix}${String(i).padStart(4, '0')}`)),
    ]);
    await tx.query(
      `INSERT INTO app_user (id, organisation_id, email, display_name, password_hash)
       SELECT id, org, email, 'Matrix user', $4 FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS u(id, org, email)`,
      [m.users.map((u) => u.id), m.users.map((u) => u.organisationId), m.users.map((u) => u.email), hash],
    );
    await tx.query(`INSERT INTO user_role (user_id, role) SELECT * FROM unnest($1::uuid[], $2::text[])`, [
      m.users.map((u) => u.id),
      m.users.map((u) => u.role),
    ]);
    const certified = m.users.filter((u) => u.certification !== 'NONE');
    const certRow = (u: MatrixUser): [string, string, string] => {
      switch (u.certification) {
        case 'BASIC':
          return ['PARTNER_PORTAL_BASIC', addDays(t, -30), addDays(t, 300)];
        case 'EXTENDED':
          return ['PARTNER_PORTAL_EXTENDED', addDays(t, -30), addDays(t, 300)];
        case 'EXPIRED_BASIC':
          return ['PARTNER_PORTAL_BASIC', addDays(t, -800), addDays(t, -1)];
        default:
          return ['PARTNER_PORTAL_EXTENDED', addDays(t, 2), addDays(t, 400)];
      }
    };
    await tx.query(
      `INSERT INTO user_certification (user_id, kind, obtained_on, expires_on) SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::date[])`,
      [certified.map((u) => u.id), certified.map((u) => certRow(u)[0]), certified.map((u) => certRow(u)[1]), certified.map((u) => certRow(u)[2])],
    );

    const withAgreement = m.agreements.filter((a) => a.state !== 'NONE');
    const agreementRow = (a: MatrixAgreement) => {
      const activated = a.state === 'PENDING' ? null : addDays(t, -60);
      const from = a.state === 'SCHEDULED' ? addDays(t, 5) : addDays(t, -90);
      const until = a.state === 'EXPIRED' ? addDays(t, -1) : addDays(t, 365);
      return { activated, from, until, terminated: a.state === 'TERMINATED' ? addDays(t, -2) : null };
    };
    await tx.query(
      `INSERT INTO agreement (id, purposes, valid_from, valid_until, document_reference, activated_at, terminated_at, termination_reason)
       SELECT id, string_to_array(purposes, ','), vf, vu, 'matrix', act, term, CASE WHEN term IS NULL THEN NULL ELSE 'matrix' END
         FROM unnest($1::uuid[], $2::text[], $3::date[], $4::date[], $5::timestamptz[], $6::timestamptz[]) AS a(id, purposes, vf, vu, act, term)`,
      [
        withAgreement.map((a) => a.id),
        withAgreement.map((a) => a.purposes.join(',')),
        withAgreement.map((a) => agreementRow(a).from),
        withAgreement.map((a) => agreementRow(a).until),
        withAgreement.map((a) => agreementRow(a).activated),
        withAgreement.map((a) => agreementRow(a).terminated),
      ],
    );
    await tx.query(
      `INSERT INTO agreement_party (agreement_id, organisation_id, confirmed_at)
       SELECT id, org, CASE WHEN pending AND org = viewer THEN NULL ELSE now() END
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::boolean[]) AS a(id, owner, viewer, pending), LATERAL (VALUES (owner), (viewer)) p(org)`,
      [withAgreement.map((a) => a.id), withAgreement.map((a) => a.owner), withAgreement.map((a) => a.viewer), withAgreement.map((a) => a.state === 'PENDING')],
    );
    // REVERSE_ONLY: the agreement is active but its only flow runs from the viewer to the owner.
    await tx.query(
      `INSERT INTO agreement_flow (agreement_id, from_organisation_id, to_organisation_id, categories)
       SELECT id, CASE WHEN rev THEN viewer ELSE owner END, CASE WHEN rev THEN owner ELSE viewer END, string_to_array(cats, ',')
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::boolean[], $5::text[]) AS a(id, owner, viewer, rev, cats)`,
      [
        withAgreement.map((a) => a.id),
        withAgreement.map((a) => a.owner),
        withAgreement.map((a) => a.viewer),
        withAgreement.map((a) => a.state === 'REVERSE_ONLY'),
        withAgreement.map((a) => a.categories.join(',')),
      ],
    );

    const s = m.scenarios;
    await tx.query(`INSERT INTO person (id, insz) SELECT * FROM unnest($1::uuid[], $2::text[])`, [s.map((x) => x.personId), s.map((x) => x.insz)]);
    const files = [...s.map((x) => [x.owner, x]), ...s.filter((x) => x.viewerOwnsFile).map((x) => [x.viewer, x])] as Array<[string, MatrixScenario]>;
    await tx.query(`INSERT INTO client_file (organisation_id, person_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [
      files.map((f) => f[0]),
      files.map((f) => f[1].personId),
    ]);
    await tx.query(
      `INSERT INTO client_identity (organisation_id, person_id, insz, first_name, last_name, birth_date)
       SELECT org, person, insz, 'Matrix', last, '1980-01-01' FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS f(org, person, insz, last)`,
      [files.map((f) => f[0]), files.map((f) => f[1].personId), files.map((f) => f[1].insz), files.map((f) => canary(f[0], f[1].personId, 'IDENTITY'))],
    );
    const sections = files.flatMap(([org, x]) =>
      (['CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES', 'WELFARE'] as const).map((k) => [org, x.personId, k] as const),
    );
    await tx.query(
      `INSERT INTO client_section (organisation_id, person_id, category, content)
       SELECT org, person, k, jsonb_build_object('notes', note) FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS s(org, person, k, note)`,
      [sections.map((x) => x[0]), sections.map((x) => x[1]), sections.map((x) => x[2]), sections.map((x) => canary(x[0], x[1], x[2]))],
    );
    const involved = s.filter((x) => x.involvement.state !== 'NONE');
    await tx.query(
      `INSERT INTO involvement (id, organisation_id, person_id, capacity, purpose, valid_from, valid_until, source, recorded_by_organisation_id, ended_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::date[], $7::date[], $8::text[], $9::uuid[], $10::timestamptz[])`,
      [
        involved.map((x) => x.involvement.id),
        involved.map((x) => (x.involvement.state === 'OTHER_ORG' ? x.other : x.viewer)),
        involved.map((x) => x.personId),
        involved.map(() => 'EXECUTOR'),
        involved.map((x) => x.involvement.purpose),
        involved.map((x) => (x.involvement.state === 'FUTURE' ? addDays(t, 3) : addDays(t, -40))),
        involved.map((x) => (x.involvement.state === 'EXPIRED' ? addDays(t, -1) : null)),
        involved.map(() => 'MANUAL'),
        involved.map((x) => x.involvement.recordedBy ?? x.owner),
        involved.map((x) => (x.involvement.state === 'ENDED' ? addDays(t, -1) : null)),
      ],
    );
    const consented = s.filter((x) => x.consent.state !== 'NONE');
    const recorder = m.users[0].id;
    await tx.query(
      `INSERT INTO consent (id, organisation_id, person_id, recipient_organisation_ids, purposes, categories, legal_basis, method, valid_from, valid_until,
                            recorded_by, revoked_at, revocation_reason)
       SELECT id, org, person, ARRAY[recipient], string_to_array(purposes, ','), string_to_array(cats, ','), basis, 'VERBAL', vf, vu, $12,
              revoked, CASE WHEN revoked IS NULL THEN NULL ELSE 'matrix' END
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::date[], $9::date[], $10::timestamptz[], $11::int[])
              AS c(id, org, person, recipient, purposes, cats, basis, vf, vu, revoked, n)`,
      [
        consented.map((x) => x.consent.id),
        consented.map((x) => x.owner),
        consented.map((x) => x.personId),
        consented.map((x) => (x.consent.state === 'OTHER_RECIPIENT' ? x.other : x.viewer)),
        consented.map((x) => x.consent.purposes.join(',')),
        consented.map((x) => x.consent.categories.join(',')),
        consented.map((x) => x.consent.legalBasis),
        consented.map((x) => (x.consent.state === 'FUTURE' ? addDays(t, 4) : addDays(t, -50))),
        consented.map((x) => (x.consent.state === 'EXPIRED' ? addDays(t, -1) : null)),
        consented.map((x) => (x.consent.state === 'REVOKED' ? addDays(t, -1) : null)),
        consented.map(() => 0),
        recorder,
      ],
    );
    const handovers = s.flatMap((x) => x.handovers.map((r) => ({ ...r, person: x.personId })));
    const senderOf = (org: string) => m.users.find((u) => u.organisationId === org && u.role === 'SOCIAL_WORKER')!.id;
    await tx.query(
      `INSERT INTO referral (id, kind, person_id, from_organisation_id, to_organisation_id, sender_user_id, categories, note, review_date, status, sent_at, due_date)
       SELECT id, kind, person, f, tt, sender, string_to_array(cats, ','), note, CASE WHEN kind = 'NOT_YET_READY' THEN $10::date END, status,
              CASE WHEN status <> 'DRAFT' THEN now() END, CASE WHEN status <> 'DRAFT' THEN $11::date END
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[])
              AS r(id, kind, person, f, tt, sender, cats, note, status)`,
      [
        handovers.map((r) => r.id),
        handovers.map((r) => r.kind),
        handovers.map((r) => r.person),
        handovers.map((r) => r.from),
        handovers.map((r) => r.to),
        handovers.map((r) => senderOf(r.from)),
        handovers.map((r) => r.categories.join(',')),
        handovers.map((r) => r.note),
        handovers.map((r) => r.status),
        addDays(t, 60),
        addDays(t, 14),
      ],
    );
  });
}
