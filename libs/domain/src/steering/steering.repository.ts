import type { Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';

export interface SteeringMeeting {
  id: string;
  agreementId: string;
  heldOn: string;
  attendeeOrganisationIds: string[];
  decisions: string;
  /** the minutes' file name, when they are attached */
  minutesName: string | null;
  recordedByOrganisationId: string;
  recordedAt: Date;
}

export interface ActionPlan {
  agreementId: string;
  year: number;
  plan: string;
  evaluation: string | null;
  updatedByOrganisationId: string;
  updatedAt: Date;
  version: number;
}

export interface NewMeeting {
  heldOn: string;
  attendeeOrganisationIds: string[];
  decisions: string;
}

/** How many meetings and plans an agreement's steering group answers at most (two meetings a year for decades). */
export const STEERING_MAX = 200;

const MEETING = `m.id, m.agreement_id, m.held_on::text, m.attendee_organisation_ids, m.decisions, m.minutes_name, m.recorded_by_organisation_id, m.recorded_at`;

/** `steering_meeting` and `action_plan`, read and written as the request's role (row-level security: the agreement's parties). */
@Injectable()
export class SteeringRepository {
  async meetings(tx: Tx, agreementId: string): Promise<SteeringMeeting[]> {
    const rows = await tx.query(
      `SELECT ${MEETING} FROM steering_meeting m WHERE m.agreement_id = $1 ORDER BY m.held_on DESC, m.recorded_at DESC LIMIT ${STEERING_MAX}`,
      [agreementId],
    );
    return rows.map(toMeeting);
  }

  async insertMeeting(tx: Tx, agreementId: string, by: { userId: string; organisationId: string }, input: NewMeeting): Promise<SteeringMeeting> {
    const [row] = await tx.query(
      `INSERT INTO steering_meeting AS m (agreement_id, held_on, attendee_organisation_ids, decisions, recorded_by, recorded_by_organisation_id)
       VALUES ($1, $2::date, $3::uuid[], $4, $5, $6) RETURNING ${MEETING}`,
      [agreementId, input.heldOn, input.attendeeOrganisationIds, input.decisions, by.userId, by.organisationId],
    );
    return toMeeting(row);
  }

  /** false when there is no such meeting of the agreement (or the caller may not change it) */
  async attachMinutes(tx: Tx, agreementId: string, meetingId: string, file: { name: string; mediaType: string; content: Buffer }): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE steering_meeting SET minutes = $3, minutes_name = $4, minutes_media_type = $5 WHERE id = $2 AND agreement_id = $1 RETURNING id`,
      [agreementId, meetingId, file.content, file.name, file.mediaType],
    );
    return rows.length === 1;
  }

  async minutes(tx: Tx, agreementId: string, meetingId: string): Promise<{ name: string; mediaType: string; content: Buffer } | undefined> {
    const [row] = await tx.query(
      `SELECT minutes_name, minutes_media_type, minutes FROM steering_meeting WHERE id = $2 AND agreement_id = $1 AND minutes IS NOT NULL`,
      [agreementId, meetingId],
    );
    return row ? { name: row.minutes_name, mediaType: row.minutes_media_type, content: row.minutes } : undefined;
  }

  async plans(tx: Tx, agreementId: string): Promise<ActionPlan[]> {
    const rows = await tx.query(
      `SELECT agreement_id, year, plan, evaluation, updated_by_organisation_id, updated_at, version FROM action_plan WHERE agreement_id = $1 ORDER BY year DESC LIMIT ${STEERING_MAX}`,
      [agreementId],
    );
    return rows.map(toPlan);
  }

  async plan(tx: Tx, agreementId: string, year: number, lock = false): Promise<ActionPlan | undefined> {
    const [row] = await tx.query(
      `SELECT agreement_id, year, plan, evaluation, updated_by_organisation_id, updated_at, version FROM action_plan WHERE agreement_id = $1 AND year = $2${lock ? ' FOR UPDATE' : ''}`,
      [agreementId, year],
    );
    return row ? toPlan(row) : undefined;
  }

  async insertPlan(
    tx: Tx,
    agreementId: string,
    year: number,
    by: { userId: string; organisationId: string },
    input: { plan: string; evaluation: string | null },
  ): Promise<ActionPlan> {
    const [row] = await tx.query(
      `INSERT INTO action_plan (agreement_id, year, plan, evaluation, updated_by, updated_by_organisation_id) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING agreement_id, year, plan, evaluation, updated_by_organisation_id, updated_at, version`,
      [agreementId, year, input.plan, input.evaluation, by.userId, by.organisationId],
    );
    return toPlan(row);
  }

  /** undefined when the version is not the current one */
  async updatePlan(
    tx: Tx,
    agreementId: string,
    year: number,
    version: number,
    by: { userId: string; organisationId: string },
    input: { plan: string; evaluation: string | null },
  ): Promise<ActionPlan | undefined> {
    const [row] = await tx.query(
      `UPDATE action_plan SET plan = $4, evaluation = $5, updated_by = $6, updated_by_organisation_id = $7, updated_at = now(), version = version + 1
        WHERE agreement_id = $1 AND year = $2 AND version = $3
       RETURNING agreement_id, year, plan, evaluation, updated_by_organisation_id, updated_at, version`,
      [agreementId, year, version, input.plan, input.evaluation, by.userId, by.organisationId],
    );
    return row ? toPlan(row) : undefined;
  }
}

function toMeeting(row: Record<string, any>): SteeringMeeting {
  return {
    id: row.id,
    agreementId: row.agreement_id,
    heldOn: row.held_on,
    attendeeOrganisationIds: row.attendee_organisation_ids,
    decisions: row.decisions,
    minutesName: row.minutes_name,
    recordedByOrganisationId: row.recorded_by_organisation_id,
    recordedAt: row.recorded_at,
  };
}

function toPlan(row: Record<string, any>): ActionPlan {
  return {
    agreementId: row.agreement_id,
    year: row.year,
    plan: row.plan,
    evaluation: row.evaluation,
    updatedByOrganisationId: row.updated_by_organisation_id,
    updatedAt: row.updated_at,
    version: row.version,
  };
}
