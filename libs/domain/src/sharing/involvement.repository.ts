import type { Capacity, Purpose, Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';

export interface Involvement {
  id: string;
  organisationId: string;
  personId: string;
  capacity: Capacity;
  purpose: Purpose;
  validFrom: string;
  validUntil: string | null;
  source: string;
  recordedByOrganisationId: string;
  recordedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  active: boolean;
}

/** Where an involvement came from: a registration (OWNER), by hand, a handover the owner sent, a trajectory it directs. */
export type InvolvementSource = 'REGISTRATION' | 'MANUAL' | 'HANDOVER' | 'TRAJECTORY';

export interface InvolvementRecord {
  organisationId: string;
  personId: string;
  capacity: Capacity;
  purpose: Purpose;
  source: InvolvementSource;
  /** the organisation whose data the involvement opens, and its user who recorded it */
  recordedByOrganisationId: string;
  recordedBy: string;
  validUntil?: string | null;
  /** skip (answer undefined) when the same active involvement is on record: handovers and trajectories may meet one */
  unlessActive?: boolean;
}

const COLUMNS = `i.id, i.organisation_id, i.person_id, i.capacity, i.purpose, i.valid_from::text, i.valid_until::text, i.source,
  i.recorded_by_organisation_id, i.recorded_at, i.ended_at, i.end_reason,
  (i.ended_at IS NULL AND i.valid_from <= app_today() AND (i.valid_until IS NULL OR app_today() <= i.valid_until)) AS active`;

/** All SQL of the involvement register. */
@Injectable()
export class InvolvementRepository {
  /**
   * Records an involvement from today; its id, or undefined when `unlessActive` found one on record.
   * (An error would abort the transaction, so "already there" is asked in the insert, not caught.)
   */
  async record(tx: Tx, input: InvolvementRecord): Promise<string | undefined> {
    const rows = await tx.query(
      `INSERT INTO involvement (organisation_id, person_id, capacity, purpose, valid_from, valid_until, source, recorded_by_organisation_id, recorded_by)
       SELECT $1, $2, $3, $4, app_today(), $5, $6, $7, $8
        WHERE NOT $9::boolean
           OR NOT EXISTS (SELECT 1 FROM involvement WHERE organisation_id = $1 AND person_id = $2 AND capacity = $3 AND purpose = $4
                             AND recorded_by_organisation_id = $7 AND ended_at IS NULL)
       RETURNING id`,
      [
        input.organisationId,
        input.personId,
        input.capacity,
        input.purpose,
        input.validUntil ?? null,
        input.source,
        input.recordedByOrganisationId,
        input.recordedBy,
        input.unlessActive ?? false,
      ],
    );
    return rows[0]?.id;
  }

  async find(tx: Tx, id: string, lock = false): Promise<Involvement | undefined> {
    const rows = await tx.query(`SELECT ${COLUMNS} FROM involvement i WHERE i.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] && toInvolvement(rows[0]);
  }

  /** Involvements in a person's trajectory that the organisation holds or recorded. */
  async listHeldOrRecordedBy(tx: Tx, personId: string, organisationId: string): Promise<Involvement[]> {
    const rows = await tx.query(
      `SELECT ${COLUMNS} FROM involvement i
        WHERE i.person_id = $1 AND (i.organisation_id = $2 OR i.recorded_by_organisation_id = $2)
        ORDER BY i.recorded_at, i.id`,
      [personId, organisationId],
    );
    return rows.map(toInvolvement);
  }

  async end(tx: Tx, id: string, userId: string, reason: string | null): Promise<void> {
    await tx.query(`UPDATE involvement SET ended_at = now(), ended_by = $2, end_reason = $3 WHERE id = $1`, [id, userId, reason]);
  }
}

function toInvolvement(r: Record<string, any>): Involvement {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    personId: r.person_id,
    capacity: r.capacity,
    purpose: r.purpose,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    source: r.source,
    recordedByOrganisationId: r.recorded_by_organisation_id,
    recordedAt: r.recorded_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    active: r.active,
  };
}
