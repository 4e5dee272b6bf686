import { randomUUID } from 'node:crypto';
import { RequestTransaction, belgianToday, type AuditGround, type Purpose, type RequestContext, type Tx } from '@app/kernel';
import { sharedGround } from '../clients/client.service.js';
import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { ClientRepository } from '../clients/client.repository.js';
import { Conflict, Forbidden, InvalidInput, NotFound, isUniqueViolation } from '@app/kernel';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import { NotificationService } from '../notifications/notification.service.js';
import { InvolvementService } from '../sharing/involvement.service.js';
import { checkTrajectoryTransition, type TrajectoryStatus, type TrajectoryType } from './trajectory-status.js';
import { TrajectoryRepository, type CheckpointSource, type Trajectory, type TrajectoryOutcome } from './trajectory.repository.js';

export { TRAJECTORY_OUTCOMES, type Trajectory, type TrajectoryOutcome } from './trajectory.repository.js';

/** What happens in the same transaction when a trajectory starts (first ACTIVE): another aggregate's follow-up. */
export type TrajectoryStartListener = (tx: Tx, ctx: RequestContext, trajectory: Trajectory) => Promise<void>;

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

/**
 * Trajectories an executor carries out (VDAB, as the cooperation agreement has it): mediation and the
 * four Integration Through Work types. Their executor starts, holds, resumes and completes them and
 * records the screening that sets or switches the ITW type; the director is told of each and may stop
 * the trajectory.
 */
export const EXECUTED_TYPES: readonly TrajectoryType[] = ['MEDIATION', 'QUICK_MEDIATION', 'INTEGRATED_PATHWAY', 'COMBINED_PATHWAY', 'LINEAR_PATHWAY'];
const ITW_TYPES: readonly TrajectoryType[] = ['QUICK_MEDIATION', 'INTEGRATED_PATHWAY', 'COMBINED_PATHWAY', 'LINEAR_PATHWAY'];
const EXECUTOR_MOVES: readonly TrajectoryStatus[] = ['ACTIVE', 'ON_HOLD', 'COMPLETED'];

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
 * the sharing rule (category TRAJECTORY). The director changes status and type; the executor of a
 * mediation or ITW trajectory starts, holds, resumes and completes it and records the screening that
 * sets its ITW type, and the director hears of each. Every change is version-guarded, kept in the
 * history with its reason and author, and audited.
 */
@Injectable()
export class TrajectoryService {
  private readonly startListeners: TrajectoryStartListener[] = [];

  constructor(
    private readonly clients: ClientRepository,
    private readonly trajectories: TrajectoryRepository,
    private readonly involvements: InvolvementService,
    private readonly organisations: OrganisationRepository,
    private readonly notifications: NotificationService,
    private readonly transaction: RequestTransaction,
  ) {}

  /**
   * Called when a trajectory starts, in its transaction. (The referral aggregate completes the handover
   * that led here; it registers itself, so this service need not know referrals.)
   */
  onStart(listener: TrajectoryStartListener): void {
    this.startListeners.push(listener);
  }

  create(ctx: RequestContext, input: NewTrajectory): Promise<Trajectory> {
    return this.transaction.run(ctx, async (tx) => {
      if (!(await this.clients.ownsFile(tx, input.clientId))) throw new NotFound('client');
      if (!ctx.ability.can('update', subject('ClientFile', { organisationId: ctx.organisationId }))) throw new Forbidden('forbidden');
      if (EXECUTED_TYPES.includes(input.type)) await assertReadyForMediation(tx, input.clientId, ctx.organisationId);
      try {
        const id = await this.start(tx, ctx, {
          personId: input.clientId,
          director: ctx.organisationId,
          directorUserId: ctx.userId,
          type: input.type,
          jobTarget: input.jobTarget,
          reason: null,
        });
        return (await this.trajectories.find(tx, id))!;
      } catch (error) {
        if (isUniqueViolation(error, 'trajectory_open_key')) throw new Conflict('trajectory-exists', 'type', { type: input.type });
        throw error;
      }
    });
  }

  get(ctx: RequestContext, id: string): Promise<Trajectory> {
    return this.transaction.run(ctx, async (tx) => {
      const trajectory = await this.trajectories.find(tx, id);
      if (!trajectory) throw new NotFound('trajectory');
      tx.audit(this.readEvent(trajectory, await this.groundOf(tx, ctx, trajectory)));
      return trajectory;
    });
  }

  /** The trajectories of a person the caller may see: its own, and partners' under the sharing rule. */
  listForClient(ctx: RequestContext, personId: string): Promise<Trajectory[]> {
    return this.transaction.run(ctx, async (tx) => {
      const trajectories: Trajectory[] = [];
      for (const id of await this.trajectories.readableIdsOfPerson(tx, personId)) trajectories.push((await this.trajectories.find(tx, id))!);
      if (trajectories.length === 0 && !(await this.clients.ownsFile(tx, personId))) throw new NotFound('client');
      for (const trajectory of trajectories) tx.audit(this.readEvent(trajectory, await this.groundOf(tx, ctx, trajectory)));
      return trajectories;
    });
  }

  /** A status change; an illegal one is a 409 that names the allowed ones. Closing needs an outcome. */
  transition(
    ctx: RequestContext,
    id: string,
    change: { to: TrajectoryStatus; reason?: string; version: number; outcome?: TrajectoryOutcome },
  ): Promise<Trajectory> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.lockToRun(tx, ctx, id, change.version, (t) => EXECUTOR_MOVES.includes(change.to) && EXECUTED_TYPES.includes(t.type));
      const check = checkTrajectoryTransition(current.status, change.to);
      if (!check.ok) throw new Conflict('illegal-transition', 'to', { from: current.status, to: change.to, allowed: check.allowed.join(', ') || 'none' });
      // a standing NOT_YET_READY signal of the director holds the start of mediation, whatever its type
      if (change.to === 'ACTIVE' && !current.startedAt && EXECUTED_TYPES.includes(current.type)) {
        await assertReadyForMediation(tx, current.personId, current.directorOrganisationId);
      }
      const closing = change.to === 'COMPLETED' || change.to === 'STOPPED';
      if (closing && !change.outcome) throw new InvalidInput([{ field: 'outcome', code: 'outcome-required' }]);
      await this.trajectories.updateStatus(tx, id, change.to, closing ? change.outcome! : null);
      await this.history(tx, ctx, id, 'STATUS', current.status, change.to, change.reason ?? null);
      if (change.to === 'ACTIVE' && !current.startedAt) {
        await this.trajectories.addCheckpoints(tx, id);
        for (const listener of this.startListeners) await listener(tx, ctx, current);
      }
      await this.tellDirector(tx, ctx, current, 'trajectory.status-changed');
      tx.audit(changeEvent(current, 'trajectory.transition', await this.groundOf(tx, ctx, current)));
      return (await this.trajectories.find(tx, id))!;
    });
  }

  /** A change of type (e.g. a newcomer moving from quick mediation to an integrated pathway), with the reason kept. */
  changeType(ctx: RequestContext, id: string, change: { type: TrajectoryType; reason: string; version: number }): Promise<Trajectory> {
    return this.transaction.run(ctx, async (tx) => {
      // the executor's screening sets or switches the Integration Through Work type
      const current = await this.lockToRun(tx, ctx, id, change.version, (t) => EXECUTED_TYPES.includes(t.type) && ITW_TYPES.includes(change.type));
      if (current.status === 'COMPLETED' || current.status === 'STOPPED') throw new Conflict('trajectory-closed');
      if (current.type === change.type) throw new InvalidInput([{ field: 'type', code: 'type-unchanged' }]);
      try {
        await this.trajectories.updateType(tx, id, change.type);
      } catch (error) {
        if (isUniqueViolation(error, 'trajectory_open_key')) throw new Conflict('trajectory-exists', 'type', { type: change.type });
        throw error;
      }
      await this.history(tx, ctx, id, 'TYPE', current.type, change.type, change.reason);
      await this.tellDirector(tx, ctx, current, 'trajectory.type-changed');
      tx.audit(changeEvent(current, 'trajectory.type-change', await this.groundOf(tx, ctx, current)));
      return (await this.trajectories.find(tx, id))!;
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
      if (!(await this.organisations.isActive(tx, input.organisationId))) throw new InvalidInput([{ field: 'organisationId', code: 'organisation-not-found' }]);
      await this.trajectories.addParticipant(tx, id, input.organisationId, input.capacity);
      await this.involvements.recordOnBehalf(tx, ctx, {
        organisationId: input.organisationId,
        personId: current.personId,
        capacity: input.capacity,
        purpose: PURPOSE_OF_TYPE[current.type],
        owner: ctx.organisationId,
        source: 'TRAJECTORY',
      });
      await this.trajectories.bumpVersion(tx, id);
      tx.audit({
        action: 'trajectory.participant',
        decision: 'ALLOW',
        resourceType: 'Trajectory',
        resourceId: id,
        subjectPersonId: current.personId,
        ownerOrganisationId: current.directorOrganisationId,
        categories: ['TRAJECTORY'],
        ground: await this.groundOf(tx, ctx, current),
      });
      return (await this.trajectories.find(tx, id))!;
    });
  }

  /** Obstacles, activities and checkpoints: the director or a participant works on them, under its own name. */
  addObstacle(ctx: RequestContext, id: string, input: { kind: string; actions?: string }): Promise<Trajectory> {
    return this.work(ctx, id, 'trajectory.obstacle', (tx, t) =>
      this.trajectories.addObstacle(tx, t.id, { organisationId: ctx.organisationId, userId: ctx.userId }, input.kind, input.actions ?? null),
    );
  }

  updateObstacle(
    ctx: RequestContext,
    id: string,
    obstacleId: string,
    change: { status: 'OPEN' | 'ADDRESSED'; actions?: string; version: number },
  ): Promise<Trajectory> {
    return this.work(ctx, id, 'trajectory.obstacle', async (tx, t) => {
      const obstacle = t.obstacles.find((o) => o.id === obstacleId);
      if (!obstacle) throw new NotFound('obstacle');
      // each organisation changes its own rows: a participant never rewrites the director's (or another's)
      if (obstacle.organisationId !== ctx.organisationId) throw new Forbidden('not-own-trajectory-row');
      if (obstacle.version !== change.version || !(await this.trajectories.updateObstacle(tx, obstacleId, ctx.userId, change))) {
        throw new StaleVersion(obstacle.version);
      }
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
        if (!(await this.organisations.isActive(tx, input.providerOrganisationId)))
          throw new InvalidInput([{ field: 'providerOrganisationId', code: 'organisation-not-found' }]);
      }
      await this.trajectories.addActivity(tx, t.id, { organisationId: ctx.organisationId, userId: ctx.userId }, input);
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
      if (activity.organisationId !== ctx.organisationId) throw new Forbidden('not-own-trajectory-row');
      if (activity.version !== change.version) throw new StaleVersion(activity.version);
      const from = change.actualFrom ?? activity.actualFrom;
      if (change.actualUntil && (!from || change.actualUntil < from)) throw new InvalidInput([{ field: 'actualUntil', code: 'until-before-from' }]);
      if (!(await this.trajectories.updateActivity(tx, activityId, ctx.userId, change))) throw new StaleVersion(activity.version);
    });
  }

  /**
   * The caller's organisation's observation at a follow-up checkpoint (in work or not, and how it knows),
   * once it is due. Every organisation keeps its own; recording again replaces only one's own.
   */
  recordCheckpoint(ctx: RequestContext, id: string, months: number, observation: { working: boolean; source: CheckpointSource }): Promise<Trajectory> {
    return this.work(
      ctx,
      id,
      'trajectory.checkpoint',
      async (tx, t) => {
        const checkpoint = t.checkpoints.find((c) => c.months === months);
        if (!checkpoint) throw new NotFound('checkpoint');
        if (checkpoint.dueOn > belgianToday()) throw new Conflict('checkpoint-not-due', undefined, { dueOn: checkpoint.dueOn });
        await this.trajectories.recordCheckpoint(tx, t.id, months, { ...observation, organisationId: ctx.organisationId, userId: ctx.userId });
      },
      true,
    ); // follow-up happens after the trajectory has closed
  }

  /** Work on a trajectory the caller can see and takes part in (director or participant), audited. */
  private work(ctx: RequestContext, id: string, action: string, change: (tx: Tx, t: Trajectory) => Promise<unknown>, allowClosed = false): Promise<Trajectory> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.trajectories.find(tx, id, true);
      if (!current) throw new NotFound('trajectory');
      if (!(await this.trajectories.worksOn(tx, id))) throw new Forbidden('not-a-trajectory-participant');
      if (!allowClosed && (current.status === 'COMPLETED' || current.status === 'STOPPED')) throw new Conflict('trajectory-closed');
      await change(tx, current);
      tx.audit({
        action,
        decision: 'ALLOW',
        resourceType: 'Trajectory',
        resourceId: id,
        subjectPersonId: current.personId,
        ownerOrganisationId: current.directorOrganisationId,
        categories: ['TRAJECTORY'],
        ground: await this.groundOf(tx, ctx, current),
      });
      return (await this.trajectories.find(tx, id))!;
    });
  }

  /**
   * The trajectory, locked, for a change its director may make, or its EXECUTOR participant where
   * `executorMay` says so (a mediation or ITW trajectory's start, hold, resume, completion and screening).
   */
  private async lockToRun(tx: Tx, ctx: RequestContext, id: string, version: number, executorMay: (t: Trajectory) => boolean): Promise<Trajectory> {
    const current = await this.trajectories.find(tx, id, true);
    if (!current) throw new NotFound('trajectory');
    const director = current.directorOrganisationId === ctx.organisationId;
    const executor = current.participants.some((p) => p.organisationId === ctx.organisationId && p.capacity === 'EXECUTOR');
    if (!director && !(executor && executorMay(current))) {
      throw new Forbidden(executor ? 'only-director-may' : 'only-director-changes-trajectory');
    }
    if (current.version !== version) throw new StaleVersion(current.version);
    return current;
  }

  /** When the executor moves the trajectory, the director's responsible case worker hears of it (its team leads when none is named). */
  private async tellDirector(tx: Tx, ctx: RequestContext, t: Trajectory, kind: 'trajectory.status-changed' | 'trajectory.type-changed'): Promise<void> {
    if (t.directorOrganisationId === ctx.organisationId) return;
    const responsible = t.participants.find((p) => p.organisationId === t.directorOrganisationId && p.capacity === 'DIRECTOR')?.responsibleUserId;
    await this.notifications.notify(tx, { userIds: responsible ? [responsible] : [], organisationId: t.directorOrganisationId }, kind, {
      clientId: t.personId,
    });
  }

  private async lockAsDirector(tx: Tx, ctx: RequestContext, id: string, version: number): Promise<Trajectory> {
    const current = await this.trajectories.find(tx, id, true);
    if (!current) throw new NotFound('trajectory');
    if (current.directorOrganisationId !== ctx.organisationId) throw new Forbidden('only-director-changes-trajectory');
    if (current.version !== version) throw new StaleVersion(current.version);
    return current;
  }

  /**
   * On which ground the caller works with a trajectory: its director's own file, or the rule's ground
   * for the director's TRAJECTORY category (the involvement the director recorded, its agreement and
   * consent), so the citizen's report can say which.
   */
  private async groundOf(tx: Tx, ctx: RequestContext, t: Trajectory): Promise<AuditGround> {
    if (t.directorOrganisationId === ctx.organisationId) return { kind: 'OWNER' };
    const grounds = await this.clients.partnerGrounds(tx, ctx, [t.personId]);
    return sharedGround(grounds.find((g) => g.organisationId === t.directorOrganisationId && g.category === 'TRAJECTORY'));
  }

  private readEvent(t: Trajectory, ground: AuditGround) {
    return {
      action: 'trajectory.read',
      decision: 'ALLOW' as const,
      resourceType: 'Trajectory',
      resourceId: t.id,
      subjectPersonId: t.personId,
      ownerOrganisationId: t.directorOrganisationId,
      categories: ['TRAJECTORY'],
      ground,
    };
  }

  private async history(
    tx: Tx,
    ctx: RequestContext,
    id: string,
    kind: 'CREATED' | 'STATUS' | 'TYPE',
    from: string | null,
    to: string,
    reason: string | null,
  ): Promise<void> {
    await this.trajectories.addHistory(tx, id, { kind, from, to, reason, byUser: ctx.userId, byOrganisation: ctx.organisationId });
  }

  /**
   * The one way a trajectory comes to be, by hand or by an accepted handover: the trajectory with its
   * director, one CREATED history row, and a `trajectory.create` event about the director's file.
   */
  private async start(
    tx: Tx,
    ctx: RequestContext,
    t: {
      personId: string;
      director: string;
      directorUserId: string;
      type: TrajectoryType;
      jobTarget?: NewTrajectory['jobTarget'];
      reason: string | null;
      /** what the creation served, when the request names no purpose (an accepted handover: MEDIATION) */
      purpose?: Purpose;
      /** the handover whose acceptance starts it on its sender's behalf */
      referralId?: string;
    },
  ): Promise<string> {
    const id = randomUUID();
    await this.trajectories.insert(tx, {
      id,
      personId: t.personId,
      directorOrganisationId: t.director,
      type: t.type,
      jobTarget: t.jobTarget,
      createdBy: ctx.userId,
      directorResponsibleUserId: t.directorUserId,
    });
    await this.history(tx, ctx, id, 'CREATED', null, t.type, t.reason);
    tx.audit({
      action: 'trajectory.create',
      decision: 'ALLOW',
      resourceType: 'Trajectory',
      resourceId: id,
      subjectPersonId: t.personId,
      ownerOrganisationId: t.director,
      categories: ['TRAJECTORY'],
      ...(t.purpose ? { purpose: t.purpose } : {}),
      ...(t.director === ctx.organisationId
        ? { ground: { kind: 'OWNER' as const } }
        : t.referralId
          ? { ground: { kind: 'SHARED' as const, referralId: t.referralId } }
          : {}),
    });
    return id;
  }

  /**
   * A warm handover accepted by the caller's organisation: it is involved for MEDIATION on the sender's
   * behalf, and joins the sender's open MEDIATION trajectory or starts one the sender directs (with the
   * sending user responsible). Joining adds a participant, never a second CREATED row. Returns the id;
   * the caller may not be able to read the trajectory itself.
   */
  async joinOrStartMediation(
    tx: Tx,
    ctx: RequestContext,
    handover: { personId: string; sender: string; senderUserId: string; referralId?: string },
  ): Promise<string> {
    await assertReadyForMediation(tx, handover.personId, handover.sender);
    // Recorded on the sender's behalf: the sender's handover is what opens the sender's data.
    await this.involvements.recordOnBehalf(tx, ctx, {
      organisationId: ctx.organisationId,
      personId: handover.personId,
      capacity: 'EXECUTOR',
      purpose: 'MEDIATION',
      owner: handover.sender,
      source: 'HANDOVER',
    });
    const id =
      (await this.trajectories.openMediation(tx, handover.personId)) ??
      (await this.start(tx, ctx, {
        personId: handover.personId,
        director: handover.sender,
        directorUserId: handover.senderUserId,
        type: 'MEDIATION',
        reason: 'Warm handover accepted',
        purpose: 'MEDIATION',
        referralId: handover.referralId,
      }));
    await this.trajectories.joinAsExecutor(tx, id, ctx.organisationId, ctx.userId);
    return id;
  }
}

/** A change of a trajectory's status or type, by its director (OWNER) or its executor (SHARED). */
function changeEvent(t: Trajectory, action: string, ground: AuditGround) {
  return {
    action,
    decision: 'ALLOW' as const,
    resourceType: 'Trajectory',
    resourceId: t.id,
    subjectPersonId: t.personId,
    ownerOrganisationId: t.directorOrganisationId,
    categories: ['TRAJECTORY'],
    ground,
  };
}

/**
 * A standing NOT_YET_READY signal (sent and not withdrawn, review date not passed) of the organisation
 * that directs the client's trajectory blocks starting mediation of any type (MEDIATION and the ITW
 * types); another organisation's signal does not.
 */
export async function assertReadyForMediation(tx: Tx, personId: string, director: string): Promise<void> {
  const [{ until }] = await tx.query(`SELECT casework_not_ready_until($1, $2)::text AS until`, [personId, director]);
  if (until) throw new Conflict('not-yet-ready', undefined, { until });
}
