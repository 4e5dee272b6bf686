import { RequestTransaction, belgianToday, type DataCategory, type Purpose, type RequestContext, type Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { ClientRepository } from '../clients/client.repository.js';
import { NotificationService, type NotificationKind } from '../notifications/notification.service.js';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import { UserRepository } from '../users/user.repository.js';
import { decodeCursorKey, encodeCursor, isCursorUuid } from '@app/kernel';
import { addMonths, checkCalendarDate, isCursorTimestamp } from '@app/kernel';
import { Conflict, Forbidden, InvalidInput, NotFound } from '@app/kernel';
import { StaleVersion, TrajectoryService } from '../trajectories/trajectory.service.js';
import {
  DECLINE_REASON_CODES,
  OPEN_REFERRAL_STATUSES,
  moveReferral,
  type ReferralAction,
  type ReferralKind,
  type ReferralSide,
  type ReferralStatus,
} from './referral-state.js';
import { ReferralCounts } from './referral-counts.js';
import { MESSAGES_PER_REFERRAL, PURPOSE_OF, ReferralRepository, type Referral, type ReferralMessage, type ReferralMoveFields } from './referral.repository.js';
import { DEFAULT_RESPONSE_WORKING_DAYS, addWorkingDays } from './working-days.js';

export type { Referral } from './referral.repository.js';

export interface NewReferral {
  kind: ReferralKind;
  clientId: string;
  toOrganisationId: string;
  categories: DataCategory[];
  note?: string;
  proposedIntakeDates?: string[];
  reviewDate?: string;
  /** documents of the sender's own file on the person, each of an offered category */
  documentIds?: string[];
  send?: boolean;
}

export interface QueueQuery {
  box: 'inbox' | 'outbox';
  /** any of these statuses; the open ones when none is named */
  status?: ReferralStatus[];
  overdue?: boolean;
  /** a user id, or `me` */
  assignee?: string;
  /** one person's referrals */
  clientId?: string;
  /** page size, at most 100 */
  limit: number;
  /** nextCursor of the previous page */
  cursor?: string;
}

/** A NOT_YET_READY signal is reviewed within a year: no signal holds a client back indefinitely. */
export const NOT_YET_READY_MAX_MONTHS = 12;

/**
 * Referrals: the sender (the organisation keeping the client's file) writes and sends; the receiver
 * accepts, declines or asks for information. Every change carries the version read (stale: 409) and
 * follows the tested state machine (an illegal move: 409 naming the allowed ones). Accepting a warm
 * handover re-checks consent and agreement at that moment, records the receiver's involvement and
 * joins or starts the MEDIATION trajectory the sender directs, all in one transaction.
 */
@Injectable()
export class ReferralService {
  constructor(
    private readonly referrals: ReferralRepository,
    private readonly counts: ReferralCounts,
    private readonly clients: ClientRepository,
    private readonly organisations: OrganisationRepository,
    private readonly users: UserRepository,
    private readonly trajectories: TrajectoryService,
    private readonly notifications: NotificationService,
    private readonly transaction: RequestTransaction,
  ) {
    // a handover is done once the trajectory it led to starts
    trajectories.onStart((tx, ctx, trajectory) => this.completeForTrajectory(tx, ctx, trajectory.id));
  }

  create(ctx: RequestContext, input: NewReferral): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      if (!(await this.clients.ownsFile(tx, input.clientId))) throw new NotFound('client');
      const problems = [];
      if (input.toOrganisationId === ctx.organisationId) problems.push({ field: 'toOrganisationId', code: 'recipient-is-self' });
      if (input.kind === 'NOT_YET_READY') {
        const today = belgianToday();
        const latest = addMonths(today, NOT_YET_READY_MAX_MONTHS);
        if (!input.reviewDate) problems.push({ field: 'reviewDate', code: 'isDefined' });
        else if (input.reviewDate <= today || input.reviewDate > latest)
          problems.push({ field: 'reviewDate', code: 'review-date-range', params: { min: today, max: latest } });
      }
      if (input.kind !== 'NOT_YET_READY' && input.categories.length === 0) problems.push({ field: 'categories', code: 'arrayMinSize', params: { min: 1 } });
      // A signal says "not yet": it names the person (so the receiver knows whom it holds back) and offers
      // nothing else of the file, neither categories nor documents (the rule opens IDENTITY at most).
      if (input.kind === 'NOT_YET_READY' && input.categories.some((c) => c !== 'IDENTITY'))
        problems.push({ field: 'categories', code: 'signal-identity-only' });
      if (input.kind === 'NOT_YET_READY' && (input.documentIds ?? []).length > 0) problems.push({ field: 'documentIds', code: 'signal-no-documents' });
      if (!(await this.organisations.isActive(tx, input.toOrganisationId))) problems.push({ field: 'toOrganisationId', code: 'organisation-not-found' });
      else if (!(await this.referrals.agreementLinks(tx, ctx.organisationId, input.toOrganisationId)))
        problems.push({ field: 'toOrganisationId', code: 'no-agreement' });
      const documentIds = [...new Set((input.documentIds ?? []).map((d) => d.toLowerCase()))];
      if (documentIds.length > 0 && input.kind !== 'NOT_YET_READY') {
        const own = await this.referrals.ownDocuments(tx, ctx.organisationId, input.clientId, documentIds);
        documentIds.forEach((documentId, i) => {
          const category = own.get(documentId);
          if (!category) problems.push({ field: `documentIds[${i}]`, code: 'document-not-on-file' });
          else if (!input.categories.includes(category))
            problems.push({ field: `documentIds[${i}]`, code: 'document-category-not-offered', params: { category } });
        });
      }
      if (problems.length > 0) throw new InvalidInput(problems);
      await this.assertShareable(tx, input.kind, ctx.organisationId, input.toOrganisationId, input.clientId, PURPOSE_OF[input.kind], input.categories);
      const id = await this.referrals.insert(tx, {
        kind: input.kind,
        personId: input.clientId,
        from: ctx.organisationId,
        to: input.toOrganisationId,
        senderUserId: ctx.userId,
        categories: [...new Set(input.categories)],
        note: input.note ?? null,
        proposedIntakeDates: input.proposedIntakeDates ?? [],
        reviewDate: input.reviewDate ?? null,
      });
      await this.referrals.offerDocuments(tx, id, documentIds);
      tx.audit({
        action: 'referral.create',
        decision: 'ALLOW',
        resourceType: 'Referral',
        resourceId: id,
        subjectPersonId: input.clientId,
        purpose: PURPOSE_OF[input.kind],
        categories: input.categories,
      });
      if (input.send) await this.apply(tx, ctx, id, 'send', 1, 'sender');
      return (await this.referrals.find(tx, id))!;
    });
  }

  get(ctx: RequestContext, id: string): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      const referral = await this.referrals.find(tx, id);
      if (!referral) throw new NotFound('referral');
      tx.audit(readEvent(ctx, 'referral.read', referral));
      return referral;
    });
  }

  /**
   * One side proposes intake dates (1 to 3, from today, within a year); the other side confirms one.
   * Proposing again undoes a confirmed intake. Open or accepted handovers only; the other side hears of it.
   */
  proposeIntake(ctx: RequestContext, id: string, body: { dates: string[]; version: number }): Promise<Referral> {
    return this.intakeChange(ctx, id, body.version, async (tx, current) => {
      const today = belgianToday();
      const last = addMonths(today, 12);
      body.dates.forEach((date, i) => {
        if (date < today || date > last) throw new InvalidInput([{ field: `dates[${i}]`, code: 'intake-date-range', params: { min: today, max: last } }]);
      });
      if (!(await this.referrals.proposeIntake(tx, id, current.version, [...new Set(body.dates)].sort(), ctx.organisationId)))
        throw new StaleVersion(current.version);
      return 'referral.intake-proposed';
    });
  }

  confirmIntake(ctx: RequestContext, id: string, body: { date: string; time?: string; version: number }): Promise<Referral> {
    return this.intakeChange(ctx, id, body.version, async (tx, current) => {
      if (!current.intakeProposedByOrganisationId || current.intakeProposedByOrganisationId === ctx.organisationId) {
        throw new Conflict('intake-not-yours-to-confirm');
      }
      if (!current.proposedIntakeDates.includes(body.date)) {
        throw new InvalidInput([{ field: 'date', code: 'not-a-proposed-date', params: { proposed: current.proposedIntakeDates.join(', ') } }]);
      }
      if (!(await this.referrals.confirmIntake(tx, id, current.version, body.date, body.time ?? null, ctx.organisationId)))
        throw new StaleVersion(current.version);
      return 'referral.intake-confirmed';
    });
  }

  /** The referral, for its confirmed intake (an iCalendar event); audited as a read. */
  intakeOf(ctx: RequestContext, id: string): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      const referral = await this.referrals.find(tx, id);
      if (!referral) throw new NotFound('referral');
      if (!referral.intake) throw new NotFound('intake');
      tx.audit(readEvent(ctx, 'referral.intake-read', referral));
      return referral;
    });
  }

  private intakeChange(
    ctx: RequestContext,
    id: string,
    version: number,
    change: (tx: Tx, current: Referral) => Promise<'referral.intake-proposed' | 'referral.intake-confirmed'>,
  ): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.referrals.find(tx, id, true);
      if (!current) throw new NotFound('referral');
      if (current.kind !== 'WARM_HANDOVER') throw new Conflict('intake-only-for-handover');
      if (!['SENT', 'INFO_REQUESTED', 'ACCEPTED'].includes(current.status)) throw new Conflict('referral-closed', undefined, { status: current.status });
      if (current.version !== version) throw new StaleVersion(current.version);
      const kind = await change(tx, current);
      tx.audit({ ...readEvent(ctx, kind, current), categories: [] });
      const sender = current.fromOrganisationId === ctx.organisationId;
      const receiverTarget = { userIds: current.assigneeUserId ? [current.assigneeUserId] : [], organisationId: current.toOrganisationId };
      await this.notifications.notify(tx, sender ? receiverTarget : { userIds: [current.senderUserId] }, kind, { referralId: id, clientId: current.clientId });
      return (await this.referrals.find(tx, id))!;
    });
  }

  /**
   * A handover's conversation (questions, answers, messages, with their authors), when the caller may
   * read it: the sender's side, and the receiver while the rule gives it the offered categories.
   */
  messages(ctx: RequestContext, id: string): Promise<{ items: ReferralMessage[]; withheld: boolean }> {
    return this.transaction.run(ctx, async (tx) => {
      const referral = await this.referrals.find(tx, id);
      if (!referral) throw new NotFound('referral');
      if (referral.noteWithheld) return { items: [], withheld: true };
      const items = await this.referrals.messages(tx, id);
      tx.audit({ ...readEvent(ctx, 'referral.thread-read', referral), categories: referral.categories });
      return { items, withheld: false };
    });
  }

  /** A message on an open or accepted handover, from either side; the other side is notified. */
  postMessage(ctx: RequestContext, id: string, body: string): Promise<{ items: ReferralMessage[]; withheld: boolean }> {
    return this.transaction.run(ctx, async (tx) => {
      const referral = await this.referrals.find(tx, id, true);
      if (!referral) throw new NotFound('referral');
      if (referral.noteWithheld) throw new Forbidden('thread-withheld');
      if (!['SENT', 'INFO_REQUESTED', 'ACCEPTED'].includes(referral.status)) {
        throw new Conflict('referral-closed', undefined, { status: referral.status });
      }
      if ((await this.referrals.messageCount(tx, id)) >= MESSAGES_PER_REFERRAL)
        throw new Conflict('too-many-messages', undefined, { max: MESSAGES_PER_REFERRAL });
      await this.referrals.addMessage(tx, id, { organisationId: ctx.organisationId, userId: ctx.userId }, 'MESSAGE', body.trim());
      tx.audit({ ...readEvent(ctx, 'referral.message', referral), categories: referral.categories });
      const sender = referral.fromOrganisationId === ctx.organisationId;
      const receiverTarget = { userIds: referral.assigneeUserId ? [referral.assigneeUserId] : [], organisationId: referral.toOrganisationId };
      await this.notifications.notify(tx, sender ? receiverTarget : { userIds: [referral.senderUserId] }, 'referral.message', {
        referralId: id,
        clientId: referral.clientId,
      });
      return { items: await this.referrals.messages(tx, id), withheld: false };
    });
  }

  /**
   * The caller's organisation's inbox or outbox, most urgent first (due date, then age), a page at a
   * time by keyset cursor, with counts per status over the whole box. The order is served by an index
   * per side, so a page costs the same with 20 or 20,000 referrals in the box.
   */
  queue(ctx: RequestContext, query: QueueQuery): Promise<{ items: Referral[]; counts: Record<string, number>; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeQueueCursor(query.cursor);
    return this.transaction.run(ctx, async (tx) => {
      const rows = await this.referrals.page(tx, {
        box: query.box,
        organisationId: ctx.organisationId,
        statuses: query.status?.length ? query.status : OPEN_REFERRAL_STATUSES,
        assignee: query.assignee === 'me' ? ctx.userId : (query.assignee ?? null),
        clientId: query.clientId ?? null,
        overdue: query.overdue ?? null,
        after,
        limit: query.limit + 1,
      });
      const counts = await this.counts.of(tx, query.box, ctx.organisationId);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const items = page.map((row) => row.referral);
      for (const referral of items) tx.audit(readEvent(ctx, 'referral.list', referral)); // each person a queue shows
      return { items, counts, nextCursor: rows.length > query.limit && last ? encodeCursor(JSON.stringify(last.key)) : null };
    });
  }

  /** The receiver's advice on an accepted advice request completes it; the sender is notified. */
  advise(ctx: RequestContext, id: string, body: { version: number; advice: string }): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.referrals.find(tx, id, true);
      if (!current) throw new NotFound('referral');
      if (current.toOrganisationId !== ctx.organisationId) throw new Forbidden('referral-wrong-side', { action: 'advise' });
      if (current.version !== body.version) throw new StaleVersion(current.version);
      const move = moveReferral(current.kind, current.status, 'complete', 'system');
      if (current.kind !== 'ADVICE_REQUEST' || !move.ok) {
        throw new Conflict('illegal-referral-move', undefined, {
          action: 'advise',
          status: current.status,
          allowed: current.kind === 'ADVICE_REQUEST' ? 'accept' : 'none',
        });
      }
      if (!(await this.referrals.move(tx, id, current.version, move.to, { advice: body.advice.trim() }))) throw new StaleVersion(current.version + 1);
      tx.audit({
        action: 'referral.advise',
        decision: 'ALLOW',
        resourceType: 'Referral',
        resourceId: id,
        subjectPersonId: current.clientId,
        ownerOrganisationId: current.fromOrganisationId,
        purpose: PURPOSE_OF[current.kind],
        categories: current.categories,
      });
      await this.notifications.notify(tx, { userIds: [current.senderUserId] }, 'referral.advised', { referralId: id, clientId: current.clientId });
      return (await this.referrals.find(tx, id))!;
    });
  }

  /** The receiving side hands the referral to one of its case workers (who is notified). */
  assign(ctx: RequestContext, id: string, body: { version: number; userId: string }): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.referrals.find(tx, id, true);
      if (!current) throw new NotFound('referral');
      if (current.toOrganisationId !== ctx.organisationId) throw new Forbidden('referral-wrong-side', { action: 'assign' });
      if (current.version !== body.version) throw new StaleVersion(current.version);
      if (!['SENT', 'INFO_REQUESTED', 'ACCEPTED'].includes(current.status)) {
        throw new Conflict('illegal-referral-move', undefined, { action: 'assign', status: current.status, allowed: 'none' });
      }
      if (!(await this.users.isActiveCaseWorkerOf(tx, body.userId, ctx.organisationId)))
        throw new InvalidInput([{ field: 'userId', code: 'not-a-case-worker-here' }]);
      await this.referrals.assign(tx, id, body.userId);
      tx.audit({
        action: 'referral.assign',
        decision: 'ALLOW',
        resourceType: 'Referral',
        resourceId: id,
        subjectPersonId: current.clientId,
        ownerOrganisationId: current.fromOrganisationId,
        purpose: PURPOSE_OF[current.kind],
      });
      await this.notifications.notify(tx, { userIds: [body.userId] }, 'referral.assigned', { referralId: id, clientId: current.clientId });
      return (await this.referrals.find(tx, id))!;
    });
  }

  /** One move of the state machine, by the caller's side; the extra fields depend on the move. */
  transition(
    ctx: RequestContext,
    id: string,
    action: Exclude<ReferralAction, 'expire' | 'complete'>,
    body: { version: number; reasonCode?: string; reason?: string; question?: string; answer?: string },
  ): Promise<Referral> {
    return this.transaction.run(ctx, async (tx) => {
      const current = await this.referrals.find(tx, id, true);
      if (!current) throw new NotFound('referral');
      const side = current.fromOrganisationId === ctx.organisationId ? 'sender' : 'receiver';
      await this.apply(tx, ctx, id, action, body.version, side, body);
      return (await this.referrals.find(tx, id))!;
    });
  }

  private async apply(
    tx: Tx,
    ctx: RequestContext,
    id: string,
    action: ReferralAction,
    version: number,
    side: ReferralSide,
    body: { reasonCode?: string; reason?: string; question?: string; answer?: string } = {},
  ): Promise<void> {
    const current = (await this.referrals.find(tx, id, true))!;
    if (current.version !== version) throw new StaleVersion(current.version);
    const move = moveReferral(current.kind, current.status, action, side);
    if (!move.ok) {
      if (move.reason === 'wrong-side') throw new Forbidden('referral-wrong-side', { action });
      throw new Conflict('illegal-referral-move', undefined, { action, status: current.status, allowed: move.allowed.join(', ') || 'none' });
    }
    const fields: ReferralMoveFields = {};
    switch (action) {
      case 'send': {
        await this.assertShareable(
          tx,
          current.kind,
          current.fromOrganisationId,
          current.toOrganisationId,
          current.clientId,
          PURPOSE_OF[current.kind],
          current.categories,
        );
        const days = await this.referrals.responseWorkingDays(tx, current.fromOrganisationId, current.toOrganisationId);
        fields.sentAt = true;
        fields.dueDate = addWorkingDays(belgianToday(), days ?? DEFAULT_RESPONSE_WORKING_DAYS);
        break;
      }
      case 'decline':
        if (!body.reasonCode || !(DECLINE_REASON_CODES as readonly string[]).includes(body.reasonCode)) {
          throw new InvalidInput([{ field: 'reasonCode', code: 'isIn', params: { allowed: DECLINE_REASON_CODES.join(', ') } }]);
        }
        fields.declineReasonCode = body.reasonCode;
        fields.declineReason = body.reason ?? null;
        break;
      // every question and answer is kept in the conversation; the fields hold the latest of each
      case 'request-info':
        if (!body.question?.trim()) throw new InvalidInput([{ field: 'question', code: 'isNotEmpty' }]);
        if (current.noteWithheld) throw new Forbidden('thread-withheld');
        fields.question = body.question.trim();
        await this.referrals.addMessage(tx, id, { organisationId: ctx.organisationId, userId: ctx.userId }, 'QUESTION', fields.question);
        break;
      case 'answer':
        if (!body.answer?.trim()) throw new InvalidInput([{ field: 'answer', code: 'isNotEmpty' }]);
        fields.answer = body.answer.trim();
        await this.referrals.addMessage(tx, id, { organisationId: ctx.organisationId, userId: ctx.userId }, 'ANSWER', fields.answer);
        break;
      case 'accept':
        if (current.kind === 'WARM_HANDOVER') {
          // Consent and agreement are checked again now: either may have changed since sending.
          await this.assertShareable(tx, current.kind, current.fromOrganisationId, current.toOrganisationId, current.clientId, 'MEDIATION', current.categories);
        }
        break;
    }
    if (!(await this.referrals.move(tx, id, version, move.to, fields))) throw new StaleVersion(current.version + 1);
    tx.audit({
      action: `referral.${action}`,
      decision: 'ALLOW',
      resourceType: 'Referral',
      resourceId: id,
      subjectPersonId: current.clientId,
      ownerOrganisationId: current.fromOrganisationId,
      purpose: PURPOSE_OF[current.kind],
      categories: current.categories,
    });
    if (action === 'accept' && current.kind === 'WARM_HANDOVER') {
      const trajectoryId = await this.trajectories.joinOrStartMediation(tx, ctx, {
        personId: current.clientId,
        sender: current.fromOrganisationId,
        senderUserId: current.senderUserId,
        referralId: current.id,
      });
      await this.referrals.linkTrajectory(tx, id, trajectoryId);
    }
    await this.notify(tx, current, action);
  }

  /** Who hears of a move: the receiving side (its assignee, or its case workers' shared queue) or the sending user. */
  private async notify(tx: Tx, referral: Referral, action: ReferralAction): Promise<void> {
    const receiver = { userIds: referral.assigneeUserId ? [referral.assigneeUserId] : [], organisationId: referral.toOrganisationId };
    const sender = { userIds: [referral.senderUserId] };
    const about = { referralId: referral.id, clientId: referral.clientId };
    const kind = (
      {
        send: 'referral.received',
        answer: 'referral.answered',
        withdraw: 'referral.withdrawn',
        accept: 'referral.accepted',
        decline: 'referral.declined',
        'request-info': 'referral.info-requested',
        complete: 'referral.completed',
        acknowledge: 'referral.acknowledged',
      } as Partial<Record<ReferralAction, NotificationKind>>
    )[action];
    if (!kind) return;
    // completion comes from the sender's side (its trajectory started): the receiver hears of it
    await this.notifications.notify(tx, ['send', 'answer', 'withdraw', 'complete'].includes(action) ? receiver : sender, kind, about);
  }

  /**
   * The handovers accepted into a trajectory complete when it starts: the system's move of the same
   * state machine, audited and notified as every other move, by the director who started it.
   */
  private async completeForTrajectory(tx: Tx, ctx: RequestContext, trajectoryId: string): Promise<void> {
    for (const id of await this.referrals.acceptedIdsOfTrajectory(tx, trajectoryId)) {
      const current = (await this.referrals.find(tx, id, true))!;
      await this.apply(tx, ctx, id, 'complete', current.version, 'system');
    }
  }

  /**
   * The offered categories must be shared with the receiver for the handover's purpose, now: an active
   * agreement flow and an active consent or notice naming the receiver, the purpose and each category
   * (WELFARE under explicit consent only). A warm handover also needs the consent to name TRAJECTORY:
   * the receiver works on the sender's trajectory once it accepts. One problem per reason, each naming
   * its categories, so the sender knows what to fix (the agreement, or the client's consent).
   */
  private async assertShareable(
    tx: Tx,
    kind: ReferralKind,
    from: string,
    to: string,
    personId: string,
    purpose: Purpose,
    categories: DataCategory[],
  ): Promise<void> {
    const asked = kind === 'WARM_HANDOVER' ? [...new Set<DataCategory>([...categories, 'TRAJECTORY'])] : categories;
    if (asked.length === 0) return;
    const gaps = await this.referrals.uncoveredCategories(tx, from, to, personId, purpose, asked);
    const offered = (reason: string) => gaps.filter((g) => g.reason === reason && categories.includes(g.category)).map((g) => g.category);
    const problems = [];
    const agreement = offered('agreement');
    if (agreement.length > 0) problems.push({ field: 'categories', code: 'not-covered-by-agreement', params: { categories: agreement.join(', '), purpose } });
    const consent = offered('consent');
    if (consent.length > 0) problems.push({ field: 'categories', code: 'not-covered-by-consent', params: { categories: consent.join(', '), purpose } });
    if (offered('welfare-notice').length > 0) problems.push({ field: 'categories', code: 'welfare-needs-consent' });
    if (kind === 'WARM_HANDOVER' && !categories.includes('TRAJECTORY') && gaps.some((g) => g.category === 'TRAJECTORY' && g.reason === 'consent')) {
      problems.push({ field: 'categories', code: 'consent-lacks-trajectory', params: { purpose } });
    }
    if (problems.length > 0) throw new InvalidInput(problems);
  }
}

/**
 * What reading a referral puts on record. Its ground: the sender's own file, or, for the receiver, the
 * handover that was addressed to it (which names its agreement).
 */
function readEvent(ctx: RequestContext, action: string, referral: Referral) {
  return {
    action,
    decision: 'ALLOW' as const,
    resourceType: 'Referral',
    resourceId: referral.id,
    subjectPersonId: referral.clientId,
    ownerOrganisationId: referral.fromOrganisationId,
    // a handover is read for its own purpose, whatever X-Purpose the request names
    purpose: PURPOSE_OF[referral.kind],
    categories: [],
    ground: referral.fromOrganisationId === ctx.organisationId ? { kind: 'OWNER' as const } : { kind: 'SHARED' as const, referralId: referral.id },
  };
}

/** `[due date or 'infinity', created_at, id]` of the last referral of the previous page, as encodeQueueCursor wrote it. */
function decodeQueueCursor(cursor: string): [string, string, string] {
  return decodeCursorKey(cursor, (key) => {
    if (!Array.isArray(key) || key.length !== 3) return undefined;
    const [due, created, id] = key;
    const dueOk = due === 'infinity' || checkCalendarDate(due) === undefined;
    return dueOk && isCursorTimestamp(created) && isCursorUuid(id) ? [due, created, id] : undefined;
  });
}
