import { randomUUID } from 'node:crypto';
import { DATA_CATEGORIES, type DataCategory, type Purpose } from '@app/kernel';
import type { DataSource } from 'typeorm';
import { addDays, buildMatrix, oracle, writeMatrix, type Matrix, type MatrixScenario, type MatrixUser } from './sharing-matrix.js';

/**
 * The sharing matrix of `sharing-matrix.ts`, extended to every resource that carries client data:
 * who recorded the involvement (the owner, the involved organisation itself, or a third one), the
 * owner's trajectory (with an obstacle, an activity and the four checkpoints) and who takes part in
 * it, case notes per category and visibility (by the director, by another participant, by the
 * viewer), handovers in every state towards the viewer and towards another organisation (the
 * scenario's `handovers`, written and judged by the shared fixture), and notifications. Written set-based, as the owner; the `expect*` functions below are an independent
 * reading of the rule over this model, never the system's own code.
 */

export const CASEWORK_ROLES_ORACLE = ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD'];
export const isCaseworker = (u: MatrixUser) => CASEWORK_ROLES_ORACLE.includes(u.role);

const RECORDERS = ['OWNER', 'INVOLVED', 'THIRD'] as const;
const REFERRAL_STATUSES = ['DRAFT', 'SENT', 'INFO_REQUESTED', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED', 'COMPLETED'] as const;
const REFERRAL_KINDS = ['WARM_HANDOVER', 'NOT_YET_READY', 'ADVICE_REQUEST'] as const;
export const REFERRAL_PURPOSE: Record<(typeof REFERRAL_KINDS)[number], Purpose> = {
  WARM_HANDOVER: 'MEDIATION',
  NOT_YET_READY: 'MEDIATION',
  ADVICE_REQUEST: 'ADVICE',
};
const TYPE_OF: Record<Purpose, string> = { MEDIATION: 'MEDIATION', ACTIVATION: 'ACTIVATION', TWE: 'TWE', ADVICE: 'INTEGRATED_PATHWAY' };

export interface NoteFixture {
  id: string;
  authorOrg: string;
  category: DataCategory;
  visibility: 'INTERNAL' | 'SHARED';
  trajectoryId: string | null;
  body: string;
}
export interface ReferralFixture {
  id: string;
  kind: (typeof REFERRAL_KINDS)[number];
  from: string;
  to: string;
  status: (typeof REFERRAL_STATUSES)[number];
  categories: DataCategory[];
  note: string;
}
export interface ResourceExtras {
  recorder: (typeof RECORDERS)[number];
  trajectory: { id: string; type: string; obstacleId: string; obstacleCanary: string; activityId: string; activityCanary: string };
  /** the viewer's own (closed) trajectory on its own file, when it keeps one */
  viewerTrajectory: string | null;
  viewerParticipates: boolean;
  otherParticipates: boolean;
  notes: NoteFixture[];
  toViewer: ReferralFixture;
  toOther: ReferralFixture;
  /** notifications: one for the scenario's user, one for the owner's social worker */
  notifications: Array<{ id: string; userId: string }>;
  /** a document on the owner's file, of one category; and one on the viewer's own file where it keeps one */
  document: { id: string; category: DataCategory; canary: string };
  viewerDocument: { id: string; canary: string } | null;
  /** a message from the sender on each handover (its conversation is client data of the sender's file) */
  messages: { toViewer: string; toOther: string };
}
export interface ResourceMatrix extends Matrix {
  extras: ResourceExtras[];
  ownerStaff: Map<string, { socialWorker: MatrixUser; privacyOfficer: MatrixUser }>;
}

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
    const chosen = items.filter(() => next() < 0.5);
    return chosen.length > 0 ? chosen : [pick(items)];
  };
  return { next, pick, subset };
}

export const noteCanary = (kind: string, s: MatrixScenario, k: DataCategory) => `NOTE-${kind}-${k}-${s.personId.slice(0, 8)}`;

export function buildResourceMatrix(seed: number, scenarioCount: number, tag: string): ResourceMatrix {
  const m = buildMatrix(seed, scenarioCount, tag);
  // A separate stream, so the shared fixture's own draws (and the other specs' seeds) stay as they are.
  const r = prng(seed ^ 0x5eed);
  const ownerStaff = new Map<string, { socialWorker: MatrixUser; privacyOfficer: MatrixUser }>();
  for (const u of m.users.filter((x) => x.email.startsWith('owner.'))) {
    const entry = ownerStaff.get(u.organisationId) ?? ({} as { socialWorker: MatrixUser; privacyOfficer: MatrixUser });
    if (u.role === 'SOCIAL_WORKER') entry.socialWorker = u;
    else if (u.role === 'PRIVACY_OFFICER') entry.privacyOfficer = u;
    ownerStaff.set(u.organisationId, entry);
  }
  const viewerIds = [...new Set(m.users.filter((u) => !u.email.startsWith('owner.')).map((u) => u.organisationId))];
  const extras = m.scenarios.map((s): ResourceExtras => {
    const recorder = r.next() < 0.7 ? 'OWNER' : r.pick(RECORDERS);
    const involvedOrg = s.involvement.state === 'OTHER_ORG' ? s.other : s.viewer;
    const third = viewerIds.find((v) => v !== s.viewer && v !== s.other)!;
    s.involvement.recordedBy = recorder === 'OWNER' ? s.owner : recorder === 'INVOLVED' ? involvedOrg : third;
    const trajectoryId = randomUUID();
    const viewerParticipates = r.next() < 0.75;
    const otherParticipates = r.next() < 0.5;
    const notes: NoteFixture[] = [];
    for (const k of DATA_CATEGORIES) {
      for (const visibility of ['INTERNAL', 'SHARED'] as const) {
        notes.push({ id: randomUUID(), authorOrg: s.owner, category: k, visibility, trajectoryId, body: noteCanary(`OWNER-${visibility}`, s, k) });
      }
    }
    // another participant's shared note: judged on the director's file, like the director's own
    const otherCategory = r.pick(DATA_CATEGORIES);
    if (otherParticipates)
      notes.push({
        id: randomUUID(),
        authorOrg: s.other,
        category: otherCategory,
        visibility: 'SHARED',
        trajectoryId,
        body: noteCanary('OTHER-SHARED', s, otherCategory),
      });
    const viewerCategory = r.pick(DATA_CATEGORIES);
    if (viewerParticipates && r.next() < 0.5) {
      notes.push({
        id: randomUUID(),
        authorOrg: s.viewer,
        category: viewerCategory,
        visibility: 'SHARED',
        trajectoryId,
        body: noteCanary('VIEWER-SHARED', s, viewerCategory),
      });
    }
    if (s.viewerOwnsFile)
      notes.push({
        id: randomUUID(),
        authorOrg: s.viewer,
        category: 'WELFARE',
        visibility: 'INTERNAL',
        trajectoryId: null,
        body: noteCanary('VIEWER-INTERNAL', s, 'WELFARE'),
      });
    const referral = (to: string, status: (typeof REFERRAL_STATUSES)[number]): ReferralFixture => {
      const id = randomUUID();
      // most handovers fit the scenario (the involvement's purpose, categories the agreement and consent both name),
      // so the rule opens notes in volume; whether it does still depends on every other dimension
      const fitting = REFERRAL_KINDS.filter((k) => REFERRAL_PURPOSE[k] === s.involvement.purpose);
      const flow = m.agreements.find((a) => a.owner === s.owner && a.viewer === to)?.categories ?? [];
      const fits = r.next() < 0.8 && fitting.length > 0;
      const kind = fits ? r.pick(fitting) : r.pick(REFERRAL_KINDS);
      const categories = fits ? r.subset(s.consent.categories.filter((k) => flow.includes(k))) : r.subset(DATA_CATEGORIES);
      return { id, kind, from: s.owner, to, status, categories, note: `HANDOVER-NOTE-${id.slice(0, 8)}` };
    };
    const toViewer = referral(s.viewer, r.pick(REFERRAL_STATUSES));
    const toOther = referral(s.other, r.next() < 0.5 ? 'SENT' : 'ACCEPTED');
    // these are the person's handovers (the shared fixture writes them, and its oracle reads them as grounds)
    s.handovers = [toViewer, toOther];
    return {
      recorder,
      trajectory: {
        id: trajectoryId,
        type: TYPE_OF[s.involvement.purpose],
        obstacleId: randomUUID(),
        obstacleCanary: `OBSTACLE-${trajectoryId.slice(0, 8)}`,
        activityId: randomUUID(),
        activityCanary: `ACTIVITY-${trajectoryId.slice(0, 8)}`,
      },
      viewerTrajectory: s.viewerOwnsFile ? randomUUID() : null,
      viewerParticipates,
      otherParticipates,
      notes,
      toViewer,
      toOther,
      notifications: [
        { id: randomUUID(), userId: s.user.id },
        { id: randomUUID(), userId: ownerStaff.get(s.owner)!.socialWorker.id },
      ],
      // mostly a category the consent names, so the rule opens documents in volume
      document: {
        id: randomUUID(),
        category: r.next() < 0.7 && s.consent.categories.length > 0 ? r.pick(s.consent.categories) : r.pick(DATA_CATEGORIES),
        canary: `DOCUMENT-OWNER-${trajectoryId.slice(0, 8)}`,
      },
      viewerDocument: s.viewerOwnsFile ? { id: randomUUID(), canary: `DOCUMENT-VIEWER-${trajectoryId.slice(0, 8)}` } : null,
      messages: { toViewer: `MESSAGE-${toViewer.id.slice(0, 8)}`, toOther: `MESSAGE-${toOther.id.slice(0, 8)}` },
    };
  });
  return { ...m, extras, ownerStaff };
}

/** Writes the shared fixture, then the resources around it, set-based. */
export async function writeResourceMatrix(ds: DataSource, m: ResourceMatrix, kboPrefix: string): Promise<void> {
  await writeMatrix(ds, m, kboPrefix);
  const t = m.today;
  const s = m.scenarios;
  const x = m.extras;
  const authorOf = (org: string) => m.users.find((u) => u.organisationId === org && u.role === 'SOCIAL_WORKER')!.id;
  const sw = (org: string) => m.ownerStaff.get(org)!.socialWorker.id;
  await ds.transaction(async (tx) => {
    // the owner's trajectory (open), and the viewer's own closed one where it keeps a file
    const own = s.map((sc, i) => ({
      id: x[i].trajectory.id,
      person: sc.personId,
      director: sc.owner,
      type: x[i].trajectory.type,
      status: 'ACTIVE',
      by: sw(sc.owner),
    }));
    const theirs = s.flatMap((sc, i) =>
      x[i].viewerTrajectory
        ? [{ id: x[i].viewerTrajectory!, person: sc.personId, director: sc.viewer, type: 'ACTIVATION', status: 'COMPLETED', by: authorOf(sc.viewer) }]
        : [],
    );
    const all = [...own, ...theirs];
    await tx.query(
      `INSERT INTO trajectory (id, person_id, director_organisation_id, type, status, started_at, closed_at, outcome, created_by)
       SELECT id, person, director, type, status, now() - interval '30 days',
              CASE WHEN status = 'COMPLETED' THEN now() END, CASE WHEN status = 'COMPLETED' THEN 'EMPLOYED' END, by
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[]) AS t(id, person, director, type, status, by)`,
      [all.map((a) => a.id), all.map((a) => a.person), all.map((a) => a.director), all.map((a) => a.type), all.map((a) => a.status), all.map((a) => a.by)],
    );
    const participants = [
      ...all.map((a) => [a.id, a.director, 'DIRECTOR']),
      ...s.flatMap((sc, i) => (x[i].viewerParticipates ? [[x[i].trajectory.id, sc.viewer, 'EXECUTOR']] : [])),
      ...s.flatMap((sc, i) => (x[i].otherParticipates ? [[x[i].trajectory.id, sc.other, 'ADVISOR']] : [])),
    ];
    await tx.query(`INSERT INTO trajectory_participant (trajectory_id, organisation_id, capacity) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])`, [
      participants.map((p) => p[0]),
      participants.map((p) => p[1]),
      participants.map((p) => p[2]),
    ]);
    await tx.query(
      `INSERT INTO trajectory_obstacle (id, trajectory_id, organisation_id, kind, actions) SELECT id, t, org, 'MOBILITY', txt FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[]) AS o(id, t, org, txt)`,
      [x.map((e) => e.trajectory.obstacleId), x.map((e) => e.trajectory.id), s.map((sc) => sc.owner), x.map((e) => e.trajectory.obstacleCanary)],
    );
    await tx.query(
      `INSERT INTO trajectory_activity (id, trajectory_id, organisation_id, kind, planned_from, result)
       SELECT id, t, org, 'TRAINING', $5::date, txt FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[]) AS a(id, t, org, txt)`,
      [
        x.map((e) => e.trajectory.activityId),
        x.map((e) => e.trajectory.id),
        s.map((sc) => sc.owner),
        x.map((e) => e.trajectory.activityCanary),
        addDays(t, -20),
      ],
    );
    await tx.query(
      `INSERT INTO trajectory_checkpoint (trajectory_id, months, due_on) SELECT t, m, $2::date FROM unnest($1::uuid[]) AS t, unnest(ARRAY[6, 12, 18, 24]) AS m`,
      [x.map((e) => e.trajectory.id), addDays(t, 150)],
    );
    const notes = s.flatMap((sc, i) => x[i].notes.map((n) => ({ ...n, person: sc.personId })));
    await tx.query(
      `INSERT INTO case_note (id, person_id, organisation_id, trajectory_id, author_user_id, category, visibility, body)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[])`,
      [
        notes.map((n) => n.id),
        notes.map((n) => n.person),
        notes.map((n) => n.authorOrg),
        notes.map((n) => n.trajectoryId),
        notes.map((n) => authorOf(n.authorOrg)),
        notes.map((n) => n.category),
        notes.map((n) => n.visibility),
        notes.map((n) => n.body),
      ],
    );
    // the handovers (toViewer, toOther) are the scenarios' own: writeMatrix wrote them
    const notifications = s.flatMap((sc, i) =>
      x[i].notifications.map((n, j) => ({ ...n, person: sc.personId, referral: j === 0 ? x[i].toViewer.id : x[i].toOther.id })),
    );
    await tx.query(
      `INSERT INTO notification (id, user_id, kind, referral_id, person_id) SELECT id, u, 'referral.received', r, p FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[]) AS n(id, u, r, p)`,
      [notifications.map((n) => n.id), notifications.map((n) => n.userId), notifications.map((n) => n.referral), notifications.map((n) => n.person)],
    );
    // documents: the owner's (one category), and the viewer's own where it keeps a file; the content is the canary
    const documents = s.flatMap((sc, i) => [
      { id: x[i].document.id, org: sc.owner, person: sc.personId, category: x[i].document.category, canary: x[i].document.canary },
      ...(x[i].viewerDocument
        ? [{ id: x[i].viewerDocument!.id, org: sc.viewer, person: sc.personId, category: 'EMPLOYMENT' as DataCategory, canary: x[i].viewerDocument!.canary }]
        : []),
    ]);
    await tx.query(
      `INSERT INTO client_document (id, organisation_id, person_id, category, file_name, media_type, size_bytes, sha256, content, uploaded_by_user_id)
       SELECT id, org, person, category, canary || '.pdf', 'application/pdf', length(convert_to(canary, 'UTF8')),
              sha256(convert_to(canary, 'UTF8')), convert_to(canary, 'UTF8'), by
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[]) AS d(id, org, person, category, canary, by)`,
      [
        documents.map((d) => d.id),
        documents.map((d) => d.org),
        documents.map((d) => d.person),
        documents.map((d) => d.category),
        documents.map((d) => d.canary),
        documents.map((d) => authorOf(d.org)),
      ],
    );
    // the handover to the viewer offers the owner's document where it offers its category
    const offered = x.filter((e) => e.toViewer.categories.includes(e.document.category));
    await tx.query(`INSERT INTO referral_document (referral_id, document_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`, [
      offered.map((e) => e.toViewer.id),
      offered.map((e) => e.document.id),
    ]);
    const messages = x.flatMap((e) => [
      { referral: e.toViewer.id, org: e.toViewer.from, body: e.messages.toViewer },
      { referral: e.toOther.id, org: e.toOther.from, body: e.messages.toOther },
    ]);
    await tx.query(
      `INSERT INTO referral_message (referral_id, organisation_id, author_user_id, kind, body)
       SELECT r, org, by, 'MESSAGE', body FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[]) AS m(r, org, by, body)`,
      [messages.map((a) => a.referral), messages.map((a) => a.org), messages.map((a) => authorOf(a.org)), messages.map((a) => a.body)],
    );
  });
}

// ---------------------------------------------------------------------------------------------
// The oracle, per resource. `categories` is what the rule gives the caller of the owner's file.

export const ownerCategories = (m: Matrix, user: MatrixUser, purpose: Purpose | null, s: MatrixScenario) => oracle(m, user, purpose, s, s.owner);

/** Notes the caller sees on the person; `viaTrajectory`: only those of the owner's trajectory. */
export function expectedNotes(m: ResourceMatrix, i: number, user: MatrixUser, purpose: Purpose | null, viaTrajectory: boolean): Set<string> {
  const s = m.scenarios[i];
  const e = m.extras[i];
  const seen = new Set<string>();
  if (!isCaseworker(user)) return seen;
  const categories = ownerCategories(m, user, purpose, s);
  const participates = user.organisationId === s.viewer ? e.viewerParticipates : false;
  for (const n of e.notes) {
    if (viaTrajectory && n.trajectoryId !== e.trajectory.id) continue;
    const mine = n.authorOrg === user.organisationId;
    // a shared note is client data of the director's file, read under the rule, by a participant, now
    const shared = n.visibility === 'SHARED' && participates && categories.includes(n.category);
    if (mine || shared) seen.add(n.body);
  }
  return seen;
}

/**
 * A handover's note (and its question/answer thread) is client data of the sender's file: the receiver
 * reads it while the rule gives it every offered category of that file for the handover's purpose (a
 * signal offering none: TRAJECTORY), whatever X-Purpose the request names.
 */
export function handoverNoteVisible(m: Matrix, user: MatrixUser, s: MatrixScenario, r: ReferralFixture): boolean {
  const categories = oracle(m, user, REFERRAL_PURPOSE[r.kind], s, r.from);
  return (r.categories.length > 0 ? r.categories : (['TRAJECTORY'] as DataCategory[])).every((k) => categories.includes(k));
}

/** Break-the-glass: a current certification, social workers and mediators, never WELFARE. */
export function breakGlassAnswer(user: MatrixUser, categories: DataCategory[]): 201 | 400 | 403 {
  const allowed = ['SOCIAL_WORKER', 'MEDIATOR'].includes(user.role) && ['BASIC', 'EXTENDED'].includes(user.certification);
  if (!allowed) return 403;
  return categories.includes('WELFARE') ? 400 : 201;
}

/** Whether an active agreement (any purpose, any flow) has both organisations as parties. */
export function agreementLinks(m: Matrix, owner: string, viewer: string): boolean {
  const a = m.agreements.find((x) => x.owner === owner && x.viewer === viewer);
  return !!a && (a.state === 'ACTIVE' || a.state === 'REVERSE_ONLY');
}

/** The audit actions that show client data (as the access report counts them). */
export const DATA_ACCESS_ACTION = /^(client|trajectory)\.|^(note|referral|document)\.(read|list)$|^document\.create$|^referral\.thread-read$|^request\.replay$/;
