import { IndicatorRepository, NotificationDispatcher, ReferralCounts, ReferralExpiry, RetentionJob } from '@app/domain';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DailyDigest } from '../notifications/daily-digest.js';

export const JOBS_CONFIG = Symbol('JOBS_CONFIG');
export interface JobsConfig {
  /** how often overdue referrals are expired; 0: never (tests call the job themselves) */
  referralExpirySeconds: number;
  /** how often the outbox is dispatched into notifications; 0: never (tests dispatch themselves) */
  notificationDispatchSeconds: number;
  /** how often due daily digests are looked for (0: never; tests send them themselves) */
  digestPollSeconds: number;
  /** how often what passed its retention is erased (daily); 0: never (tests run the job with their own clock) */
  retentionRunSeconds: number;
  /** how often the inbox and outbox count deltas are folded (0: never; counts stay exact, reads grow) */
  referralCountFoldSeconds: number;
  /** how often the indicators' changed months are recomputed (0: never; tests refresh themselves) */
  indicatorRefreshSeconds: number;
}

/** Periodic domain work of this process. (Audit checkpoints and anomaly flags run in libs/audit.) */
@Injectable()
export class BackgroundJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BackgroundJobs');
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly expiry: ReferralExpiry,
    private readonly dispatcher: NotificationDispatcher,
    private readonly digest: DailyDigest,
    private readonly retention: RetentionJob,
    private readonly referralCounts: ReferralCounts,
    private readonly indicators: IndicatorRepository,
    @Inject(JOBS_CONFIG) private readonly config: JobsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.every('referral expiry', this.config.referralExpirySeconds, () => this.expiry.expireOverdue());
    this.every('notification dispatch', this.config.notificationDispatchSeconds, () => this.dispatcher.dispatch());
    if (this.digest.enabled) this.every('daily digest', this.config.digestPollSeconds, () => this.digest.sendDue());
    this.every('retention', this.config.retentionRunSeconds, () => this.retention.run());
    this.every('referral count fold', this.config.referralCountFoldSeconds, () => this.referralCounts.compact());
    this.every('indicator refresh', this.config.indicatorRefreshSeconds, () => this.indicators.refresh());
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.running.values());
  }

  /** Runs a job every `seconds`, never two runs of it at once; failures are logged, not thrown. */
  private every(name: string, seconds: number, job: () => Promise<unknown>): void {
    if (seconds <= 0) return;
    const timer = setInterval(() => {
      if (this.running.has(name)) return;
      this.running.set(
        name,
        job()
          .catch((error) => this.logger.error(`${name} failed: ${(error as Error).message}`))
          .finally(() => this.running.delete(name)),
      );
    }, seconds * 1000);
    timer.unref();
    this.timers.push(timer);
  }
}
