import { suppressedCells, type Cell, type CellSum } from './suppression.js';

const shown = (n: number, persons = n): Cell => ({ n, persons, shown: true });
const hidden = (n: number, persons = n): Cell => ({ n, persons, shown: false });
const cells = (entries: Record<string, Cell>) => new Map(Object.entries(entries));

describe('the small-cell rule', () => {
  it('answers cells of five persons or more, and zero', () => {
    expect(suppressedCells(cells({ a: shown(5), b: shown(0), c: shown(120) }), [])).toEqual(new Set());
  });

  it('suppresses a cell of one to four persons', () => {
    expect(suppressedCells(cells({ a: shown(4), b: shown(1), c: shown(7) }), [])).toEqual(new Set(['a', 'b']));
  });

  it('counts persons, not records: five handovers about two persons are suppressed', () => {
    expect(suppressedCells(cells({ a: shown(5, 2) }), [])).toEqual(new Set(['a']));
  });

  it('suppresses the smallest other part when the total would give a suppressed part away', () => {
    // total 30 = 3 + 12 + 15: without a second suppression, 3 = 30 - 12 - 15
    const sums: CellSum[] = [{ left: ['total'], right: ['a', 'b', 'c'] }];
    expect(suppressedCells(cells({ total: shown(30), a: shown(3), b: shown(12), c: shown(15) }), sums)).toEqual(new Set(['a', 'b']));
  });

  it('keeps going while the suppressed parts together count fewer than five', () => {
    // 2 + 1 = 3 could be subtracted from the total: a third part goes too
    const sums: CellSum[] = [{ left: ['total'], right: ['a', 'b', 'c', 'd'] }];
    expect(suppressedCells(cells({ total: shown(40), a: shown(2), b: shown(1), c: shown(17), d: shown(20) }), sums)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('leaves two suppressed parts that together count five or more', () => {
    const sums: CellSum[] = [{ left: ['total'], right: ['a', 'b', 'c'] }];
    expect(suppressedCells(cells({ total: shown(30), a: shown(3), b: shown(4), c: shown(23) }), sums)).toEqual(new Set(['a', 'b']));
  });

  it('suppresses the total when there is no other part to hide', () => {
    const sums: CellSum[] = [{ left: ['total'], right: ['a', 'b'] }];
    expect(suppressedCells(cells({ total: shown(3), a: shown(3), b: shown(0) }), sums)).toEqual(new Set(['total', 'a']));
  });

  it('follows a secondary suppression into the sums it takes part in', () => {
    // a is small; b goes with it in the first sum; b is also a part of the second sum, so another part of it goes
    const sums: CellSum[] = [
      { left: ['t1'], right: ['a', 'b'] },
      { left: ['t2'], right: ['b', 'c', 'd'] },
    ];
    const result = suppressedCells(cells({ t1: shown(12), a: shown(2), b: shown(10), t2: shown(60), c: shown(20), d: shown(30) }), sums);
    expect(result).toEqual(new Set(['a', 'b', 'c']));
  });

  it('suppresses a cell marked secret (one partner holds all but a few of it), and what gives it away', () => {
    const sums: CellSum[] = [{ left: ['region'], right: ['north', 'south'] }];
    const region = { ...shown(23), secret: true };
    expect(suppressedCells(cells({ region, north: shown(12), south: shown(11) }), sums)).toEqual(new Set(['region', 'south']));
  });

  it('suppresses a shown cell that a hidden small cell would be recovered from', () => {
    // region 23 = municipalities 10 + 10 + regional partners 3 (never answered)
    const sums: CellSum[] = [{ left: ['region'], right: ['m1', 'm2', 'partners'] }];
    expect(suppressedCells(cells({ region: shown(23), m1: shown(10), m2: shown(10), partners: hidden(3) }), sums)).toEqual(new Set(['m1']));
  });

  it('answers everything when the hidden rest counts five or more, or nobody', () => {
    const sums: CellSum[] = [{ left: ['region'], right: ['m1', 'partners'] }];
    expect(suppressedCells(cells({ region: shown(25), m1: shown(20), partners: hidden(5) }), sums)).toEqual(new Set());
    expect(suppressedCells(cells({ region: shown(20), m1: shown(20), partners: hidden(0) }), sums)).toEqual(new Set());
  });
});
