/** The three kinds of referral between partners, one model. */
export const REFERRAL_KINDS = ['WARM_HANDOVER', 'NOT_YET_READY', 'ADVICE_REQUEST'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

export const REFERRAL_STATUSES = ['DRAFT', 'SENT', 'INFO_REQUESTED', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED', 'COMPLETED', 'ACKNOWLEDGED'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Why a receiver declines; the free text beside it explains. */
export const DECLINE_REASON_CODES = ['NO_CAPACITY', 'NOT_IN_SCOPE', 'CLIENT_NOT_REACHABLE', 'INSUFFICIENT_INFORMATION', 'CLIENT_DECLINED', 'OTHER'] as const;
export type DeclineReasonCode = (typeof DECLINE_REASON_CODES)[number];

/** What can happen to a referral, and who does it: the sending side, the receiving side, or the system. */
export const REFERRAL_ACTIONS = ['send', 'accept', 'decline', 'request-info', 'answer', 'withdraw', 'expire', 'complete', 'acknowledge'] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];
export type ReferralSide = 'sender' | 'receiver' | 'system';

interface Move {
  from: readonly ReferralStatus[];
  to: ReferralStatus;
  by: ReferralSide;
}

/**
 * A warm handover and an advice request ask the receiver to decide: DRAFT -> SENT -> ACCEPTED | DECLINED
 * | INFO_REQUESTED; the sender's answer returns INFO_REQUESTED to SENT; SENT and INFO_REQUESTED ->
 * WITHDRAWN by the sender; SENT -> EXPIRED after the deadline; ACCEPTED -> COMPLETED when the
 * trajectory starts or the advice is given.
 */
const DECISION: Partial<Record<ReferralAction, Move>> = {
  send: { from: ['DRAFT'], to: 'SENT', by: 'sender' },
  accept: { from: ['SENT'], to: 'ACCEPTED', by: 'receiver' },
  decline: { from: ['SENT'], to: 'DECLINED', by: 'receiver' },
  'request-info': { from: ['SENT'], to: 'INFO_REQUESTED', by: 'receiver' },
  answer: { from: ['INFO_REQUESTED'], to: 'SENT', by: 'sender' },
  withdraw: { from: ['SENT', 'INFO_REQUESTED'], to: 'WITHDRAWN', by: 'sender' },
  expire: { from: ['SENT'], to: 'EXPIRED', by: 'system' },
  complete: { from: ['ACCEPTED'], to: 'COMPLETED', by: 'system' },
};

/**
 * A NOT_YET_READY signal is the director's decision, not a request: the receiver takes note of it
 * (SENT -> ACKNOWLEDGED) and cannot accept, decline or let it expire; it holds until its review date or
 * until the sender lifts it (-> WITHDRAWN), acknowledged or not. Signals answered before this rule
 * (INFO_REQUESTED, ACCEPTED, DECLINED) still hold, so their sender can lift them too.
 */
const SIGNAL: Partial<Record<ReferralAction, Move>> = {
  send: { from: ['DRAFT'], to: 'SENT', by: 'sender' },
  acknowledge: { from: ['SENT'], to: 'ACKNOWLEDGED', by: 'receiver' },
  withdraw: { from: ['SENT', 'ACKNOWLEDGED', 'INFO_REQUESTED', 'ACCEPTED', 'DECLINED'], to: 'WITHDRAWN', by: 'sender' },
};

const MOVES: Record<ReferralKind, Partial<Record<ReferralAction, Move>>> = { WARM_HANDOVER: DECISION, ADVICE_REQUEST: DECISION, NOT_YET_READY: SIGNAL };

/** The actions a side may take on a referral of this kind in this status (what a 409 names as allowed). */
export function allowedReferralActions(kind: ReferralKind, status: ReferralStatus, side: ReferralSide): ReferralAction[] {
  return REFERRAL_ACTIONS.filter((action) => MOVES[kind][action]?.by === side && MOVES[kind][action]!.from.includes(status));
}

export type ReferralMove = { ok: true; to: ReferralStatus } | { ok: false; reason: 'wrong-side' | 'wrong-status'; allowed: ReferralAction[] };

export function moveReferral(kind: ReferralKind, status: ReferralStatus, action: ReferralAction, side: ReferralSide): ReferralMove {
  const move = MOVES[kind][action];
  if (move && move.by !== side) return { ok: false, reason: 'wrong-side', allowed: allowedReferralActions(kind, status, side) };
  if (!move || !move.from.includes(status)) return { ok: false, reason: 'wrong-status', allowed: allowedReferralActions(kind, status, side) };
  return { ok: true, to: move.to };
}

/**
 * What a box shows unless asked otherwise: the referrals someone still works with (drafts show in the
 * outbox only); the closed ones (declined, withdrawn, expired, completed) on request.
 */
export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = ['DRAFT', 'SENT', 'INFO_REQUESTED', 'ACKNOWLEDGED', 'ACCEPTED'];

/** Referrals that still wait for someone: they count in queues and can become overdue. */
export function isPendingReferral(status: ReferralStatus): boolean {
  return status === 'SENT' || status === 'INFO_REQUESTED';
}
