import {
  REFERRAL_ACTIONS,
  REFERRAL_STATUSES,
  allowedReferralActions,
  isPendingReferral,
  moveReferral,
  type ReferralAction,
  type ReferralSide,
  type ReferralStatus,
} from './referral-state.js';
import { addWorkingDays, isOverdue } from './working-days.js';

/** The legal moves, written out from the issue text, with who makes them. */
const LEGAL: Array<[ReferralStatus, ReferralAction, ReferralSide, ReferralStatus]> = [
  ['DRAFT', 'send', 'sender', 'SENT'],
  ['SENT', 'accept', 'receiver', 'ACCEPTED'],
  ['SENT', 'decline', 'receiver', 'DECLINED'],
  ['SENT', 'request-info', 'receiver', 'INFO_REQUESTED'],
  ['INFO_REQUESTED', 'answer', 'sender', 'SENT'],
  ['SENT', 'withdraw', 'sender', 'WITHDRAWN'],
  ['INFO_REQUESTED', 'withdraw', 'sender', 'WITHDRAWN'],
  ['SENT', 'expire', 'system', 'EXPIRED'],
  ['ACCEPTED', 'complete', 'system', 'COMPLETED'],
];
const SIDES: ReferralSide[] = ['sender', 'receiver', 'system'];

describe('referral state machine', () => {
  it('allows exactly the legal moves, by the right side, and refuses every other of the 192 combinations', () => {
    let refused = 0;
    for (const status of REFERRAL_STATUSES) {
      for (const action of REFERRAL_ACTIONS) {
        for (const side of SIDES) {
          const legal = LEGAL.find(([s, a, by]) => s === status && a === action && by === side);
          const move = moveReferral(status, action, side);
          expect({ status, action, side, ok: move.ok }).toEqual({ status, action, side, ok: Boolean(legal) });
          if (move.ok) expect(move.to).toBe(legal![3]);
          else {
            refused++;
            const allowed = LEGAL.filter(([s, , by]) => s === status && by === side).map(([, a]) => a);
            expect([...move.allowed].sort()).toEqual([...allowed].sort());
            expect(allowedReferralActions(status, side).sort()).toEqual([...allowed].sort());
          }
        }
      }
    }
    expect(refused).toBe(REFERRAL_STATUSES.length * REFERRAL_ACTIONS.length * SIDES.length - LEGAL.length);
  });

  it('tells a move by the wrong side from a move in the wrong status', () => {
    expect(moveReferral('SENT', 'accept', 'sender')).toMatchObject({ ok: false, reason: 'wrong-side' });
    expect(moveReferral('DECLINED', 'accept', 'receiver')).toMatchObject({ ok: false, reason: 'wrong-status', allowed: [] });
  });

  it('ends in DECLINED, WITHDRAWN, EXPIRED and COMPLETED; waits in SENT and INFO_REQUESTED', () => {
    const final = REFERRAL_STATUSES.filter((s) => SIDES.every((side) => allowedReferralActions(s, side).length === 0));
    expect(final).toEqual(['DECLINED', 'WITHDRAWN', 'EXPIRED', 'COMPLETED']);
    expect(REFERRAL_STATUSES.filter(isPendingReferral)).toEqual(['SENT', 'INFO_REQUESTED']);
  });
});

describe('response deadlines in working days', () => {
  it('skips weekends', () => {
    expect(addWorkingDays('2026-11-23', 10)).toBe('2026-12-07'); // Monday + 10 working days = Monday two weeks on
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30'); // Friday + 1 = Monday
    expect(addWorkingDays('2026-11-28', 1)).toBe('2026-11-30'); // Saturday + 1 = Monday
    expect(addWorkingDays('2026-11-25', 0)).toBe('2026-11-25');
    expect(() => addWorkingDays('2026-11-25', -1)).toThrow(RangeError);
  });

  it('is overdue from the day after the due date', () => {
    expect(isOverdue('2026-12-07', '2026-12-07')).toBe(false);
    expect(isOverdue('2026-12-07', '2026-12-08')).toBe(true);
  });
});
