import { ReferralExpiry } from '@app/domain';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

export const JOBS_CONFIG = Symbol('JOBS_CONFIG');
export interface JobsConfig {
  /** how often overdue referrals are expired; 0: never (tests call the job themselves) */
  referralExpirySeconds: number;
}

/** Periodic domain work of this process. (Audit checkpoints and anomaly flags run in libs/audit.) */
@Injectable()
export class BackgroundJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BackgroundJobs');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly expiry: ReferralExpiry,
    @Inject(JOBS_CONFIG) private readonly config: JobsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.referralExpirySeconds <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.expiry
        .expireOverdue()
        .then((n) => n > 0 && this.logger.log(`expired ${n} overdue referral(s)`))
        .catch((error) => this.logger.error(`referral expiry failed: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.config.referralExpirySeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
