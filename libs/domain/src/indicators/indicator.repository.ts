import type { Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type IndicatorPeriod, type IndicatorScope, SMALL_CELL_THRESHOLD } from './indicator-catalogue.js';

/** One maintained aggregate: a measure's part, counted for one scope, type and period. */
export interface IndicatorCellRow {
  periodStart: string;
  scope: IndicatorScope;
  scopeKey: string;
  trajectoryType: string;
  measure: string;
  part: string;
  n: number;
  persons: number;
  median: number | null;
  p90: number | null;
  /** a region's or municipality's cell one organisation in it holds all but a few persons of */
  dominated: boolean;
}

export interface IndicatorPlace {
  organisation: { id: string; name: string; nisCode: string | null };
  region: { id: string; name: string } | null;
  municipalities: Array<{ nisCode: string; name: string }>;
}

export interface AgreementCount {
  day: string;
  scope: IndicatorScope;
  scopeKey: string;
  active: number;
  ending: number;
}

/**
 * The SQL of the figures: `indicator_cell` (written only by `indicator_refresh`, libs/domain/sql/65-indicators.sql),
 * read as the request's role, so row-level security answers only the caller's organisation, its region
 * and the region's municipalities.
 */
@Injectable()
export class IndicatorRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async place(tx: Tx, organisationId: string): Promise<IndicatorPlace> {
    const [row] = await tx.query(
      `SELECT o.id, o.name, o.nis_code::text AS nis_code, r.id AS region_id, r.name AS region_name
         FROM organisation o LEFT JOIN region r ON r.id = indicator_region_of(o.id) WHERE o.id = $1`,
      [organisationId],
    );
    const municipalities: Array<{ nis_code: string; name: string }> = row.region_id
      ? await tx.query(
          `SELECT m.nis_code::text AS nis_code,
                  COALESCE((SELECT o.name FROM organisation o WHERE o.nis_code = m.nis_code ORDER BY o.kind <> 'MUNICIPALITY', o.name LIMIT 1), m.nis_code) AS name
             FROM region_municipality m WHERE m.region_id = $1 ORDER BY m.nis_code`,
          [row.region_id],
        )
      : [];
    return {
      organisation: { id: row.id, name: row.name, nisCode: row.nis_code },
      region: row.region_id ? { id: row.region_id, name: row.region_name } : null,
      municipalities: municipalities.map((m) => ({ nisCode: m.nis_code, name: m.name })),
    };
  }

  /**
   * The cells of the periods for the scopes asked: the organisation's, or the region's with its
   * municipalities (each a range of the primary key; row-level security answers no other).
   */
  async cells(
    tx: Tx,
    period: IndicatorPeriod,
    starts: string[],
    scopes: { organisation?: string; region?: string; municipalities?: string[] },
  ): Promise<IndicatorCellRow[]> {
    const rows = await tx.query(
      `SELECT period_start::text, scope, scope_key, trajectory_type, measure, part, n, persons, median, p90, dominated
         FROM indicator_cell
        WHERE period = $1 AND period_start = ANY ($2::date[])
          AND ((scope = 'ORGANISATION' AND scope_key = $3) OR (scope = 'REGION' AND scope_key = $4) OR (scope = 'MUNICIPALITY' AND scope_key = ANY ($5::text[])))`,
      [period, starts, scopes.organisation ?? null, scopes.region ?? null, scopes.municipalities ?? []],
    );
    return rows.map((r: Record<string, any>) => ({
      periodStart: r.period_start,
      scope: r.scope,
      scopeKey: r.scope_key,
      trajectoryType: r.trajectory_type,
      measure: r.measure,
      part: r.part,
      n: Number(r.n),
      persons: Number(r.persons),
      median: r.median === null ? null : Number(r.median),
      p90: r.p90 === null ? null : Number(r.p90),
      dominated: r.dominated,
    }));
  }

  async agreements(tx: Tx, days: string[]): Promise<AgreementCount[]> {
    const rows = await tx.query(`SELECT day::text, scope, scope_key, active, ending FROM indicator_agreements($1::date[])`, [days]);
    return rows.map((r: Record<string, any>) => ({ day: r.day, scope: r.scope, scopeKey: r.scope_key, active: Number(r.active), ending: Number(r.ending) }));
  }

  async refreshedAt(tx: Tx): Promise<Date | null> {
    const [row] = await tx.query(`SELECT refreshed_at FROM indicator_refresh`);
    return row?.refreshed_at ?? null;
  }

  /** Recomputes the periods of up to `months` changed months; the number of periods recomputed. Runs as the owner. */
  async refresh(months = 24): Promise<number> {
    const [{ periods }] = await this.dataSource.query(`SELECT indicator_refresh($1, $2) AS periods`, [months, SMALL_CELL_THRESHOLD]);
    return Number(periods);
  }
}
