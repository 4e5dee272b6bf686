import { DATA_CATEGORIES, type DataCategory, type Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { ERASURES_PER_LIST, type ClientErasure, type ErasureBlocker, type ErasureReason, type RetentionPeriods, type RetentionSetting } from './erasure.js';

const COLUMNS = `e.id, e.person_id, e.organisation_id, e.reason, e.note, e.whole_file, e.categories, e.removed, e.erased_by, e.erased_at`;

/**
 * Erasure records (`client_erasure`) and retention settings (`retention_setting`). What an erasure
 * removes is one SQL function (`casework_erase_file`, libs/domain/sql/60-erasure.sql): request work may
 * delete none of those rows itself. Reads run under row-level security (the organisation's own records,
 * for its privacy officers and admins); the retention job's queries run as the owner.
 */
@Injectable()
export class ErasureRepository {
  /** Open trajectories the caller's organisation directs and open referrals it sent, about the person. */
  async blockers(tx: Tx, personId: string): Promise<ErasureBlocker[]> {
    return tx.query(`SELECT kind, id, status FROM casework_erasure_blockers($1)`, [personId]);
  }

  /** Erases the caller's organisation's data on the person; the new record's id, or null when a partial erasure found nothing. */
  /**
   * The organisations the organisation's standing consents and notices on the person name: an erasure
   * revokes them, and they hear of it as of any revocation (ConsentService.revoke).
   */
  async consentRecipients(tx: Tx, organisationId: string, personId: string): Promise<string[]> {
    const rows = await tx.query(
      `SELECT DISTINCT unnest(recipient_organisation_ids) AS id FROM consent WHERE organisation_id = $1 AND person_id = $2 AND revoked_at IS NULL ORDER BY 1`,
      [organisationId, personId],
    );
    return rows.map((r: { id: string }) => r.id);
  }

  async erase(
    tx: Tx,
    personId: string,
    reason: ErasureReason,
    note: string | null,
    partial?: { categories: DataCategory[]; before: Date },
  ): Promise<string | null> {
    const [row] = await tx.query(`SELECT casework_erase_file($1, $2, $3, $4, $5) AS id`, [
      personId,
      reason,
      note,
      partial?.categories ?? null,
      partial?.before ?? null,
    ]);
    return row.id;
  }

  async find(tx: Tx, id: string): Promise<ClientErasure | undefined> {
    const [row] = await tx.query(`SELECT ${COLUMNS} FROM client_erasure e WHERE e.id = $1`, [id]);
    return row ? toErasure(row) : undefined;
  }

  /** The caller's organisation's erasures on the person, newest first. */
  async listForPerson(tx: Tx, personId: string): Promise<ClientErasure[]> {
    const rows = await tx.query(
      `SELECT ${COLUMNS} FROM client_erasure e WHERE e.person_id = $1 AND e.organisation_id = app_current_organisation()
        ORDER BY e.erased_at DESC, e.id LIMIT ${ERASURES_PER_LIST}`,
      [personId],
    );
    return rows.map(toErasure);
  }

  async retention(tx: Tx, organisationId: string): Promise<RetentionSetting> {
    const rows = await tx.query(`SELECT category, months, updated_at FROM retention_setting WHERE organisation_id = $1`, [organisationId]);
    return toSetting(organisationId, rows);
  }

  /** Replaces the organisation's retention periods (as its admin, under row-level security). */
  async replaceRetention(tx: Tx, organisationId: string, userId: string, months: RetentionPeriods): Promise<void> {
    await tx.query(`DELETE FROM retention_setting WHERE organisation_id = $1`, [organisationId]);
    const categories = DATA_CATEGORIES.filter((category) => months[category] !== undefined);
    if (categories.length === 0) return;
    await tx.query(
      `INSERT INTO retention_setting (organisation_id, category, months, updated_by)
       SELECT $1, c, m, $2 FROM unnest($3::text[], $4::int[]) AS x(c, m)`,
      [organisationId, userId, categories, categories.map((category) => months[category])],
    );
  }

  /** Every organisation's retention periods (the job, as the owner). */
  async allRetention(tx: Tx): Promise<RetentionSetting[]> {
    const rows = await tx.query(`SELECT organisation_id, category, months, updated_at FROM retention_setting ORDER BY organisation_id, category`);
    const byOrganisation = new Map<string, any[]>();
    for (const row of rows) byOrganisation.set(row.organisation_id, [...(byOrganisation.get(row.organisation_id) ?? []), row]);
    return [...byOrganisation].map(([organisationId, own]) => toSetting(organisationId, own));
  }

  /**
   * Persons on whom the organisation's file as a whole passed its IDENTITY retention: nothing in it, its
   * consents, trajectories or referrals changed since `before`, and nothing keeps it from being erased
   * (casework_erasure_blockers). Asked with the organisation as app.organisation_id.
   */
  async filesIdleSince(tx: Tx, organisationId: string, before: Date): Promise<string[]> {
    const rows = await tx.query(
      `SELECT f.person_id FROM client_file f
        WHERE f.organisation_id = $1
          AND greatest(f.updated_at, f.created_at,
                (SELECT max(s.updated_at) FROM client_section s WHERE s.organisation_id = f.organisation_id AND s.person_id = f.person_id),
                (SELECT max(d.created_at) FROM client_document d WHERE d.organisation_id = f.organisation_id AND d.person_id = f.person_id),
                (SELECT max(n.created_at) FROM case_note n WHERE n.organisation_id = f.organisation_id AND n.person_id = f.person_id),
                (SELECT max(c.recorded_at) FROM consent c WHERE c.organisation_id = f.organisation_id AND c.person_id = f.person_id),
                (SELECT max(t.updated_at) FROM trajectory t WHERE t.director_organisation_id = f.organisation_id AND t.person_id = f.person_id),
                (SELECT max(r.updated_at) FROM referral r WHERE r.from_organisation_id = f.organisation_id AND r.person_id = f.person_id)) < $2
          AND NOT EXISTS (SELECT 1 FROM casework_erasure_blockers(f.person_id))
        ORDER BY f.person_id`,
      [organisationId, before],
    );
    return rows.map((r) => r.person_id);
  }

  /**
   * Persons of whose file the organisation keeps data of the category older than `before`: what
   * casework_erase_file would remove of it (sections, documents, own notes; for TRAJECTORY closed
   * trajectories it directed and closed referrals it sent). Asked with the organisation as app.organisation_id.
   */
  async personsWithDataBefore(tx: Tx, organisationId: string, category: DataCategory, before: Date): Promise<string[]> {
    const rows = await tx.query(
      `SELECT person_id FROM client_section WHERE organisation_id = $1 AND category = $2 AND updated_at < $3
       UNION SELECT person_id FROM client_document WHERE organisation_id = $1 AND category = $2 AND created_at < $3
       UNION SELECT person_id FROM case_note WHERE organisation_id = $1 AND category = $2 AND created_at < $3
       UNION SELECT t.person_id FROM trajectory t WHERE $2 = 'TRAJECTORY' AND t.director_organisation_id = $1 AND coalesce(t.closed_at, t.updated_at) < $3
                AND NOT EXISTS (SELECT 1 FROM casework_erasure_blockers(t.person_id) b WHERE b.id = t.id)
       UNION SELECT r.person_id FROM referral r WHERE $2 = 'TRAJECTORY' AND r.from_organisation_id = $1 AND r.updated_at < $3
                AND NOT EXISTS (SELECT 1 FROM casework_erasure_blockers(r.person_id) b WHERE b.id = r.id)
       ORDER BY 1`,
      [organisationId, category, before],
    );
    return rows.map((r) => r.person_id);
  }
}

function toErasure(r: any): ClientErasure {
  return {
    id: r.id,
    personId: r.person_id,
    organisationId: r.organisation_id,
    reason: r.reason,
    note: r.note,
    wholeFile: r.whole_file,
    categories: r.categories,
    removed: r.removed,
    erasedByUserId: r.erased_by,
    erasedAt: r.erased_at,
  };
}

function toSetting(organisationId: string, rows: Array<{ category: DataCategory; months: number; updated_at: Date }>): RetentionSetting {
  const months: RetentionPeriods = {};
  for (const category of DATA_CATEGORIES) {
    const row = rows.find((r) => r.category === category);
    if (row) months[category] = row.months;
  }
  const updatedAt = rows.reduce<Date | null>((latest, r) => (!latest || r.updated_at > latest ? r.updated_at : latest), null);
  return { organisationId, months, updatedAt };
}
