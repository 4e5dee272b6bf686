import {
  REFERRAL_ACTIONS,
  REFERRAL_KINDS,
  REFERRAL_STATUSES,
  allowedReferralActions,
  isPendingReferral,
  moveReferral,
  type ReferralAction,
  type ReferralKind,
  type ReferralSide,
  type ReferralStatus,
} from './referral-state.js';
import { addWorkingDays, isOverdue } from './working-days.js';

/** The legal moves, written out from the issue texts, with who makes them. */
const DECISION: Array<[ReferralStatus, ReferralAction, ReferralSide, ReferralStatus]> = [
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
/** A NOT_YET_READY signal: taken note of, never accepted, declined or expired; lifted by its sender only. */
const SIGNAL: Array<[ReferralStatus, ReferralAction, ReferralSide, ReferralStatus]> = [
  ['DRAFT', 'send', 'sender', 'SENT'],
  ['SENT', 'acknowledge', 'receiver', 'ACKNOWLEDGED'],
  ['SENT', 'withdraw', 'sender', 'WITHDRAWN'],
  ['ACKNOWLEDGED', 'withdraw', 'sender', 'WITHDRAWN'],
  // answered before signals were acknowledged: they still hold, so they can still be lifted
  ['INFO_REQUESTED', 'withdraw', 'sender', 'WITHDRAWN'],
  ['ACCEPTED', 'withdraw', 'sender', 'WITHDRAWN'],
  ['DECLINED', 'withdraw', 'sender', 'WITHDRAWN'],
];
const LEGAL: Record<ReferralKind, typeof DECISION> = { WARM_HANDOVER: DECISION, ADVICE_REQUEST: DECISION, NOT_YET_READY: SIGNAL };
const SIDES: ReferralSide[] = ['sender', 'receiver', 'system'];

describe('referral state machine', () => {
  it.each(REFERRAL_KINDS)('allows exactly the legal moves of a %s, by the right side, and refuses every other combination', (kind) => {
    let refused = 0;
    for (const status of REFERRAL_STATUSES) {
      for (const action of REFERRAL_ACTIONS) {
        for (const side of SIDES) {
          const legal = LEGAL[kind].find(([s, a, by]) => s === status && a === action && by === side);
          const move = moveReferral(kind, status, action, side);
          expect({ status, action, side, ok: move.ok }).toEqual({ status, action, side, ok: Boolean(legal) });
          if (move.ok) expect(move.to).toBe(legal![3]);
          else {
            refused++;
            const allowed = LEGAL[kind].filter(([s, , by]) => s === status && by === side).map(([, a]) => a);
            expect([...move.allowed].sort()).toEqual([...allowed].sort());
            expect(allowedReferralActions(kind, status, side).sort()).toEqual([...allowed].sort());
          }
        }
      }
    }
    expect(refused).toBe(REFERRAL_STATUSES.length * REFERRAL_ACTIONS.length * SIDES.length - LEGAL[kind].length);
  });

  it('tells a move by the wrong side from a move in the wrong status', () => {
    expect(moveReferral('WARM_HANDOVER', 'SENT', 'accept', 'sender')).toMatchObject({ ok: false, reason: 'wrong-side' });
    expect(moveReferral('WARM_HANDOVER', 'DECLINED', 'accept', 'receiver')).toMatchObject({ ok: false, reason: 'wrong-status', allowed: [] });
    // a signal's receiver is told what it can do instead of accepting it
    expect(moveReferral('NOT_YET_READY', 'SENT', 'decline', 'receiver')).toMatchObject({ ok: false, reason: 'wrong-status', allowed: ['acknowledge'] });
  });

  it('ends a handover in DECLINED, WITHDRAWN, EXPIRED and COMPLETED, a signal only when its sender lifts it; waits in SENT and INFO_REQUESTED', () => {
    const final = (kind: ReferralKind) => REFERRAL_STATUSES.filter((s) => SIDES.every((side) => allowedReferralActions(kind, s, side).length === 0));
    expect(final('WARM_HANDOVER')).toEqual(['DECLINED', 'WITHDRAWN', 'EXPIRED', 'COMPLETED', 'ACKNOWLEDGED']);
    expect(final('NOT_YET_READY')).toEqual(['WITHDRAWN', 'EXPIRED', 'COMPLETED']);
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
