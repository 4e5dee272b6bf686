import { belgianToday, InvalidInput, isUniqueViolation, NotFound, RequestTransaction, VersionMismatch, type RequestContext, type Tx } from '@app/kernel';
import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { type ActionPlan, type NewMeeting, SteeringRepository, type SteeringMeeting } from './steering.repository.js';

export interface SteeringGroup {
  agreementId: string;
  /** newest first; each with the day of the meeting before it (the figures "since the last meeting" start the day after) */
  meetings: Array<SteeringMeeting & { previousHeldOn: string | null }>;
  /** newest year first */
  actionPlans: ActionPlan[];
}

/**
 * An agreement's steering group: it meets (twice a year, the cooperation agreement says), decides and
 * keeps minutes, and evaluates its yearly action plan. The staff of its parties who read the figures
 * or keep the agreement read it; a party's admins and team leads record it, in their organisation's
 * name (row-level security holds both to the agreement's parties). No client data: audited as
 * governance records, with no person.
 */
@Injectable()
export class SteeringService {
  constructor(
    private readonly transaction: RequestTransaction,
    private readonly steering: SteeringRepository,
  ) {}

  read(ctx: RequestContext, agreementId: string): Promise<SteeringGroup> {
    return this.transaction.run(ctx, async (tx) => {
      await this.mustBeParty(tx, agreementId);
      const meetings = await this.steering.meetings(tx, agreementId);
      return {
        agreementId,
        meetings: meetings.map((m, i) => ({ ...m, previousHeldOn: meetings[i + 1]?.heldOn ?? null })),
        actionPlans: await this.steering.plans(tx, agreementId),
      };
    });
  }

  recordMeeting(ctx: RequestContext, agreementId: string, input: NewMeeting): Promise<SteeringMeeting> {
    const today = belgianToday();
    if (input.heldOn > today) throw new InvalidInput([{ field: 'heldOn', code: 'not-in-future', params: { today } }]);
    const attendees = [...new Set(input.attendeeOrganisationIds.map((id) => id.toLowerCase()))];
    return this.transaction.run(ctx, async (tx) => {
      await this.mustBeParty(tx, agreementId);
      const known = await tx.query(`SELECT id FROM organisation WHERE id = ANY ($1::uuid[])`, [attendees]);
      if (known.length !== attendees.length) throw new InvalidInput([{ field: 'attendeeOrganisationIds', code: 'organisation-not-found' }]);
      const meeting = await this.steering.insertMeeting(
        tx,
        agreementId,
        { userId: ctx.userId, organisationId: ctx.organisationId },
        {
          ...input,
          decisions: input.decisions.trim(),
          attendeeOrganisationIds: attendees,
        },
      );
      tx.audit({ action: 'steering.meeting.create', decision: 'ALLOW', resourceType: 'SteeringMeeting', resourceId: meeting.id, categories: [] });
      return meeting;
    });
  }

  attachMinutes(ctx: RequestContext, agreementId: string, meetingId: string, file: { name: string; mediaType: string; content: Buffer }): Promise<void> {
    return this.transaction.run(ctx, async (tx) => {
      await this.mustBeParty(tx, agreementId);
      if (!(await this.steering.attachMinutes(tx, agreementId, meetingId, file))) throw new NotFound('meeting');
      tx.audit({ action: 'steering.minutes.attach', decision: 'ALLOW', resourceType: 'SteeringMeeting', resourceId: meetingId, categories: [] });
    });
  }

  minutes(ctx: RequestContext, agreementId: string, meetingId: string): Promise<{ name: string; mediaType: string; content: Buffer }> {
    return this.transaction.run(ctx, async (tx) => {
      await this.mustBeParty(tx, agreementId);
      const minutes = await this.steering.minutes(tx, agreementId, meetingId);
      if (!minutes) throw new NotFound('meeting');
      return minutes;
    });
  }

  /**
   * The action plan of a year, with its evaluation: created when there is none (no If-Match), else
   * changed from the version the caller read (If-Match; none is a 428, an older one a 412).
   */
  savePlan(
    ctx: RequestContext,
    agreementId: string,
    year: number,
    version: number | undefined,
    input: { plan: string; evaluation?: string | null },
  ): Promise<ActionPlan> {
    const clean = { plan: input.plan.trim(), evaluation: input.evaluation?.trim() || null };
    const by = { userId: ctx.userId, organisationId: ctx.organisationId };
    return this.transaction.run(ctx, async (tx) => {
      await this.mustBeParty(tx, agreementId);
      const current = await this.steering.plan(tx, agreementId, year, true);
      let saved: ActionPlan | undefined;
      if (!current) {
        if (version !== undefined) throw new VersionMismatch(0);
        try {
          saved = await this.steering.insertPlan(tx, agreementId, year, by, clean);
        } catch (error) {
          if (isUniqueViolation(error, 'action_plan_pkey')) throw new VersionMismatch(1);
          throw error;
        }
      } else {
        if (version === undefined) throw new HttpException({ code: 'if-match-required' }, HttpStatus.PRECONDITION_REQUIRED);
        saved = await this.steering.updatePlan(tx, agreementId, year, version, by, clean);
        if (!saved) throw new VersionMismatch(current.version);
      }
      tx.audit({ action: 'steering.plan.save', decision: 'ALLOW', resourceType: 'ActionPlan', resourceId: `${agreementId}/${year}`, categories: [] });
      return saved;
    });
  }

  /** The same answer whether the agreement does not exist or the caller's organisation is no party to it. */
  private async mustBeParty(tx: Tx, agreementId: string): Promise<void> {
    const [row] = await tx.query(`SELECT casework_agreement_party($1::uuid) AS party`, [agreementId]);
    if (!row?.party) throw new NotFound('agreement');
  }
}
