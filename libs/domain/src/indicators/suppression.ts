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
 *
 * Cells are numbered 0..size-1 (a region's dashboard has some 10,000 per period, so no strings): `n`
 * records counted (what a reader could add and subtract), `persons` distinct persons among them (a
 * lower bound for a hidden cell), `shown` answered to the reader, `marked` secret whatever its size.
 */
export interface Cells {
  n: Float64Array;
  persons: Float64Array;
  shown: Uint8Array;
  marked: Uint8Array;
}

export const newCells = (size: number): Cells => ({
  n: new Float64Array(size),
  persons: new Float64Array(size),
  shown: new Uint8Array(size),
  marked: new Uint8Array(size),
});

/** The cells of `left` add up to the cells of `right` (a cell is on one side of a sum). */
export interface CellSum {
  left: number[];
  right: number[];
}

/** For each cell, whether it is withheld (1): the small ones, and what would give them away; shown cells only. */
export function suppressedCells(cells: Cells, sums: readonly CellSum[]): Uint8Array {
  const size = cells.n.length;
  const secret = new Uint8Array(size);
  for (let c = 0; c < size; c++) {
    const persons = cells.persons[c]!;
    if ((persons > 0 && persons < SMALL_CELL_THRESHOLD) || (cells.marked[c] && cells.n[c]! > 0)) secret[c] = 1;
  }
  // the sums a cell takes part in, so a newly secret cell re-examines only those
  const sumsOf = new Map<number, number[]>();
  sums.forEach((sum, i) => {
    for (const side of [sum.left, sum.right]) {
      for (const c of side) {
        const of = sumsOf.get(c);
        if (of) of.push(i);
        else sumsOf.set(c, [i]);
      }
    }
  });
  const queue = sums.map((_, i) => i);
  const queued = new Uint8Array(sums.length).fill(1);
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head]!;
    queued[i] = 0;
    const sum = sums[i]!;
    let unknownCount = 0;
    let unknownTotal = 0;
    let anySecret = false;
    let candidate = -1;
    let candidateLeft = true;
    for (const side of [sum.left, sum.right]) {
      for (const c of side) {
        if (secret[c] || !cells.shown[c]) {
          unknownCount++;
          unknownTotal += cells.n[c]!;
          if (secret[c]) anySecret = true;
        } else if (cells.n[c]! > 0) {
          // the smallest visible cell, a part before a total
          const left = side === sum.left;
          if (candidate < 0 || cells.n[c]! < cells.n[candidate]! || (cells.n[c] === cells.n[candidate] && candidateLeft && !left)) {
            candidate = c;
            candidateLeft = left;
          }
        }
      }
    }
    if (!anySecret) continue;
    const givesAway = (unknownCount === 1 && unknownTotal !== 0) || (unknownTotal > 0 && unknownTotal < SMALL_CELL_THRESHOLD);
    if (!givesAway || candidate < 0) continue; // every other cell of the sum is zero: nothing is given away by it
    secret[candidate] = 1;
    for (const j of [i, ...(sumsOf.get(candidate) ?? [])]) {
      if (!queued[j]) {
        queued[j] = 1;
        queue.push(j);
      }
    }
  }
  for (let c = 0; c < size; c++) if (!cells.shown[c]) secret[c] = 0;
  return secret;
}
