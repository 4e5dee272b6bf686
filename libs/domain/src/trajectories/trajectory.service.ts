import { RequestTransaction, belgianToday, type RequestContext, type Tx } from '@app/kernel';
import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { ClientRepository } from '../clients/client.repository.js';
import { Conflict, Forbidden, InvalidInput, NotFound, isUniqueViolation } from '@app/kernel';
import { checkTrajectoryTransition, type TrajectoryStatus, type TrajectoryType } from './trajectory-status.js';

export const TRAJECTORY_OUTCOMES = ['EMPLOYED', 'TRAINING', 'NOT_READY', 'MOVED', 'OTHER'] as const;

/** The purpose a partner is involved for, by trajectory type (Integration Through Work types activate). */
const PURPOSE_OF_TYPE: Record<TrajectoryType, 'ACTIVATION' | 'MEDIATION' | 'TWE'> = {
  ACTIVATION: 'ACTIVATION',
  MEDIATION: 'MEDIATION',
  TWE: 'TWE',
  QUICK_MEDIATION: 'MEDIATION',
  INTEGRATED_PATHWAY: 'ACTIVATION',
  COMBINED_PATHWAY: 'ACTIVATION',
  LINEAR_PATHWAY: 'ACTIVATION',
};
export type TrajectoryOutcome = (typeof TRAJECTORY_OUTCOMES)[number];

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
  participants: Array<{ organisationId: string; capacity: string; responsibleUserId: string | null }>;
  history: Array<{ at: Date; kind: string; from: string | null; to: string; reason: string | null; byOrganisationId: string | null }>;
  obstacles: Array<{ id: string; kind: string; status: string; actions: string | null; organisationId: string; version: number }>;
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
    version: number;
  }>;
  checkpoints: Array<{ months: number; dueOn: string; working: boolean | null; recordedAt: string | null }>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewTrajectory {
  clientId: string;
  type: TrajectoryType;
  jobTarget?: { occupation: string; bottleneckOccupation?: boolean };
}

/** The stale-version answer for changes that carry `version` in the body. */
export class StaleVersion extends Conflict {
  constructor(current: number) {
    super('stale-version', 'version', { current });
  }
}

/**
 * Trajectories, directed by the organisation whose file they belong to. Partners read them through
 * the sharing rule (category TRAJECTORY); only the director changes status and type here. Every change
 * is version-guarded, kept in the history with its reason, and audited.
 */
@Injectable()
export class TrajectoryService {
  constructor(
    private readonly clients: ClientRepository,
    private readonly transaction: RequestTransaction,
  ) {}

  create(ctx: RequestContext, input: NewTrajectory): Promise<Trajectory> {
    return this.transaction.run(ctx, async (tx) => {
      if (!(await this.clients.ownsFile(tx, input.clientId))) throw new NotFound('client');
      if (!ctx.ability.can('update', subject('ClientFile', { organisationId: ctx.organisationId }))) throw new Forbidden('forbidden');
      if (input.type === 'MEDIATION') await assertReadyForMediation(tx, input.clientId, ctx.organisationId);
      try {
        const [row] = await tx.query(
          `INSERT INTO trajectory (person_id, director_organisation_id, type, job_target, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [input.clientId, ctx.organisationId, input.type, input.jobTarget ? JSON.stringify(input.jobTarget) : null, ctx.userId],
        );
        await tx.query(`INSERT INTO trajectory_participant (trajectory_id, organisation_id, capacity, responsible_user_id) VALUES ($1, $2, 'DIRECTOR', $3)`, [
          row.id,
          ctx.organisationId,
          ctx.userId,
        ]);
        await this.history(tx, ctx, row.id, 'CREATED', null, input.type, null);
        tx.audit({ action: 'trajectory.create', decision: 'ALLOW', resourceType: 'Trajectory', resourceId: row.id, subjectPersonId: input.clientId, categories: ['TRAJECTORY'], ground: { kind: 'OWNER' } });
        return (await this.find(tx, row.id))!;
      } catch (error) {
        if (isUniqueViolation(error, 'trajectory_open_key')) throw new Conflict('trajectory-exists', 'type', { type: input.type });
        throw error;
      }
    });
  }

  get(ctx: RequestContext, id: string): Promise<Trajectory> {
    return this.transaction.run(ctx, async (tx) => {
      const trajectory = await this.find(tx, id);
      if (!trajectory) throw new NotFound('trajectory');
      tx.audit(this.readEvent(ctx, trajectory));
      return trajectory;
    });
  }

  /** The trajectories of a person the caller may see: its own, and partners' under the sharing rule. */
  listForClient(ctx: RequestContext, personId: string): Promise<Trajectory[]> {
    return this.transaction.run(ctx, async (tx) => {
      const rows = await tx.query(
        `SELECT t.id FROM trajectory t
          WHERE t.person_id = $1 AND casework_can_read(t.director_organisation_id, t.person_id, 'TRAJECTORY')
          ORDER BY t.created_at DESC, t.id`,
        [personId],
      );
      const trajectories: Trajectory[] = [];
      for (const row of rows) trajectories.push((await this.find(tx, row.id))!);
      if (trajectories.length === 0 && !(await this.clients.ownsFile(tx, personId))) throw new NotFound('client');
      for (const trajectory of trajectories) tx.audit(this.readEvent(ctx, trajectory));
      return trajectories;
    });
  }

  /** A status change; an illegal one is a 409 that names the allowed ones. Closing needs an outcome. */
  transition(ctx: RequestContext, id: string, change: { to: TrajectoryStatus; reason?: string; version: number; outcome?: TrajectoryOutcome }): Promise<Trajectory> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.lockAsDirector(tx, ctx, id, change.version);
      const check = checkTrajectoryTransition(current.status, change.to);
      if (!check.ok) throw new Conflict('illegal-transition', 'to', { from: current.status, to: change.to, allowed: check.allowed.join(', ') || 'none' });
      const closing = change.to === 'COMPLETED' || change.to === 'STOPPED';
      if (closing && !change.outcome) throw new InvalidInput([{ field: 'outcome', code: 'outcome-required' }]);
      await tx.query(
        `UPDATE trajectory SET status = $2, outcome = CASE WHEN $3::boolean THEN $4 ELSE outcome END,
                started_at = CASE WHEN $2 = 'ACTIVE' THEN coalesce(started_at, now()) ELSE started_at END,
                closed_at = CASE WHEN $3::boolean THEN now() ELSE closed_at END, version = version + 1, updated_at = now()
          WHERE id = $1`,
        [id, change.to, closing, change.outcome ?? null],
      );
      await this.history(tx, ctx, id, 'STATUS', current.status, change.to, change.reason ?? null);
      if (change.to === 'ACTIVE' && !current.startedAt) {
        // the warm handover that led here is done once its trajectory starts
        await tx.query(`UPDATE referral SET status = 'COMPLETED', version = version + 1, updated_at = now() WHERE trajectory_id = $1 AND status = 'ACCEPTED'`, [id]);
        // the follow-up indicators: in work 6, 12, 18 and 24 months after the start?
        await tx.query(
          `INSERT INTO trajectory_checkpoint (trajectory_id, months, due_on)
           SELECT $1, m, (app_today() + make_interval(months => m))::date FROM unnest(ARRAY[6, 12, 18, 24]) AS m`,
          [id],
        );
      }
      tx.audit({ action: 'trajectory.transition', decision: 'ALLOW', resourceType: 'Trajectory', resourceId: id, subjectPersonId: current.personId, ownerOrganisationId: current.directorOrganisationId, categories: ['TRAJECTORY'], ground: { kind: 'OWNER' } });
      return (await this.find(tx, id))!;
    });
  }

  /** A change of type (e.g. a newcomer moving from quick mediation to an integrated pathway), with the reason kept. */
  changeType(ctx: RequestContext, id: string, change: { type: TrajectoryType; reason: string; version: number }): Promise<Trajectory> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.lockAsDirector(tx, ctx, id, change.version);
      if (current.status === 'COMPLETED' || current.status === 'STOPPED') throw new Conflict('trajectory-closed');
      if (current.type === change.type) throw new InvalidInput([{ field: 'type', code: 'type-unchanged' }]);
      try {
        await tx.query(`UPDATE trajectory SET type = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, change.type]);
      } catch (error) {
        if (isUniqueViolation(error, 'trajectory_open_key')) throw new Conflict('trajectory-exists', 'type', { type: change.type });
        throw error;
      }
      await this.history(tx, ctx, id, 'TYPE', current.type, change.type, change.reason);
      tx.audit({ action: 'trajectory.type-change', decision: 'ALLOW', resourceType: 'Trajectory', resourceId: id, subjectPersonId: current.personId, ownerOrganisationId: current.directorOrganisationId, categories: ['TRAJECTORY'], ground: { kind: 'OWNER' } });
      return (await this.find(tx, id))!;
    });
  }

  /**
   * The director adds a partner to the trajectory (EXECUTOR or ADVISOR) with, if given, a responsible
   * user of that partner; the partner's involvement for the trajectory's purpose is recorded with it.
   */
  addParticipant(ctx: RequestContext, id: string, input: { organisationId: string; capacity: 'EXECUTOR' | 'ADVISOR'; version: number }): Promise<Trajectory> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.lockAsDirector(tx, ctx, id, input.version);
      if (current.status === 'COMPLETED' || current.status === 'STOPPED') throw new Conflict('trajectory-closed');
      if (current.participants.some((p) => p.organisationId === input.organisationId)) throw new Conflict('already-participant', 'organisationId');
      const [org] = await tx.query(`SELECT 1 FROM organisation WHERE id = $1 AND active`, [input.organisationId]);
      if (!org) throw new InvalidInput([{ field: 'organisationId', code: 'organisation-not-found' }]);
      const purpose = PURPOSE_OF_TYPE[current.type];
      await tx.query(`INSERT INTO trajectory_participant (trajectory_id, organisation_id, capacity) VALUES ($1, $2, $3)`, [id, input.organisationId, input.capacity]);
      await tx.query(
        `INSERT INTO involvement (organisation_id, person_id, capacity, purpose, valid_from, source, recorded_by_organisation_id, recorded_by)
         SELECT $1, $2, $3, $4, app_today(), 'TRAJECTORY', $5, $6
          WHERE NOT EXISTS (SELECT 1 FROM involvement WHERE organisation_id = $1 AND person_id = $2 AND capacity = $3 AND purpose = $4
                               AND recorded_by_organisation_id = $5 AND ended_at IS NULL)`,
        [input.organisationId, current.personId, input.capacity, purpose, ctx.organisationId, ctx.userId],
      );
      await tx.query(`UPDATE trajectory SET version = version + 1, updated_at = now() WHERE id = $1`, [id]);
      tx.audit({ action: 'trajectory.participant', decision: 'ALLOW', resourceType: 'Trajectory', resourceId: id, subjectPersonId: current.personId, ownerOrganisationId: current.directorOrganisationId, categories: ['TRAJECTORY'] });
      return (await this.find(tx, id))!;
    });
  }

  /** Obstacles, activities and checkpoints: the director or a participant works on them, under its own name. */
  addObstacle(ctx: RequestContext, id: string, input: { kind: string; actions?: string }): Promise<Trajectory> {
    return this.work(ctx, id, 'trajectory.obstacle', (tx, t) =>
      tx.query(`INSERT INTO trajectory_obstacle (trajectory_id, organisation_id, kind, actions) VALUES ($1, $2, $3, $4)`, [
        t.id,
        ctx.organisationId,
        input.kind,
        input.actions ?? null,
      ]),
    );
  }

  updateObstacle(ctx: RequestContext, id: string, obstacleId: string, change: { status: 'OPEN' | 'ADDRESSED'; actions?: string; version: number }): Promise<Trajectory> {
    return this.work(ctx, id, 'trajectory.obstacle', async (tx, t) => {
      const obstacle = t.obstacles.find((o) => o.id === obstacleId);
      if (!obstacle) throw new NotFound('obstacle');
      if (obstacle.version !== change.version) throw new StaleVersion(obstacle.version);
      await tx.query(
        `UPDATE trajectory_obstacle SET status = $2, actions = coalesce($3, actions), version = version + 1, updated_at = now() WHERE id = $1 AND version = $4`,
        [obstacleId, change.status, change.actions ?? null, change.version],
      );
    });
  }

  addActivity(
    ctx: RequestContext,
    id: string,
    input: { kind: string; providerOrganisationId?: string; plannedFrom: string; plannedUntil?: string },
  ): Promise<Trajectory> {
    return this.work(ctx, id, 'trajectory.activity', async (tx, t) => {
      if (input.plannedUntil && input.plannedUntil < input.plannedFrom) throw new InvalidInput([{ field: 'plannedUntil', code: 'until-before-from' }]);
      if (input.providerOrganisationId) {
        const [org] = await tx.query(`SELECT 1 FROM organisation WHERE id = $1 AND active`, [input.providerOrganisationId]);
        if (!org) throw new InvalidInput([{ field: 'providerOrganisationId', code: 'organisation-not-found' }]);
      }
      await tx.query(
        `INSERT INTO trajectory_activity (trajectory_id, organisation_id, kind, provider_organisation_id, planned_from, planned_until)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [t.id, ctx.organisationId, input.kind, input.providerOrganisationId ?? null, input.plannedFrom, input.plannedUntil ?? null],
      );
    });
  }

  updateActivity(
    ctx: RequestContext,
    id: string,
    activityId: string,
    change: { actualFrom?: string; actualUntil?: string; result?: string; version: number },
  ): Promise<Trajectory> {
    return this.work(ctx, id, 'trajectory.activity', async (tx, t) => {
      const activity = t.activities.find((a) => a.id === activityId);
      if (!activity) throw new NotFound('activity');
      if (activity.version !== change.version) throw new StaleVersion(activity.version);
      const from = change.actualFrom ?? activity.actualFrom;
      if (change.actualUntil && (!from || change.actualUntil < from)) throw new InvalidInput([{ field: 'actualUntil', code: 'until-before-from' }]);
      await tx.query(
        `UPDATE trajectory_activity SET actual_from = coalesce($2, actual_from), actual_until = coalesce($3, actual_until),
                result = coalesce($4, result), version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $5`,
        [activityId, change.actualFrom ?? null, change.actualUntil ?? null, change.result ?? null, change.version],
      );
    });
  }

  /** In work or not at a follow-up checkpoint; recorded once it is due. */
  recordCheckpoint(ctx: RequestContext, id: string, months: number, working: boolean): Promise<Trajectory> {
    return this.work(ctx, id, 'trajectory.checkpoint', async (tx, t) => {
      const checkpoint = t.checkpoints.find((c) => c.months === months);
      if (!checkpoint) throw new NotFound('checkpoint');
      if (checkpoint.dueOn > belgianToday()) throw new Conflict('checkpoint-not-due', undefined, { dueOn: checkpoint.dueOn });
      await tx.query(
        `UPDATE trajectory_checkpoint SET working = $3, recorded_at = now(), recorded_by_organisation_id = $4 WHERE trajectory_id = $1 AND months = $2`,
        [t.id, months, working, ctx.organisationId],
      );
    }, true); // follow-up happens after the trajectory has closed
  }

  /** Work on a trajectory the caller can see and takes part in (director or participant), audited. */
  private work(
    ctx: RequestContext,
    id: string,
    action: string,
    change: (tx: Tx, t: Trajectory) => Promise<unknown>,
    allowClosed = false,
  ): Promise<Trajectory> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.find(tx, id, true);
      if (!current) throw new NotFound('trajectory');
      const [{ works }] = await tx.query(`SELECT casework_works_on_trajectory($1) AS works`, [id]);
      if (!works) throw new Forbidden('not-a-trajectory-participant');
      if (!allowClosed && (current.status === 'COMPLETED' || current.status === 'STOPPED')) throw new Conflict('trajectory-closed');
      await change(tx, current);
      tx.audit({ action, decision: 'ALLOW', resourceType: 'Trajectory', resourceId: id, subjectPersonId: current.personId, ownerOrganisationId: current.directorOrganisationId, categories: ['TRAJECTORY'] });
      return (await this.find(tx, id))!;
    });
  }

  private async lockAsDirector(tx: Tx, ctx: RequestContext, id: string, version: number): Promise<Trajectory> {
    const current = await this.find(tx, id, true);
    if (!current) throw new NotFound('trajectory');
    if (current.directorOrganisationId !== ctx.organisationId) throw new Forbidden('only-director-changes-trajectory');
    if (current.version !== version) throw new StaleVersion(current.version);
    return current;
  }

  private readEvent(ctx: RequestContext, t: Trajectory) {
    return {
      action: 'trajectory.read',
      decision: 'ALLOW' as const,
      resourceType: 'Trajectory',
      resourceId: t.id,
      subjectPersonId: t.personId,
      ownerOrganisationId: t.directorOrganisationId,
      categories: ['TRAJECTORY'],
      ground: t.directorOrganisationId === ctx.organisationId ? { kind: 'OWNER' as const } : { kind: 'SHARED' as const },
    };
  }

  private async history(tx: Tx, ctx: RequestContext, id: string, kind: string, from: string | null, to: string, reason: string | null): Promise<void> {
    await tx.query(
      `INSERT INTO trajectory_history (trajectory_id, kind, from_value, to_value, reason, by_user, by_organisation) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, kind, from, to, reason, ctx.userId, ctx.organisationId],
    );
  }

  private async find(tx: Tx, id: string, lock = false): Promise<Trajectory | undefined> {
    if (lock) await tx.query(`SELECT 1 FROM trajectory WHERE id = $1 FOR UPDATE`, [id]);
    const [row] = await tx.query(
      `SELECT t.*,
              (SELECT coalesce(json_agg(json_build_object('organisationId', p.organisation_id, 'capacity', p.capacity,
                                                          'responsibleUserId', p.responsible_user_id) ORDER BY p.since), '[]')
                 FROM trajectory_participant p WHERE p.trajectory_id = t.id) AS participants,
              (SELECT coalesce(json_agg(json_build_object('at', h.at, 'kind', h.kind, 'from', h.from_value, 'to', h.to_value,
                                                          'reason', h.reason, 'byOrganisationId', h.by_organisation) ORDER BY h.at, h.id), '[]')
                 FROM trajectory_history h WHERE h.trajectory_id = t.id) AS history,
              (SELECT coalesce(json_agg(json_build_object('id', o.id, 'kind', o.kind, 'status', o.status, 'actions', o.actions,
                                                          'organisationId', o.organisation_id, 'version', o.version) ORDER BY o.created_at, o.id), '[]')
                 FROM trajectory_obstacle o WHERE o.trajectory_id = t.id) AS obstacles,
              (SELECT coalesce(json_agg(json_build_object('id', a.id, 'kind', a.kind, 'organisationId', a.organisation_id,
                                                          'providerOrganisationId', a.provider_organisation_id, 'plannedFrom', a.planned_from,
                                                          'plannedUntil', a.planned_until, 'actualFrom', a.actual_from, 'actualUntil', a.actual_until,
                                                          'result', a.result, 'version', a.version) ORDER BY a.planned_from, a.id), '[]')
                 FROM trajectory_activity a WHERE a.trajectory_id = t.id) AS activities,
              (SELECT coalesce(json_agg(json_build_object('months', c.months, 'dueOn', c.due_on, 'working', c.working, 'recordedAt', c.recorded_at)
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
      checkpoints: row.checkpoints,
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

/**
 * A standing NOT_YET_READY signal (sent, not withdrawn, review date not passed) of the organisation that
 * directs the client's trajectory blocks starting MEDIATION; another organisation's signal does not.
 */
export async function assertReadyForMediation(tx: Tx, personId: string, director: string): Promise<void> {
  const [{ until }] = await tx.query(`SELECT casework_not_ready_until($1, $2)::text AS until`, [personId, director]);
  if (until) throw new Conflict('not-yet-ready', undefined, { until });
}
