import type { Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dominatedCells, type SetRow, type StoredCell, withheldInSet } from './cell-sets.js';
import type { IndicatorPeriod, IndicatorScope } from './indicator-catalogue.js';

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
  /** withheld by the small-cell rule (decided by the refresh) */
  withheld: boolean;
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

  /** The organisation, its region and (when asked) the region's municipalities with their names. */
  async place(tx: Tx, organisationId: string, withMunicipalities: boolean): Promise<IndicatorPlace> {
    const [row] = await tx.query(
      `SELECT o.id, o.name, o.nis_code::text AS nis_code, r.id AS region_id, r.name AS region_name
         FROM organisation o LEFT JOIN region r ON r.id = indicator_region_of(o.id) WHERE o.id = $1`,
      [organisationId],
    );
    const municipalities: Array<{ nis_code: string; name: string }> =
      row.region_id && withMunicipalities
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
    typed: boolean,
  ): Promise<IndicatorCellRow[]> {
    const rows = await tx.query(
      `SELECT period_start::text, scope, scope_key, trajectory_type, measure, part, n, persons, median, p90, withheld IS NOT false AS withheld
         FROM indicator_cell
        WHERE period = $1 AND period_start = ANY ($2::date[])
          AND ((scope = 'ORGANISATION' AND scope_key = $3) OR (scope = 'REGION' AND scope_key = $4) OR (scope = 'MUNICIPALITY' AND scope_key = ANY ($5::text[])))
          AND (trajectory_type <> '') = $6`,
      [period, starts, scopes.organisation ?? null, scopes.region ?? null, scopes.municipalities ?? [], typed],
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
      withheld: r.withheld,
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

  /**
   * Recomputes the periods of up to `months` changed months, and decides which of their cells the
   * small-cell rule withholds, in one transaction: readers see the old figures or the new, each with its
   * withheld cells. A set at a time (an organisation's own cells, a region's with its municipalities),
   * so the job's memory does not grow with the size of Flanders. The number of periods recomputed.
   * Runs as the owner.
   */
  async refresh(months = 24): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const q = (sql: string, params?: unknown[]) => manager.query(sql, params);
      const periods: Array<{ period: string; period_start: string }> = await q(`SELECT period, period_start::text FROM indicator_recompute($1)`, [months]);
      if (periods.length === 0) return 0;
      const regions: Array<{ id: string; nis: string[] }> = await q(
        `SELECT r.id::text AS id, ARRAY(SELECT m.nis_code::text FROM region_municipality m WHERE m.region_id = r.id ORDER BY m.nis_code) AS nis FROM region r`,
      );
      const places = new Map<string, { nisCode: string | null; regionId: string | null }>(
        (
          await q(
            `SELECT o.id::text AS id, o.nis_code::text AS nis_code, COALESCE(ro.region_id, rm.region_id)::text AS region_id
               FROM organisation o LEFT JOIN region_organisation ro ON ro.organisation_id = o.id LEFT JOIN region_municipality rm ON rm.nis_code = o.nis_code`,
          )
        ).map((r: Record<string, string | null>) => [r.id!, { nisCode: r.nis_code, regionId: r.region_id }]),
      );
      for (const { period, period_start: start } of periods) {
        const cellsOf = async (where: string, params: unknown[]): Promise<StoredCell[]> =>
          (
            await q(
              `SELECT scope, scope_key, trajectory_type, measure, part, n, persons FROM indicator_cell WHERE period = $1 AND period_start = $2::date AND ${where}`,
              [period, start, ...params],
            )
          ).map((r: Record<string, any>) => ({
            scope: r.scope,
            scopeKey: r.scope_key,
            trajectoryType: r.trajectory_type,
            measure: r.measure,
            part: r.part,
            n: Number(r.n),
            persons: Number(r.persons),
          }));
        const withheld: StoredCell[] = [];
        const ownSets = (cells: StoredCell[]) => {
          const byOrganisation = new Map<string, StoredCell[]>();
          for (const c of cells) {
            const list = byOrganisation.get(c.scopeKey);
            if (list) list.push(c);
            else byOrganisation.set(c.scopeKey, [c]);
          }
          for (const [key, own] of byOrganisation) withheld.push(...withheldInSet([{ scope: 'ORGANISATION', key }], own, false));
        };
        // each region with its municipalities, and the organisations in it
        for (const region of regions) {
          const members = [...places].filter(([, p]) => p.regionId === region.id).map(([id]) => id);
          const rows: SetRow[] = [{ scope: 'REGION', key: region.id }, ...region.nis.map((nis): SetRow => ({ scope: 'MUNICIPALITY', key: nis }))];
          const shared = await cellsOf(`((scope = 'REGION' AND scope_key = $3) OR (scope = 'MUNICIPALITY' AND scope_key = ANY ($4::text[])))`, [
            region.id,
            region.nis,
          ]);
          const own = await cellsOf(`scope = 'ORGANISATION' AND scope_key = ANY ($3::text[])`, [members]);
          withheld.push(...withheldInSet(rows, shared, true, dominatedCells(shared, own, places)));
          ownSets(own);
        }
        // the organisations in no region, some at a time
        for (let after = ''; ;) {
          const keys: string[] = (
            await q(
              `SELECT DISTINCT scope_key FROM indicator_cell WHERE period = $1 AND period_start = $2::date AND scope = 'ORGANISATION' AND scope_key > $3 ORDER BY scope_key LIMIT 200`,
              [period, start, after],
            )
          ).map((r: { scope_key: string }) => r.scope_key);
          if (keys.length === 0) break;
          const outside = keys.filter((key) => !places.get(key)?.regionId);
          if (outside.length > 0) ownSets(await cellsOf(`scope = 'ORGANISATION' AND scope_key = ANY ($3::text[])`, [outside]));
          after = keys.at(-1)!;
        }
        await q(`UPDATE indicator_cell SET withheld = false WHERE period = $1 AND period_start = $2::date`, [period, start]);
        await q(
          `UPDATE indicator_cell c SET withheld = true
             FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) w(scope, scope_key, trajectory_type, measure, part)
            WHERE c.period = $1 AND c.period_start = $2::date AND c.scope = w.scope AND c.scope_key = w.scope_key
              AND c.trajectory_type = w.trajectory_type AND c.measure = w.measure AND c.part = w.part`,
          [
            period,
            start,
            withheld.map((c) => c.scope),
            withheld.map((c) => c.scopeKey),
            withheld.map((c) => c.trajectoryType),
            withheld.map((c) => c.measure),
            withheld.map((c) => c.part),
          ],
        );
      }
      return periods.length;
    });
  }
}
