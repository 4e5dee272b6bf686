import { DATA_CATEGORIES, DomainError, Forbidden, NotFound, RequestTransaction, type RequestContext, type Tx } from '@app/kernel';
import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { ClientRepository } from '../clients/client.repository.js';
import { NO_FILE, OPEN_WORK, type ClientErasure, type ErasureReason, type RetentionPeriods, type RetentionSetting } from './erasure.js';
import { ErasureRepository } from './erasure.repository.js';
import { notifyConsentRevoked } from '../sharing/consent.service.js';
import { NotificationService } from '../notifications/notification.service.js';

/**
 * Erasure that keeps the trail: an organisation's privacy officer erases its own file on a person (a
 * GDPR request, or its retention period ended), in one transaction with its record and its audit event
 * (`client.erase`). Other organisations' files on the person stay; audit events are never touched; the
 * record keeps her right to the person's access report. Its admins set the retention periods the daily
 * job (RetentionJob) applies.
 */
@Injectable()
export class ErasureService {
  constructor(
    private readonly erasures: ErasureRepository,
    private readonly clients: ClientRepository,
    private readonly transaction: RequestTransaction,
    private readonly notifications: NotificationService,
  ) {}

  erase(ctx: RequestContext, personId: string, input: { reason: ErasureReason; note?: string }): Promise<ClientErasure> {
    if (!ctx.ability.can('delete', subject('ClientFile', { organisationId: ctx.organisationId }))) throw new Forbidden('forbidden');
    return this.transaction.run(ctx, async (tx) => {
      await this.assertErasable(tx, personId);
      const recipients = await this.erasures.consentRecipients(tx, ctx.organisationId, personId);
      const id = await this.erasures.erase(tx, personId, input.reason, input.note ?? null).catch((error: { code?: string }) => {
        // another erasure of the same file committed while this one waited for its lock
        if (error.code === NO_FILE) throw new DomainError('conflict', 'client-already-erased', { erasedAt: new Date().toISOString() });
        // a trajectory or referral was opened between the check above and the erasure's lock on the file
        if (error.code === OPEN_WORK) throw new DomainError('conflict', 'erasure-blocked');
        throw error;
      });
      const record = (await this.erasures.find(tx, id!))!;
      tx.audit({
        action: 'client.erase',
        decision: 'ALLOW',
        resourceType: 'ClientErasure',
        resourceId: record.id,
        subjectPersonId: personId,
        ownerOrganisationId: ctx.organisationId,
        categories: record.categories,
        ground: { kind: 'OWNER' },
      });
      await notifyConsentRevoked(this.notifications, tx, recipients, personId);
      return record;
    });
  }

  /** The caller's organisation's erasures on the person, newest first; 404 when it neither keeps nor erased a file on them. */
  list(ctx: RequestContext, personId: string): Promise<ClientErasure[]> {
    return this.transaction.run(ctx, async (tx) => {
      const records = await this.erasures.listForPerson(tx, personId);
      if (records.length === 0 && !(await this.clients.ownsFile(tx, personId))) throw new NotFound('client');
      return records;
    });
  }

  retention(ctx: RequestContext, organisationId: string): Promise<RetentionSetting> {
    return this.transaction.run(ctx, async (tx) => {
      this.assertOwnRetention(ctx, organisationId, 'read');
      return this.erasures.retention(tx, organisationId);
    });
  }

  /** Replaces the organisation's retention periods: a category left out is kept until erased by hand. */
  setRetention(ctx: RequestContext, organisationId: string, months: RetentionPeriods): Promise<RetentionSetting> {
    return this.transaction.run(ctx, async (tx) => {
      this.assertOwnRetention(ctx, organisationId, 'update');
      await this.erasures.replaceRetention(tx, organisationId, ctx.userId, months);
      tx.audit({
        action: 'retention.update',
        decision: 'ALLOW',
        resourceType: 'RetentionSetting',
        resourceId: organisationId,
        categories: DATA_CATEGORIES.filter((category) => months[category] !== undefined).map((category) => `${category}:${months[category]}`),
      });
      return this.erasures.retention(tx, organisationId);
    });
  }

  /** The caller's organisation keeps a file on the person and nothing open hangs on it. */
  private async assertErasable(tx: Tx, personId: string): Promise<void> {
    if (!(await this.clients.ownsFile(tx, personId))) {
      const earlier = (await this.erasures.listForPerson(tx, personId)).find((e) => e.wholeFile);
      if (earlier) throw new DomainError('conflict', 'client-already-erased', { erasedAt: earlier.erasedAt.toISOString(), erasureId: earlier.id });
      throw new NotFound('client');
    }
    const open = await this.erasures.blockers(tx, personId);
    if (open.length > 0) {
      throw new DomainError(
        'conflict',
        'erasure-blocked',
        { open: open.map((o) => `${o.kind} ${o.id} (${o.status})`).join(', ') },
        open.map((o) => ({
          field: o.kind === 'trajectory' ? 'trajectories' : 'referrals',
          code: `erasure-blocked-by-${o.kind}`,
          params: { id: o.id, status: o.status },
        })),
      );
    }
  }

  private assertOwnRetention(ctx: RequestContext, organisationId: string, action: 'read' | 'update'): void {
    if (ctx.ability.can(action, subject('RetentionSetting', { organisationId }))) return;
    // one's own organisation: a matter of roles; another's: not there to see
    if (organisationId === ctx.organisationId) throw new Forbidden('forbidden');
    throw new NotFound('organisation');
  }
}
