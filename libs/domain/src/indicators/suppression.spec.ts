import { newCells, suppressedCells } from './suppression.js';

/** Named cells for the examples: [n, persons?, hidden?, marked?]; sums as [left names, right names]. */
type Named = Record<string, [number, number?, 'hidden'?, 'marked'?]>;
function suppressed(named: Named, sums: Array<[string[], string[]]> = []): string[] {
  const names = Object.keys(named);
  const cells = newCells(names.length);
  names.forEach((name, c) => {
    const [n, persons = n, hidden, marked] = named[name]!;
    cells.n[c] = n;
    cells.persons[c] = persons;
    cells.shown[c] = hidden ? 0 : 1;
    cells.marked[c] = marked ? 1 : 0;
  });
  const index = (name: string) => names.indexOf(name);
  const withheld = suppressedCells(
    cells,
    sums.map(([left, right]) => ({ left: left.map(index), right: right.map(index) })),
  );
  return names.filter((_, c) => withheld[c]);
}

describe('the small-cell rule', () => {
  it('answers cells of five persons or more, and zero', () => {
    expect(suppressed({ a: [5], b: [0], c: [120] })).toEqual([]);
  });

  it('withholds a cell of one to four persons', () => {
    expect(suppressed({ a: [4], b: [1], c: [7] })).toEqual(['a', 'b']);
  });

  it('counts persons, not records: five handovers about two persons are withheld', () => {
    expect(suppressed({ a: [5, 2] })).toEqual(['a']);
  });

  it('withholds the smallest other part when the total would give a withheld part away', () => {
    // total 30 = 3 + 12 + 15: without a second one, 3 = 30 - 12 - 15
    expect(suppressed({ total: [30], a: [3], b: [12], c: [15] }, [[['total'], ['a', 'b', 'c']]])).toEqual(['a', 'b']);
  });

  it('keeps going while the withheld parts together count fewer than five', () => {
    // 2 + 1 = 3 could be subtracted from the total: a third part goes too
    expect(suppressed({ total: [40], a: [2], b: [1], c: [17], d: [20] }, [[['total'], ['a', 'b', 'c', 'd']]])).toEqual(['a', 'b', 'c']);
  });

  it('leaves two withheld parts that together count five or more', () => {
    expect(suppressed({ total: [30], a: [3], b: [4], c: [23] }, [[['total'], ['a', 'b', 'c']]])).toEqual(['a', 'b']);
  });

  it('withholds the total when there is no other part to hide', () => {
    expect(suppressed({ total: [3], a: [3], b: [0] }, [[['total'], ['a', 'b']]])).toEqual(['total', 'a']);
  });

  it('follows a secondary suppression into the sums it takes part in', () => {
    // a is small; b goes with it in the first sum; b is also a part of the second sum, so another part of it goes
    const named: Named = { t1: [12], a: [2], b: [10], t2: [60], c: [20], d: [30] };
    expect(
      suppressed(named, [
        [['t1'], ['a', 'b']],
        [['t2'], ['b', 'c', 'd']],
      ]),
    ).toEqual(['a', 'b', 'c']);
  });

  it('withholds a cell marked secret (one partner holds all but a few of it), and what gives it away', () => {
    expect(suppressed({ region: [23, 23, undefined, 'marked'], north: [12], south: [11] }, [[['region'], ['north', 'south']]])).toEqual(['region', 'south']);
  });

  it('withholds a shown cell a hidden small cell would be recovered from', () => {
    // region 23 = municipalities 10 + 10 + regional partners 3 (never answered)
    expect(suppressed({ region: [23], m1: [10], m2: [10], partners: [3, 3, 'hidden'] }, [[['region'], ['m1', 'm2', 'partners']]])).toEqual(['m1']);
  });

  it('answers everything when the hidden rest counts five or more, or nobody', () => {
    expect(suppressed({ region: [25], m1: [20], partners: [5, 5, 'hidden'] }, [[['region'], ['m1', 'partners']]])).toEqual([]);
    expect(suppressed({ region: [20], m1: [20], partners: [0, 0, 'hidden'] }, [[['region'], ['m1', 'partners']]])).toEqual([]);
  });
});
