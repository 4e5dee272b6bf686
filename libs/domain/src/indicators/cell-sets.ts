import { CROSS_SUMS, type IndicatorScope, MEASURES, SMALL_CELL_THRESHOLD, TYPES, cellKey } from './indicator-catalogue.js';
import { type CellSum, newCells, suppressedCells } from './suppression.js';

/** What the small-cell rule needs of a stored cell. */
export interface StoredCell {
  scope: IndicatorScope;
  scopeKey: string;
  trajectoryType: string;
  measure: string;
  part: string;
  n: number;
  persons: number;
}

/** A row of a set: the organisation, the region or one of its municipalities. */
export interface SetRow {
  scope: IndicatorScope;
  key: string;
}

const COUNT_MEASURES = MEASURES.filter((m) => !m.duration);
const DURATIONS = new Set(MEASURES.filter((m) => m.duration).map((m) => m.measure));
const keysOf = (typed: boolean) =>
  COUNT_MEASURES.filter((m) => !typed || m.typed).flatMap((m) => [cellKey(m.measure, ''), ...m.parts.map((p) => cellKey(m.measure, p))]);
/** the count cells of a row of all types; the row types: '' (all) first */
const COUNT_KEYS = keysOf(false);
const ROW_TYPES = ['', ...TYPES];
const KEY_INDEX = new Map(COUNT_KEYS.map((key, k) => [key, k]));
const TYPED_KEY_INDICES = keysOf(true).map((key) => KEY_INDEX.get(key)!);
const ALL_KEY_INDICES = COUNT_KEYS.map((_, k) => k);
/** per measure with parts: the index of its total and of each part */
const PART_SUMS = COUNT_MEASURES.filter((m) => m.parts.length > 0).map((m) => ({
  typed: Boolean(m.typed),
  total: KEY_INDEX.get(cellKey(m.measure, ''))!,
  parts: m.parts.map((p) => KEY_INDEX.get(cellKey(m.measure, p))!),
}));
const CROSS_SUM_INDICES = CROSS_SUMS.map(([left, right]) => [left.map((k) => KEY_INDEX.get(k)!), right.map((k) => KEY_INDEX.get(k)!)] as const);

/**
 * Which stored cells of one period of one set the small-cell rule withholds. A set is answered and
 * suppressed as a whole: an organisation's own cells, or a region's with its municipalities (`rows`
 * the region first; the same for every organisation of the region, so two partners comparing their
 * dashboards cannot subtract one from the other). Cells are numbered (row, type, count key), with the
 * region's hidden "regional partners" after them (what the region holds besides its municipalities).
 * A duration (median, p90) is withheld when it is built from fewer than five persons or dominated.
 * `dominated`: region and municipality cells one organisation in them holds all but 1 to 4 persons of
 * (that organisation could subtract its own figure from them), withheld whatever their size.
 * Cells that are not stored count zero: never withheld, never a give-away.
 */
export function withheldInSet(rows: SetRow[], cells: StoredCell[], withPartners: boolean, dominated: ReadonlySet<StoredCell> = new Set()): Set<StoredCell> {
  const rowIndex = new Map(rows.map((row, r) => [`${row.scope}|${row.key}`, r]));
  const K = COUNT_KEYS.length;
  const T = ROW_TYPES.length;
  const at = (r: number, t: number, k: number) => (r * T + t) * K + k;
  const partnersAt = (t: number, k: number) => rows.length * T * K + t * K + k;
  const table = newCells(rows.length * T * K + (withPartners ? T * K : 0));
  const stored: Array<StoredCell | undefined> = [];
  const withheld = new Set<StoredCell>();
  for (const c of cells) {
    if (DURATIONS.has(c.measure)) {
      if (c.persons < SMALL_CELL_THRESHOLD || dominated.has(c)) withheld.add(c);
      continue;
    }
    const r = rowIndex.get(`${c.scope}|${c.scopeKey}`);
    const t = ROW_TYPES.indexOf(c.trajectoryType);
    const k = KEY_INDEX.get(cellKey(c.measure, c.part));
    if (r === undefined || t < 0 || k === undefined) continue;
    const i = at(r, t, k);
    table.n[i] = c.n;
    table.persons[i] = c.persons;
    table.marked[i] = dominated.has(c) ? 1 : 0;
    stored[i] = c;
  }
  const sums: CellSum[] = [];
  for (let r = 0; r < rows.length; r++) {
    for (let t = 0; t < T; t++) {
      for (const k of t === 0 ? ALL_KEY_INDICES : TYPED_KEY_INDICES) table.shown[at(r, t, k)] = 1;
      for (const m of PART_SUMS) {
        if (t === 0 || m.typed) sums.push({ left: [at(r, t, m.total)], right: m.parts.map((k) => at(r, t, k)) });
      }
    }
    for (const [left, right] of CROSS_SUM_INDICES) sums.push({ left: left.map((k) => at(r, 0, k)), right: right.map((k) => at(r, 0, k)) });
    // all types = the sum of the types
    for (const k of TYPED_KEY_INDICES) sums.push({ left: [at(r, 0, k)], right: ROW_TYPES.slice(1).map((_, t) => at(r, t + 1, k)) });
  }
  if (withPartners && rows.length > 0) {
    for (let t = 0; t < T; t++) {
      for (const k of t === 0 ? ALL_KEY_INDICES : TYPED_KEY_INDICES) {
        const p = partnersAt(t, k);
        let n = table.n[at(0, t, k)]!;
        let persons = table.persons[at(0, t, k)]!;
        const right: number[] = [];
        for (let r = 1; r < rows.length; r++) {
          n -= table.n[at(r, t, k)]!;
          persons -= table.persons[at(r, t, k)]!;
          right.push(at(r, t, k));
        }
        table.n[p] = n;
        table.persons[p] = n > 0 ? Math.max(1, persons) : 0;
        right.push(p);
        sums.push({ left: [at(0, t, k)], right });
      }
    }
  }
  const flags = suppressedCells(table, sums);
  stored.forEach((c, i) => c && flags[i] && withheld.add(c));
  return withheld;
}

/**
 * The region's and municipalities' cells one organisation in them holds all but 1 to 4 of (counted in
 * persons, whose lower bound is the difference): that organisation, knowing its own figure, could
 * subtract it and find the others'. `places` gives each organisation's municipality and region.
 */
export function dominatedCells(
  shared: StoredCell[],
  own: StoredCell[],
  places: ReadonlyMap<string, { nisCode: string | null; regionId: string | null }>,
): Set<StoredCell> {
  const byCell = new Map<string, StoredCell[]>();
  for (const o of own) {
    const key = `${o.trajectoryType}|${o.measure}|${o.part}`;
    const list = byCell.get(key);
    if (list) list.push(o);
    else byCell.set(key, [o]);
  }
  const dominated = new Set<StoredCell>();
  for (const r of shared) {
    for (const o of byCell.get(`${r.trajectoryType}|${r.measure}|${r.part}`) ?? []) {
      const place = places.get(o.scopeKey);
      const inside = r.scope === 'REGION' ? place?.regionId === r.scopeKey : place?.nisCode === r.scopeKey;
      if (inside && r.n > o.n && r.persons - o.persons < SMALL_CELL_THRESHOLD) {
        dominated.add(r);
        break;
      }
    }
  }
  return dominated;
}
