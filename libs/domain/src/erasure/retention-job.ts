import { AUDIT_SINK, DATA_CATEGORIES, type AuditSink, type DataCategory, type Tx } from '@app/kernel';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { NO_FILE, type ErasureReason } from './erasure.js';
import { ErasureRepository } from './erasure.repository.js';
import { notifyConsentRevoked } from '../sharing/consent.service.js';
import { NotificationService } from '../notifications/notification.service.js';

export interface RetentionRun {
  /** whole files erased (IDENTITY's period passed) */
  files: number;
  /** partial erasures (a category's older data) */
  partial: number;
  /** erasures that failed and were left for the next run (logged with ids only) */
  failed: number;
}

/**
 * The daily retention job: per organisation and data category with a retention period, what passed it
 * goes, with the reason RETENTION. IDENTITY's period erases the whole file (when nothing in it changed
 * for that long and no trajectory or referral of it is open); another category's erases that category's
 * older sections, documents and notes (TRAJECTORY: closed trajectories and referrals). Each erasure is
 * its own transaction, with its record and its `client.erase` event on the organisation's chain. Runs as
 * the owner, with the organisation in app.organisation_id; from a background job (BackgroundJobs) or a
 * test, which passes its own clock.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger('RetentionJob');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly erasures: ErasureRepository,
    private readonly notifications: NotificationService,
    @Optional() @Inject(AUDIT_SINK) private readonly sink?: AuditSink,
  ) {}

  async run(now: Date = new Date()): Promise<RetentionRun> {
    const result: RetentionRun = { files: 0, partial: 0, failed: 0 };
    const settings = await this.dataSource.transaction((manager) => this.erasures.allRetention(txOf(manager)));
    for (const setting of settings) {
      const organisationId = setting.organisationId;
      const identityMonths = setting.months.IDENTITY;
      if (identityMonths !== undefined) {
        const persons = await this.asOrganisation(organisationId, (tx) => this.erasures.filesIdleSince(tx, organisationId, monthsBefore(now, identityMonths)));
        for (const personId of persons) {
          if (await this.erase(organisationId, personId)) result.files++;
          else result.failed++;
        }
      }
      for (const category of DATA_CATEGORIES.filter((k) => k !== 'IDENTITY' && setting.months[k] !== undefined)) {
        const before = monthsBefore(now, setting.months[category]!);
        const persons = await this.asOrganisation(organisationId, (tx) => this.erasures.personsWithDataBefore(tx, organisationId, category, before));
        for (const personId of persons) {
          const done = await this.erase(organisationId, personId, { categories: [category], before });
          if (done) result.partial++;
          else if (done === undefined) result.failed++;
        }
      }
    }
    if (result.files + result.partial + result.failed > 0) this.logger.log({ msg: 'retention run', ...result });
    return result;
  }

  /** One erasure in its own transaction: true when erased, false when nothing was left to remove, undefined when it failed. */
  private async erase(organisationId: string, personId: string, partial?: { categories: DataCategory[]; before: Date }): Promise<boolean | undefined> {
    const reason: ErasureReason = 'RETENTION';
    try {
      return await this.asOrganisation(organisationId, async (tx, manager) => {
        const recipients = partial ? [] : await this.erasures.consentRecipients(tx, organisationId, personId);
        const id = await this.erasures.erase(tx, personId, reason, null, partial);
        if (!id) return false;
        await notifyConsentRevoked(this.notifications, tx, recipients, personId);
        const record = (await this.erasures.find(tx, id))!;
        if (!this.sink) throw new Error('RetentionJob: no audit sink registered');
        await this.sink.write((sql, params) => manager.query(sql, params), { organisationId }, [
          {
            action: 'client.erase',
            decision: 'ALLOW',
            resourceType: 'ClientErasure',
            resourceId: record.id,
            subjectPersonId: personId,
            ownerOrganisationId: organisationId,
            categories: record.categories,
            ground: { kind: 'OWNER' },
          },
        ]);
        return true;
      });
    } catch (error) {
      if ((error as { code?: string }).code === NO_FILE) return false; // erased meanwhile (another instance's run, or by hand)
      // ids only: never client data in logs
      this.logger.error({ msg: 'retention erasure failed', organisationId, personId, error: (error as Error).name, code: (error as { code?: string }).code });
      return undefined;
    }
  }

  private asOrganisation<T>(organisationId: string, work: (tx: Tx, manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT set_config('app.organisation_id', $1, true)`, [organisationId]);
      return work(txOf(manager), manager);
    });
  }
}

/** The job's statements as a Tx: it runs as the owner, and audits through the sink itself. */
function txOf(manager: EntityManager): Tx {
  return {
    query: (sql, params) => manager.query(sql, params),
    audit: () => {
      throw new Error('RetentionJob audits through the audit sink');
    },
  };
}

/** The same moment `months` calendar months earlier (UTC). */
function monthsBefore(now: Date, months: number): Date {
  const before = new Date(now);
  before.setUTCMonth(before.getUTCMonth() - months);
  return before;
}
