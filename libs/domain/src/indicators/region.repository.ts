import type { Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';

/** How many regions a list answers at most (Flanders has a few dozen). */
export const REGIONS_MAX = 1000;

export interface Region {
  id: string;
  name: string;
  /** NIS codes of its municipalities; their organisations belong to the region */
  nisCodes: string[];
  /** regional partners without a municipality of their own (a VDAB regional office, RVA, ATB) */
  organisationIds: string[];
  version: number;
}

export interface RegionInput {
  name: string;
  nisCodes: string[];
  organisationIds: string[];
}

const SELECT = `SELECT r.id, r.name, r.version,
                       ARRAY(SELECT m.nis_code::text FROM region_municipality m WHERE m.region_id = r.id ORDER BY m.nis_code) AS nis_codes,
                       ARRAY(SELECT o.organisation_id FROM region_organisation o WHERE o.region_id = r.id ORDER BY o.organisation_id) AS organisation_ids
                  FROM region r`;

/** `region` with its `region_municipality` and `region_organisation` rows: one aggregate, written whole. */
@Injectable()
export class RegionRepository {
  async list(tx: Tx): Promise<Region[]> {
    return (await tx.query(`${SELECT} ORDER BY r.name LIMIT ${REGIONS_MAX}`)).map(toRegion);
  }

  async find(tx: Tx, id: string, lock = false): Promise<Region | undefined> {
    const [row] = await tx.query(`${SELECT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
    return row ? toRegion(row) : undefined;
  }

  async insert(tx: Tx, input: RegionInput): Promise<string> {
    const [{ id }] = await tx.query(`INSERT INTO region (name) VALUES ($1) RETURNING id`, [input.name]);
    await this.members(tx, id, input);
    return id;
  }

  /** false when the version is not the current one */
  async update(tx: Tx, id: string, version: number, input: RegionInput): Promise<boolean> {
    const rows = await tx.query(`UPDATE region SET name = $3, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING id`, [
      id,
      version,
      input.name,
    ]);
    if (rows.length === 0) return false;
    await tx.query(`DELETE FROM region_municipality WHERE region_id = $1`, [id]);
    await tx.query(`DELETE FROM region_organisation WHERE region_id = $1`, [id]);
    await this.members(tx, id, input);
    return true;
  }

  /** the figures of every month are recomputed with the new grouping */
  async markFiguresChanged(tx: Tx): Promise<void> {
    await tx.query(`SELECT indicator_mark_all()`);
  }

  /** of the given organisations, those that exist */
  async existingOrganisations(tx: Tx, ids: string[]): Promise<Set<string>> {
    const rows = await tx.query(`SELECT id FROM organisation WHERE id = ANY ($1::uuid[])`, [ids]);
    return new Set(rows.map((r: { id: string }) => r.id));
  }

  private async members(tx: Tx, id: string, input: RegionInput): Promise<void> {
    await tx.query(`INSERT INTO region_municipality (nis_code, region_id) SELECT unnest($2::text[]), $1`, [id, input.nisCodes]);
    await tx.query(`INSERT INTO region_organisation (organisation_id, region_id) SELECT unnest($2::uuid[]), $1`, [id, input.organisationIds]);
  }
}

function toRegion(row: Record<string, any>): Region {
  return { id: row.id, name: row.name, nisCodes: row.nis_codes, organisationIds: row.organisation_ids, version: row.version };
}
