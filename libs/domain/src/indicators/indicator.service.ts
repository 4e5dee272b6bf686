import { addMonths, belgianToday, InvalidInput, RequestTransaction, type RequestContext } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import {
  AGREEMENT_INDICATORS,
  cellKey,
  type IndicatorGrouping,
  type IndicatorPeriod,
  type IndicatorScope,
  indicatorKeys,
  MEASURES,
  SHARES,
  TYPES,
} from './indicator-catalogue.js';
import { type IndicatorCellRow, type IndicatorPlace, IndicatorRepository } from './indicator.repository.js';

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
 * whatever would give them away, are withheld: the refresh decided which (`cell-sets.ts`), for each set
 * a reader can see as a whole, so two questions cannot be subtracted either. Each read is audited, with
 * no person.
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
      const place = await this.repository.place(tx, ctx.organisationId, query.groupBy === 'municipality');
      // only the rows asked for: the small-cell rule was applied by the refresh, to each set as a whole
      const requested = requestedRows(place, query);
      const typed = query.groupBy === 'type';
      const cells = await this.repository.cells(
        tx,
        query.period,
        starts,
        {
          organisation: requested.find((r) => r.row.scope === 'ORGANISATION')?.row.key,
          region: requested.find((r) => r.row.scope === 'REGION')?.row.key,
          municipalities: requested.filter((r) => r.row.scope === 'MUNICIPALITY').map((r) => r.row.key),
        },
        typed,
      );
      const agreementDays = starts.map((s) => (lastDayOf(query.period, s) < today ? lastDayOf(query.period, s) : today));
      const agreements = typed ? [] : await this.repository.agreements(tx, [...new Set(agreementDays)]);
      const refreshedAt = await this.repository.refreshedAt(tx);
      tx.audit({
        action: 'indicator.read',
        decision: 'ALLOW',
        resourceType: 'Indicator',
        resourceId: `groupBy=${query.groupBy};period=${query.period};from=${starts[0]};to=${to}${query.scope ? `;scope=${query.scope}` : ''}`,
        categories: [],
      });

      const rows: IndicatorRow[] = [];
      // the cells of each answered row, by their indicator
      const byRow = new Map<string, Map<string, IndicatorCellRow>>();
      for (const c of cells) {
        const rowKey = `${c.periodStart}|${c.scope}|${c.scopeKey}|${c.trajectoryType}`;
        let row = byRow.get(rowKey);
        if (!row) byRow.set(rowKey, (row = new Map()));
        row.set(cellKey(c.measure, c.part), c);
      }
      starts.forEach((start, i) => {
        const day = agreementDays[i]!;
        const agreementOf = (row: Row) => agreements.find((a) => a.day === day && a.scope === row.scope && a.scopeKey === row.key);
        for (const { row, type } of requested) {
          const stored = byRow.get(`${start}|${row.scope}|${row.key}|${type}`);
          const cell = (key: string) => stored?.get(key);
          rows.push({
            periodStart: start,
            periodEnd: lastDayOf(query.period, start),
            scope: row.scope,
            key: row.key,
            name: row.name,
            type: type === '' ? null : type,
            values: rowValues(cell, type !== '', agreementOf(row)),
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

/**
 * The values of one row: counts as stored (zero when no cell is stored, null when withheld), medians
 * and 90th percentiles, shares computed from their counts (withheld when any of them is), and the
 * agreements counted live.
 */
function rowValues(
  cell: (key: string) => IndicatorCellRow | undefined,
  typed: boolean,
  agreements: { active: number; ending: number } | undefined,
): IndicatorValue[] {
  const withheld = (key: string) => Boolean(cell(key)?.withheld);
  return (typed ? TYPED_ANSWERS : ANSWERS).map((answer): IndicatorValue => {
    switch (answer.kind) {
      case 'count': {
        const c = cell(answer.key);
        return { indicator: answer.key, value: c?.withheld ? null : (c?.n ?? 0), suppressed: Boolean(c?.withheld) };
      }
      case 'duration': {
        const c = cell(answer.measure);
        return { indicator: answer.key, value: !c || c.withheld ? null : answer.stat === 'median' ? c.median : c.p90, suppressed: Boolean(c?.withheld) };
      }
      case 'share': {
        const hidden = answer.numerator.some(withheld) || answer.denominator.some(withheld);
        const sum = (keys: string[]) => keys.reduce((total, k) => total + (cell(k)?.n ?? 0), 0);
        const denominator = sum(answer.denominator);
        return {
          indicator: answer.key,
          value: hidden || denominator === 0 ? null : Math.round((sum(answer.numerator) / denominator) * 1000) / 1000,
          suppressed: hidden,
        };
      }
      case 'agreements':
        return { indicator: answer.key, value: answer.key === 'agreements.active' ? (agreements?.active ?? 0) : (agreements?.ending ?? 0), suppressed: false };
    }
  });
}

type Answer =
  | { kind: 'count' | 'agreements'; key: string }
  | { kind: 'duration'; key: string; measure: string; stat: string }
  | { kind: 'share'; key: string; numerator: string[]; denominator: string[] };

/** How each indicator of a row is answered, worked out once. */
function answersOf(typed: boolean): Answer[] {
  return indicatorKeys(typed).map((key): Answer => {
    const [measure, stat] = [key.slice(0, key.lastIndexOf('.')), key.slice(key.lastIndexOf('.') + 1)];
    const share = SHARES.find((x) => x.key === key);
    if (DURATIONS.has(measure)) return { kind: 'duration', key, measure, stat };
    if (share) return { kind: 'share', key, numerator: share.numerator, denominator: share.denominator };
    if ((AGREEMENT_INDICATORS as readonly string[]).includes(key)) return { kind: 'agreements', key };
    return { kind: 'count', key };
  });
}

const DURATIONS = new Set(MEASURES.filter((m) => m.duration).map((m) => m.measure));
const ANSWERS = answersOf(false);
const TYPED_ANSWERS = answersOf(true);
