import type { StaffCard } from '../users/user.js';
import type { Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import type { TrajectoryStatus, TrajectoryType } from './trajectory-status.js';

export const TRAJECTORY_OUTCOMES = ['EMPLOYED', 'TRAINING', 'NOT_READY', 'MOVED', 'OTHER'] as const;
export type TrajectoryOutcome = (typeof TRAJECTORY_OUTCOMES)[number];
/** What stands between a client and work; tackled regionally (the indicators count them per kind). */
export const OBSTACLE_KINDS = ['MOBILITY', 'LANGUAGE', 'CHILDCARE', 'OTHER'] as const;

export interface Trajectory {
  id: string;
  personId: string;
  directorOrganisationId: string;
  type: TrajectoryType;
  status: TrajectoryStatus;
  jobTarget: { occupation: string; bottleneckOccupation?: boolean } | null;
  outcome: TrajectoryOutcome | null;
  startedAt: Date | null;
  closedAt: Date | null;
  /** the organisations on the trajectory, with their responsible case worker's contact card */
  participants: Array<{ organisationId: string; capacity: string; responsibleUserId: string | null; responsible: StaffCard | null }>;
  /** every status and type change with its reason, and who made it (a contact card) */
  history: Array<{ at: Date; kind: string; from: string | null; to: string; reason: string | null; byOrganisationId: string | null; by: StaffCard | null }>;
  obstacles: Array<{
    id: string;
    kind: string;
    status: string;
    actions: string | null;
    organisationId: string;
    createdByUserId: string | null;
    updatedByUserId: string | null;
    version: number;
  }>;
  activities: Array<{
    id: string;
    kind: string;
    organisationId: string;
    providerOrganisationId: string | null;
    plannedFrom: string;
    plannedUntil: string | null;
    actualFrom: string | null;
    actualUntil: string | null;
    result: string | null;
    createdByUserId: string | null;
    updatedByUserId: string | null;
    version: number;
  }>;
  checkpoints: Checkpoint[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** How an organisation knows whether the person is in work (UNKNOWN: recorded before sources were kept). */
export const CHECKPOINT_SOURCES = ['CLIENT', 'EMPLOYER', 'DIMONA', 'OTHER'] as const;
export type CheckpointSource = (typeof CHECKPOINT_SOURCES)[number] | 'UNKNOWN';

export interface CheckpointObservation {
  organisationId: string;
  recordedByUserId: string | null;
  working: boolean;
  source: CheckpointSource;
  recordedAt: string;
}

/**
 * A follow-up checkpoint with every organisation's own observation; none overwrites another's.
 * `working` is what they agree on (null when nobody recorded one, or when they disagree: then
 * `disagree` is true and the observations tell who saw what).
 */
export interface Checkpoint {
  months: number;
  dueOn: string;
  working: boolean | null;
  recordedAt: string | null;
  disagree: boolean;
  observations: CheckpointObservation[];
}

export interface TrajectoryInsert {
  /** chosen here, not returned by the insert: the receiver of a handover creates a trajectory it may not read */
  id: string;
  personId: string;
  directorOrganisationId: string;
  type: TrajectoryType;
  jobTarget?: { occupation: string; bottleneckOccupation?: boolean } | null;
  createdBy: string;
  /** the director's case worker responsible for it */
  directorResponsibleUserId: string;
}

export interface HistoryRow {
  kind: 'CREATED' | 'STATUS' | 'TYPE';
  from: string | null;
  to: string;
  reason: string | null;
  byUser: string;
  byOrganisation: string;
}

/** All SQL of the trajectory tables: trajectory, participants, history, obstacles, activities, checkpoints. */
@Injectable()
export class TrajectoryRepository {
  /** A new trajectory with its director as first participant. */
  async insert(tx: Tx, t: TrajectoryInsert): Promise<void> {
    await tx.query(`INSERT INTO trajectory (id, person_id, director_organisation_id, type, job_target, created_by) VALUES ($1, $2, $3, $4, $5, $6)`, [
      t.id,
      t.personId,
      t.directorOrganisationId,
      t.type,
      t.jobTarget ? JSON.stringify(t.jobTarget) : null,
      t.createdBy,
    ]);
    await tx.query(`INSERT INTO trajectory_participant (trajectory_id, organisation_id, capacity, responsible_user_id) VALUES ($1, $2, 'DIRECTOR', $3)`, [
      t.id,
      t.directorOrganisationId,
      t.directorResponsibleUserId,
    ]);
  }

  /** The open MEDIATION trajectory of a person, read through the director's rights (a handover's receiver may not see it). */
  async openMediation(tx: Tx, personId: string): Promise<string | null> {
    const [row] = await tx.query(`SELECT casework_open_mediation($1) AS id`, [personId]);
    return row.id;
  }

  async addParticipant(
    tx: Tx,
    trajectoryId: string,
    organisationId: string,
    capacity: 'EXECUTOR' | 'ADVISOR',
    responsibleUserId: string | null = null,
  ): Promise<void> {
    await tx.query(`INSERT INTO trajectory_participant (trajectory_id, organisation_id, capacity, responsible_user_id) VALUES ($1, $2, $3, $4)`, [
      trajectoryId,
      organisationId,
      capacity,
      responsibleUserId,
    ]);
  }

  /** The caller's organisation joins as EXECUTOR unless it takes part already; true when it joined. */
  async joinAsExecutor(tx: Tx, trajectoryId: string, organisationId: string, responsibleUserId: string): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO trajectory_participant (trajectory_id, organisation_id, capacity, responsible_user_id)
       SELECT $1, $2, 'EXECUTOR', $3 WHERE NOT casework_participates($1) RETURNING 1 AS joined`,
      [trajectoryId, organisationId, responsibleUserId],
    );
    return rows.length > 0;
  }

  async addHistory(tx: Tx, trajectoryId: string, h: HistoryRow): Promise<void> {
    await tx.query(
      `INSERT INTO trajectory_history (trajectory_id, kind, from_value, to_value, reason, by_user, by_organisation) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [trajectoryId, h.kind, h.from, h.to, h.reason, h.byUser, h.byOrganisation],
    );
  }

  /** The trajectories of a person the caller may read, newest first. */
  async readableIdsOfPerson(tx: Tx, personId: string): Promise<string[]> {
    const rows = await tx.query(
      `SELECT t.id FROM trajectory t
        WHERE t.person_id = $1 AND casework_can_read(t.director_organisation_id, t.person_id, 'TRAJECTORY')
        ORDER BY t.created_at DESC, t.id`,
      [personId],
    );
    return rows.map((r: { id: string }) => r.id);
  }

  async updateStatus(tx: Tx, id: string, to: TrajectoryStatus, outcome: TrajectoryOutcome | null): Promise<void> {
    const closing = to === 'COMPLETED' || to === 'STOPPED';
    await tx.query(
      `UPDATE trajectory SET status = $2, outcome = CASE WHEN $3::boolean THEN $4 ELSE outcome END,
              started_at = CASE WHEN $2 = 'ACTIVE' THEN coalesce(started_at, now()) ELSE started_at END,
              closed_at = CASE WHEN $3::boolean THEN now() ELSE closed_at END, version = version + 1, updated_at = now()
        WHERE id = $1`,
      [id, to, closing, outcome],
    );
  }

  async updateType(tx: Tx, id: string, type: TrajectoryType): Promise<void> {
    await tx.query(`UPDATE trajectory SET type = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, type]);
  }

  async bumpVersion(tx: Tx, id: string): Promise<void> {
    await tx.query(`UPDATE trajectory SET version = version + 1, updated_at = now() WHERE id = $1`, [id]);
  }

  /** The follow-up indicators: in work 6, 12, 18 and 24 months after the start? */
  async addCheckpoints(tx: Tx, id: string): Promise<void> {
    await tx.query(
      `INSERT INTO trajectory_checkpoint (trajectory_id, months, due_on)
       SELECT $1, m, (app_today() + make_interval(months => m))::date FROM unnest(ARRAY[6, 12, 18, 24]) AS m`,
      [id],
    );
  }

  /** The caller's organisation's own observation at a checkpoint (recorded again, it replaces only its own). */
  async recordCheckpoint(
    tx: Tx,
    id: string,
    months: number,
    observation: { working: boolean; source: CheckpointSource; organisationId: string; userId: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO trajectory_checkpoint_observation AS o (trajectory_id, months, organisation_id, recorded_by_user_id, working, source)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (trajectory_id, months, organisation_id)
       DO UPDATE SET working = excluded.working, source = excluded.source, recorded_by_user_id = excluded.recorded_by_user_id, recorded_at = now()`,
      [id, months, observation.organisationId, observation.userId, observation.working, observation.source],
    );
  }

  /** Director or participant, and a case worker: who may work on the trajectory. */
  async worksOn(tx: Tx, id: string): Promise<boolean> {
    const [{ works }] = await tx.query(`SELECT casework_works_on_trajectory($1) AS works`, [id]);
    return works;
  }

  async addObstacle(tx: Tx, id: string, author: { organisationId: string; userId: string }, kind: string, actions: string | null): Promise<void> {
    await tx.query(
      `INSERT INTO trajectory_obstacle (trajectory_id, organisation_id, kind, actions, created_by_user_id, updated_by_user_id) VALUES ($1, $2, $3, $4, $5, $5)`,
      [id, author.organisationId, kind, actions, author.userId],
    );
  }

  async updateObstacle(
    tx: Tx,
    obstacleId: string,
    userId: string,
    change: { status: 'OPEN' | 'ADDRESSED'; actions?: string; version: number },
  ): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE trajectory_obstacle SET status = $2, actions = coalesce($3, actions), updated_by_user_id = $5, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $4 RETURNING id`,
      [obstacleId, change.status, change.actions ?? null, change.version, userId],
    );
    return rows.length === 1;
  }

  async addActivity(
    tx: Tx,
    id: string,
    author: { organisationId: string; userId: string },
    input: { kind: string; providerOrganisationId?: string; plannedFrom: string; plannedUntil?: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO trajectory_activity (trajectory_id, organisation_id, kind, provider_organisation_id, planned_from, planned_until, created_by_user_id, updated_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [id, author.organisationId, input.kind, input.providerOrganisationId ?? null, input.plannedFrom, input.plannedUntil ?? null, author.userId],
    );
  }

  async updateActivity(
    tx: Tx,
    activityId: string,
    userId: string,
    change: { actualFrom?: string; actualUntil?: string; result?: string; version: number },
  ): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE trajectory_activity SET actual_from = coalesce($2, actual_from), actual_until = coalesce($3, actual_until),
              result = coalesce($4, result), updated_by_user_id = $6, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $5 RETURNING id`,
      [activityId, change.actualFrom ?? null, change.actualUntil ?? null, change.result ?? null, change.version, userId],
    );
    return rows.length === 1;
  }

  /** The trajectory with its participants, history and work, when the rule lets the caller read it (category TRAJECTORY of the director's file). */
  async find(tx: Tx, id: string, lock = false): Promise<Trajectory | undefined> {
    if (lock) await tx.query(`SELECT 1 FROM trajectory WHERE id = $1 FOR UPDATE`, [id]);
    const [row] = await tx.query(
      `SELECT t.*,
              (SELECT coalesce(json_agg(json_build_object('organisationId', p.organisation_id, 'capacity', p.capacity,
                                                          'responsibleUserId', p.responsible_user_id,
                                                          'responsible', casework_staff_card(p.responsible_user_id)) ORDER BY p.since), '[]')
                 FROM trajectory_participant p WHERE p.trajectory_id = t.id) AS participants,
              (SELECT coalesce(json_agg(json_build_object('at', h.at, 'kind', h.kind, 'from', h.from_value, 'to', h.to_value,
                                                          'reason', h.reason, 'byOrganisationId', h.by_organisation,
                                                          'by', casework_staff_card(h.by_user)) ORDER BY h.at, h.id), '[]')
                 FROM trajectory_history h WHERE h.trajectory_id = t.id) AS history,
              (SELECT coalesce(json_agg(json_build_object('id', o.id, 'kind', o.kind, 'status', o.status, 'actions', o.actions,
                                                          'organisationId', o.organisation_id, 'createdByUserId', o.created_by_user_id,
                                                          'updatedByUserId', o.updated_by_user_id, 'version', o.version) ORDER BY o.created_at, o.id), '[]')
                 FROM trajectory_obstacle o WHERE o.trajectory_id = t.id) AS obstacles,
              (SELECT coalesce(json_agg(json_build_object('id', a.id, 'kind', a.kind, 'organisationId', a.organisation_id,
                                                          'providerOrganisationId', a.provider_organisation_id, 'plannedFrom', a.planned_from,
                                                          'plannedUntil', a.planned_until, 'actualFrom', a.actual_from, 'actualUntil', a.actual_until,
                                                          'result', a.result, 'createdByUserId', a.created_by_user_id,
                                                          'updatedByUserId', a.updated_by_user_id, 'version', a.version) ORDER BY a.planned_from, a.id), '[]')
                 FROM trajectory_activity a WHERE a.trajectory_id = t.id) AS activities,
              (SELECT coalesce(json_agg(json_build_object('months', c.months, 'dueOn', c.due_on, 'observations',
                         (SELECT coalesce(json_agg(json_build_object('organisationId', ob.organisation_id, 'recordedByUserId', ob.recorded_by_user_id,
                                                                     'working', ob.working, 'source', ob.source, 'recordedAt', ob.recorded_at)
                                                   ORDER BY ob.recorded_at, ob.organisation_id), '[]')
                            FROM trajectory_checkpoint_observation ob WHERE ob.trajectory_id = c.trajectory_id AND ob.months = c.months))
                                        ORDER BY c.months), '[]')
                 FROM trajectory_checkpoint c WHERE c.trajectory_id = t.id) AS checkpoints
         FROM trajectory t WHERE t.id = $1 AND casework_can_read(t.director_organisation_id, t.person_id, 'TRAJECTORY')`,
      [id],
    );
    if (!row) return undefined;
    return {
      id: row.id,
      personId: row.person_id,
      directorOrganisationId: row.director_organisation_id,
      type: row.type,
      status: row.status,
      jobTarget: row.job_target,
      outcome: row.outcome,
      startedAt: row.started_at,
      closedAt: row.closed_at,
      participants: row.participants,
      history: row.history.map((h: { at: string }) => ({ ...h, at: new Date(h.at) })),
      obstacles: row.obstacles,
      activities: row.activities,
      checkpoints: row.checkpoints.map(checkpointOf),
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

function checkpointOf(row: { months: number; dueOn: string; observations: CheckpointObservation[] }): Checkpoint {
  const values = new Set(row.observations.map((o) => o.working));
  const latest =
    row.observations
      .map((o) => o.recordedAt)
      .sort()
      .at(-1) ?? null;
  return {
    months: row.months,
    dueOn: row.dueOn,
    working: values.size === 1 ? row.observations[0].working : null,
    recordedAt: latest,
    disagree: values.size > 1,
    observations: row.observations,
  };
}
