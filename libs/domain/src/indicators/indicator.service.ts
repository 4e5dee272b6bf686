import { addMonths, belgianToday, InvalidInput, RequestTransaction, type RequestContext } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import {
  AGREEMENT_INDICATORS,
  cellKey,
  CROSS_SUMS,
  type IndicatorGrouping,
  type IndicatorPeriod,
  type IndicatorScope,
  indicatorKeys,
  MEASURES,
  SHARES,
  SMALL_CELL_THRESHOLD,
  TYPES,
} from './indicator-catalogue.js';
import { type IndicatorCellRow, type IndicatorPlace, IndicatorRepository } from './indicator.repository.js';
import { type Cell, type CellSum, suppressedCells } from './suppression.js';

/** How many periods one answer covers at most. */
export const INDICATOR_MAX_PERIODS = 36;

export interface IndicatorQuery {
  groupBy: IndicatorGrouping;
  period: IndicatorPeriod;
  /** a day in the first period (default: four periods back); the period it falls in is the first */
  from?: string;
  /** a day in the last period (default: today) */
  to?: string;
  /** with groupBy=type: whose figures are split by type (default: the organisation's) */
  scope?: 'organisation' | 'region';
}

export interface IndicatorValue {
  indicator: string;
  /** a count, a share (0 to 1) or a number of days; null when suppressed or when there is nothing to measure */
  value: number | null;
  /** withheld because it counts, or would give away, fewer than five persons */
  suppressed: boolean;
}

export interface IndicatorRow {
  periodStart: string;
  /** the last day of the period */
  periodEnd: string;
  scope: IndicatorScope;
  key: string;
  name: string;
  /** the trajectory type of the row; null: all types */
  type: string | null;
  values: IndicatorValue[];
}

export interface IndicatorReport {
  groupBy: IndicatorGrouping;
  period: IndicatorPeriod;
  from: string;
  to: string;
  /** when the figures were last brought up to date (a background job; null: never yet) */
  refreshedAt: Date | null;
  organisation: { id: string; name: string };
  region: { id: string; name: string } | null;
  rows: IndicatorRow[];
}

const MONTHS: Record<IndicatorPeriod, number> = { month: 1, quarter: 3, year: 12 };

/** The first day of the period that holds `day`. */
export function periodStartOf(period: IndicatorPeriod, day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const month = period === 'month' ? m : period === 'quarter' ? m - ((m - 1) % 3) : 1;
  return `${y}-${String(month).padStart(2, '0')}-01`;
}

/** Every period from the one holding `from` to the one holding `to`, as first days. */
export function periodStarts(period: IndicatorPeriod, from: string, to: string): string[] {
  const starts: string[] = [];
  for (let s = periodStartOf(period, from); s <= to && starts.length <= INDICATOR_MAX_PERIODS; s = addMonths(s, MONTHS[period])) starts.push(s);
  return starts;
}

const lastDayOf = (period: IndicatorPeriod, start: string): string => {
  const next = new Date(`${addMonths(start, MONTHS[period])}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() - 1);
  return next.toISOString().slice(0, 10);
};

interface Row {
  scope: IndicatorScope;
  key: string;
  name: string;
}

/**
 * The cooperation's figures for a reader: its own organisation's and its region's (and the region's
 * municipalities'), per period, from the maintained aggregates. Counts of fewer than five persons, and
 * whatever would give them away, are withheld (`suppression.ts`), over everything the reader can ask
 * for one period, so two questions cannot be subtracted either. Each read is audited, with no person.
 */
@Injectable()
export class IndicatorService {
  constructor(
    private readonly transaction: RequestTransaction,
    private readonly repository: IndicatorRepository,
  ) {}

  read(ctx: RequestContext, query: IndicatorQuery): Promise<IndicatorReport> {
    const today = belgianToday();
    const to = query.to ?? today;
    const from = query.from ?? addMonths(periodStartOf(query.period, to), -3 * MONTHS[query.period]);
    if (from > to) throw new InvalidInput([{ field: 'from', code: 'indicator-order', params: { to } }]);
    const starts = periodStarts(query.period, from, to);
    if (starts.length > INDICATOR_MAX_PERIODS) throw new InvalidInput([{ field: 'from', code: 'indicator-periods', params: { max: INDICATOR_MAX_PERIODS } }]);

    return this.transaction.run(ctx, async (tx) => {
      const place = await this.repository.place(tx, ctx.organisationId);
      // the organisation's own figures, or the region's with its municipalities: two sets suppressed apart
      const shared = query.groupBy === 'region' || query.groupBy === 'municipality' || (query.groupBy === 'type' && query.scope === 'region');
      const cells = await this.repository.cells(
        tx,
        query.period,
        starts,
        shared ? { region: place.region?.id, municipalities: place.municipalities.map((m) => m.nisCode) } : { organisation: place.organisation.id },
      );
      const agreementDays = starts.map((s) => (lastDayOf(query.period, s) < today ? lastDayOf(query.period, s) : today));
      const agreements = await this.repository.agreements(tx, [...new Set(agreementDays)]);
      const refreshedAt = await this.repository.refreshedAt(tx);
      tx.audit({
        action: 'indicator.read',
        decision: 'ALLOW',
        resourceType: 'Indicator',
        resourceId: `groupBy=${query.groupBy};period=${query.period};from=${starts[0]};to=${to}${query.scope ? `;scope=${query.scope}` : ''}`,
        categories: [],
      });

      const rows: IndicatorRow[] = [];
      starts.forEach((start, i) => {
        const periodCells = cells.filter((c) => c.periodStart === start);
        const answer = periodAnswer(place, periodCells, shared);
        const day = agreementDays[i]!;
        const agreementOf = (row: Row) => agreements.find((a) => a.day === day && a.scope === row.scope && a.scopeKey === row.key);
        for (const { row, type } of requestedRows(place, query)) {
          rows.push({
            periodStart: start,
            periodEnd: lastDayOf(query.period, start),
            scope: row.scope,
            key: row.key,
            name: row.name,
            type: type === '' ? null : type,
            values: answer.values(row, type, agreementOf(row)),
          });
        }
      });
      return {
        groupBy: query.groupBy,
        period: query.period,
        from: starts[0]!,
        to,
        refreshedAt,
        organisation: { id: place.organisation.id, name: place.organisation.name },
        region: place.region,
        rows,
      };
    });
  }
}

function requestedRows(place: IndicatorPlace, query: IndicatorQuery): Array<{ row: Row; type: string }> {
  const own: Row = { scope: 'ORGANISATION', key: place.organisation.id, name: place.organisation.name };
  const region: Row | null = place.region ? { scope: 'REGION', key: place.region.id, name: place.region.name } : null;
  switch (query.groupBy) {
    case 'organisation':
      return [{ row: own, type: '' }];
    case 'region':
      return region ? [{ row: region, type: '' }] : [];
    case 'municipality':
      return place.municipalities.map((m) => ({ row: { scope: 'MUNICIPALITY', key: m.nisCode, name: m.name }, type: '' }));
    case 'type': {
      const row = query.scope === 'region' ? region : own;
      return row ? TYPES.map((type) => ({ row, type })) : [];
    }
  }
}

const COUNT_MEASURES = MEASURES.filter((m) => !m.duration);
const id = (scope: IndicatorScope, key: string, type: string, cell: string) => `${scope}|${key}|${type}|${cell}`;

/**
 * Everything the reader can see of one period of one of two sets, with the small-cell rule applied. The
 * sets are suppressed apart (`shared`): the organisation's own (only its staff see them), and the
 * region's with its municipalities (the same for every organisation of the region, so two partners
 * comparing their dashboards cannot subtract one from the other). What links the two, an organisation
 * subtracting its own figure from its region's or municipality's, is the `dominated` mark of the refresh.
 */
function periodAnswer(place: IndicatorPlace, rows: IndicatorCellRow[], shared: boolean) {
  const stored = new Map(rows.map((r) => [id(r.scope, r.scopeKey, r.trajectoryType, cellKey(r.measure, r.part)), r]));
  const cells = new Map<string, Cell>();
  const sums: CellSum[] = [];
  const own: Row = { scope: 'ORGANISATION', key: place.organisation.id, name: '' };
  const region: Row | null = shared && place.region ? { scope: 'REGION', key: place.region.id, name: '' } : null;
  const municipalities: Row[] = shared ? place.municipalities.map((m) => ({ scope: 'MUNICIPALITY', key: m.nisCode, name: '' })) : [];
  const countKeys = (typed: boolean) =>
    COUNT_MEASURES.filter((m) => !typed || m.typed).flatMap((m) => [cellKey(m.measure, ''), ...m.parts.map((p) => cellKey(m.measure, p))]);
  const get = (row: Row, type: string, key: string) => stored.get(id(row.scope, row.key, type, key)) ?? { n: 0, persons: 0, dominated: false };

  for (const row of shared ? [...(region ? [region] : []), ...municipalities] : [own]) {
    for (const type of ['', ...TYPES]) {
      for (const key of countKeys(type !== '')) {
        const c = get(row, type, key);
        cells.set(id(row.scope, row.key, type, key), { n: c.n, persons: c.persons, shown: true, secret: c.dominated });
      }
      for (const m of COUNT_MEASURES) {
        if ((type === '' || m.typed) && m.parts.length > 0) {
          sums.push({ left: [id(row.scope, row.key, type, m.measure)], right: m.parts.map((p) => id(row.scope, row.key, type, cellKey(m.measure, p))) });
        }
      }
    }
    for (const [left, right] of CROSS_SUMS) {
      sums.push({ left: left.map((k) => id(row.scope, row.key, '', k)), right: right.map((k) => id(row.scope, row.key, '', k)) });
    }
    // all types = the sum of the types
    for (const key of countKeys(true)) sums.push({ left: [id(row.scope, row.key, '', key)], right: TYPES.map((t) => id(row.scope, row.key, t, key)) });
  }

  // the region = its municipalities + its regional partners (a hidden cell: what the region holds besides its municipalities)
  if (region) {
    for (const type of ['', ...TYPES]) {
      for (const key of countKeys(type !== '')) {
        const r = get(region, type, key);
        const inMunicipalities = municipalities.map((m) => get(m, type, key));
        const n = r.n - inMunicipalities.reduce((t, c) => t + c.n, 0);
        const persons = r.persons - inMunicipalities.reduce((t, c) => t + c.persons, 0);
        const partners = id('REGION', region.key, type, `${key}#partners`);
        cells.set(partners, { n, persons: n > 0 ? Math.max(1, persons) : 0, shown: false });
        sums.push({ left: [id(region.scope, region.key, type, key)], right: [...municipalities.map((m) => id(m.scope, m.key, type, key)), partners] });
      }
    }
  }

  const suppressed = suppressedCells(cells, sums);

  return {
    values(row: Row, type: string, agreements: { active: number; ending: number } | undefined): IndicatorValue[] {
      const count = (key: string): IndicatorValue => {
        const cellId = id(row.scope, row.key, type, key);
        const hidden = suppressed.has(cellId);
        return { indicator: key, value: hidden ? null : (cells.get(cellId)?.n ?? 0), suppressed: hidden };
      };
      const values: IndicatorValue[] = [];
      for (const key of indicatorKeys(type !== '')) {
        const [measure, stat] = [key.slice(0, key.lastIndexOf('.')), key.slice(key.lastIndexOf('.') + 1)];
        const duration = MEASURES.find((m) => m.duration && m.measure === measure);
        const share = SHARES.find((s) => s.key === key);
        if (duration) {
          const c = stored.get(id(row.scope, row.key, type, measure));
          const hidden = !!c && (c.persons < SMALL_CELL_THRESHOLD || c.dominated);
          values.push({ indicator: key, value: hidden || !c ? null : stat === 'median' ? c.median : c.p90, suppressed: hidden });
        } else if (share) {
          const parts = [...share.numerator, ...share.denominator].map(count);
          const hidden = parts.some((p) => p.suppressed);
          const sum = (keys: string[]) => keys.reduce((t, k) => t + (cells.get(id(row.scope, row.key, type, k))?.n ?? 0), 0);
          const denominator = sum(share.denominator);
          values.push({
            indicator: key,
            value: hidden || denominator === 0 ? null : Math.round((sum(share.numerator) / denominator) * 1000) / 1000,
            suppressed: hidden,
          });
        } else if ((AGREEMENT_INDICATORS as readonly string[]).includes(key)) {
          values.push({ indicator: key, value: key === 'agreements.active' ? (agreements?.active ?? 0) : (agreements?.ending ?? 0), suppressed: false });
        } else {
          values.push(count(key));
        }
      }
      return values;
    },
  };
}
