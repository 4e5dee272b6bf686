import { TRAJECTORY_STATUSES, allowedTrajectoryTransitions, checkTrajectoryTransition, isOpenTrajectory, type TrajectoryStatus } from './trajectory-status.js';

/** The legal moves, written out from the issue: PLANNED -> ACTIVE <-> ON_HOLD -> COMPLETED | STOPPED (and a planned one can be dropped). */
const LEGAL: Array<[TrajectoryStatus, TrajectoryStatus]> = [
  ['PLANNED', 'ACTIVE'],
  ['PLANNED', 'STOPPED'],
  ['ACTIVE', 'ON_HOLD'],
  ['ACTIVE', 'COMPLETED'],
  ['ACTIVE', 'STOPPED'],
  ['ON_HOLD', 'ACTIVE'],
  ['ON_HOLD', 'COMPLETED'],
  ['ON_HOLD', 'STOPPED'],
];

describe('trajectory status machine', () => {
  it('allows exactly the legal moves and, for every illegal one, names the allowed ones', () => {
    let illegal = 0;
    for (const from of TRAJECTORY_STATUSES) {
      const allowed = LEGAL.filter(([f]) => f === from).map(([, to]) => to);
      expect([...allowedTrajectoryTransitions(from)].sort()).toEqual([...allowed].sort());
      for (const to of TRAJECTORY_STATUSES) {
        const legal = LEGAL.some(([f, t]) => f === from && t === to);
        const check = checkTrajectoryTransition(from, to);
        expect({ from, to, ok: check.ok }).toEqual({ from, to, ok: legal });
        if (!check.ok) {
          illegal++;
          expect([...check.allowed].sort()).toEqual([...allowed].sort());
        }
      }
    }
    expect(illegal).toBe(TRAJECTORY_STATUSES.length ** 2 - LEGAL.length);
  });

  it('treats COMPLETED and STOPPED as final', () => {
    expect(TRAJECTORY_STATUSES.filter((s) => !isOpenTrajectory(s))).toEqual(['COMPLETED', 'STOPPED']);
  });
});
