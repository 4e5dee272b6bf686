import { DECLINE_REASON_CODES } from '../referrals/referral-state.js';
import { TRAJECTORY_STATUSES, TRAJECTORY_TYPES } from '../trajectories/trajectory-status.js';
import { OBSTACLE_KINDS, TRAJECTORY_OUTCOMES } from '../trajectories/trajectory.repository.js';

/**
 * What the cooperation's figures measure: the measures `indicator_compute` (libs/domain/sql/65-indicators.sql)
 * counts, their parts, and which cells add up to which (what a reader could subtract to find a hidden
 * cell). One home: the SQL writes these names, the API answers them, the dashboard labels them.
 */
export const INDICATOR_PERIODS = ['month', 'quarter', 'year'] as const;
export type IndicatorPeriod = (typeof INDICATOR_PERIODS)[number];

export const INDICATOR_GROUPINGS = ['organisation', 'municipality', 'region', 'type'] as const;
export type IndicatorGrouping = (typeof INDICATOR_GROUPINGS)[number];

export const INDICATOR_SCOPES = ['ORGANISATION', 'MUNICIPALITY', 'REGION'] as const;
export type IndicatorScope = (typeof INDICATOR_SCOPES)[number];

/** A cell built from fewer persons than this is suppressed (and so is whatever would give it away). */
export const SMALL_CELL_THRESHOLD = 5;

/** The months after the start at which a trajectory's work situation is checked. */
export const CHECKPOINT_MONTHS = [6, 12, 18, 24] as const;

const HANDOVER_OUTCOMES = ['ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED', 'PENDING'] as const;

export interface MeasureDefinition {
  measure: string;
  /** the parts a count splits into; each part's cell and the total (part '') are answered */
  parts: readonly string[];
  /** a duration in days: its median and 90th percentile are answered, not counts */
  duration?: boolean;
  /** counted per trajectory type too */
  typed?: boolean;
}

const handoverMeasures = (side: 'sent' | 'received'): MeasureDefinition[] => [
  { measure: `handovers.${side}`, parts: HANDOVER_OUTCOMES },
  { measure: `handovers.${side}.declined`, parts: DECLINE_REASON_CODES },
  { measure: `handovers.${side}.answer`, parts: ['IN_TIME', 'LATE'] },
  { measure: `handovers.${side}.answerDays`, parts: [], duration: true },
];

export const MEASURES: readonly MeasureDefinition[] = [
  ...handoverMeasures('sent'),
  ...handoverMeasures('received'),
  { measure: 'signals', parts: ['OPEN', 'LIFTED', 'LAPSED'] },
  { measure: 'signals.liftedDays', parts: [], duration: true },
  { measure: 'trajectories.started', parts: TRAJECTORY_STATUSES, typed: true },
  { measure: 'trajectories.closed', parts: (['COMPLETED', 'STOPPED'] as const).flatMap((s) => TRAJECTORY_OUTCOMES.map((o) => `${s}.${o}`)), typed: true },
  { measure: 'trajectories.open', parts: [], typed: true },
  { measure: 'trajectories.startDays', parts: [], duration: true, typed: true },
  { measure: 'trajectories.typeSwitches', parts: [], typed: true },
  { measure: 'obstacles', parts: OBSTACLE_KINDS, typed: true },
  { measure: 'obstacles.addressed', parts: OBSTACLE_KINDS, typed: true },
  ...CHECKPOINT_MONTHS.map((m): MeasureDefinition => ({ measure: `inWork.${m}`, parts: ['WORKING', 'NOT_WORKING', 'NOT_RECORDED'], typed: true })),
  { measure: 'consents.given', parts: [] },
  { measure: 'consents.revoked', parts: [] },
];

export const TYPES = TRAJECTORY_TYPES;

/** A cell of one row: a measure and one of its parts ('' for the total). */
export const cellKey = (measure: string, part: string): string => (part === '' ? measure : `${measure}.${part}`);

/** Sums that hold between cells of one row besides "the parts add up to the total": [left, right]. */
export const CROSS_SUMS: ReadonlyArray<[string[], string[]]> = (['sent', 'received'] as const).flatMap((side): Array<[string[], string[]]> => [
  [[`handovers.${side}.declined`], [`handovers.${side}.DECLINED`]],
  [[`handovers.${side}.answer`], [`handovers.${side}.ACCEPTED`, `handovers.${side}.DECLINED`]],
]);

/** A share: numerator cells over denominator cells (both sums of counts of one row). */
export interface ShareDefinition {
  key: string;
  numerator: string[];
  denominator: string[];
  typed?: boolean;
}

export const SHARES: readonly ShareDefinition[] = [
  ...(['sent', 'received'] as const).map((side) => ({
    key: `handovers.${side}.answer.inTimeShare`,
    numerator: [`handovers.${side}.answer.IN_TIME`],
    denominator: [`handovers.${side}.answer`],
  })),
  ...CHECKPOINT_MONTHS.flatMap((m): ShareDefinition[] => [
    { key: `inWork.${m}.recordedShare`, numerator: [`inWork.${m}.WORKING`, `inWork.${m}.NOT_WORKING`], denominator: [`inWork.${m}`], typed: true },
    { key: `inWork.${m}.workingShare`, numerator: [`inWork.${m}.WORKING`], denominator: [`inWork.${m}.WORKING`, `inWork.${m}.NOT_WORKING`], typed: true },
  ]),
];

/** Figures about agreements (no person in them): counted live, as of the end of the period (or today). */
export const AGREEMENT_INDICATORS = ['agreements.active', 'agreements.endingWithin90Days'] as const;

/** Every indicator a row answers, in order: counts, durations, shares, agreements; the typed ones only for a type. */
export function indicatorKeys(typed: boolean): string[] {
  const keys: string[] = [];
  for (const m of MEASURES) {
    if (typed && !m.typed) continue;
    if (m.duration) keys.push(`${m.measure}.median`, `${m.measure}.p90`);
    else keys.push(cellKey(m.measure, ''), ...m.parts.map((p) => cellKey(m.measure, p)));
  }
  keys.push(...SHARES.filter((s) => !typed || s.typed).map((s) => s.key));
  if (!typed) keys.push(...AGREEMENT_INDICATORS);
  return keys;
}
