import { SMALL_CELL_THRESHOLD } from './indicator-catalogue.js';

/**
 * The small-cell rule over a set of cells that are answered together. Pure: no database.
 *
 * - A cell is *secret* when it counts 1 to 4 persons, or when it is marked so (a region's cell one
 *   organisation in it holds all but a few persons of). Zero is answered: it counts nobody.
 * - Cells add up (the parts of a measure to its total, the types to all types, the municipalities and
 *   regional partners to the region). If a reader could subtract the cells it sees and be left with one
 *   secret cell, or with secret cells that together count 1 to 4, the smallest visible cell of that sum
 *   is made secret too (secondary suppression), until no sum gives a secret away.
 * - A *hidden* cell is never answered but takes part in the sums ("the region's partners without a
 *   municipality"): it is secret when small, and unknown to the reader either way.
 */
export interface Cell {
  /** records counted (what a reader could add and subtract) */
  n: number;
  /** distinct persons among them (a lower bound for a hidden cell) */
  persons: number;
  /** answered to the reader (false: a hidden cell, only part of the sums) */
  shown: boolean;
  /** secret whatever its size */
  secret?: boolean;
}

/** The cells of `left` add up to the cells of `right`. */
export interface CellSum {
  left: string[];
  right: string[];
}

const small = (c: Cell): boolean => c.persons > 0 && c.persons < SMALL_CELL_THRESHOLD;

/** The shown cells to suppress: the small ones, and what would give them away. */
export function suppressedCells(cells: ReadonlyMap<string, Cell>, sums: readonly CellSum[]): Set<string> {
  const cell = (id: string): Cell => cells.get(id) ?? { n: 0, persons: 0, shown: false };
  const secret = new Set<string>();
  for (const [id, c] of cells) if (small(c) || (c.secret && c.n > 0)) secret.add(id);

  // the sums a cell takes part in, so a newly secret cell re-examines only those
  const sumsOf = new Map<string, number[]>();
  sums.forEach((sum, i) => {
    for (const id of [...sum.left, ...sum.right]) sumsOf.set(id, [...(sumsOf.get(id) ?? []), i]);
  });
  const queue = sums.map((_, i) => i);
  const queued = new Set(queue);
  while (queue.length > 0) {
    const i = queue.shift()!;
    queued.delete(i);
    const sum = sums[i]!;
    const members = [...new Set([...sum.left, ...sum.right])];
    const unknown = members.filter((id) => secret.has(id) || !cell(id).shown);
    if (!unknown.some((id) => secret.has(id))) continue;
    const unknownTotal = unknown.reduce((total, id) => total + cell(id).n, 0);
    const givesAway = (unknown.length === 1 && unknownTotal !== 0) || (unknownTotal > 0 && unknownTotal < SMALL_CELL_THRESHOLD);
    if (!givesAway) continue;
    const candidate = members
      .filter((id) => !secret.has(id) && cell(id).shown && cell(id).n > 0)
      .sort((a, b) => cell(a).n - cell(b).n || Number(sum.left.includes(a)) - Number(sum.left.includes(b)) || a.localeCompare(b))[0];
    if (candidate === undefined) continue; // every other cell of the sum is zero: nothing is given away by it
    secret.add(candidate);
    for (const j of [i, ...(sumsOf.get(candidate) ?? [])]) {
      if (!queued.has(j)) {
        queued.add(j);
        queue.push(j);
      }
    }
  }
  return new Set([...secret].filter((id) => cell(id).shown));
}
