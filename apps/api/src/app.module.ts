import { AuditModule } from '@app/audit';
import { AuthModule } from '@app/auth';
import { DomainModule } from '@app/domain';
import { IndicatorsController } from './indicators/indicators.controller.js';
import { SteeringController } from './steering/steering.controller.js';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditController } from './audit/audit.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { SESSION_COOKIE_CONFIG } from './auth/session-cookie.js';
import { SessionController } from './auth/session.controller.js';
import { ClientsController } from './clients/clients.controller.js';
import type { AppConfig } from './config/app-config.js';
import { HealthController } from './health/health.controller.js';
import { BackgroundJobs, JOBS_CONFIG } from './jobs/background-jobs.js';
import { DailyDigest, DIGEST_CONFIG } from './notifications/daily-digest.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { MeController } from './me/me.controller.js';
import { NotesController } from './notes/notes.controller.js';
import { DocumentsController } from './documents/documents.controller.js';
import { ErasureController } from './erasure/erasure.controller.js';
import { OrganisationsController } from './organisations/organisations.controller.js';
import { ReferralsController } from './referrals/referrals.controller.js';
import { SharingController } from './sharing/sharing.controller.js';
import { TrajectoriesController } from './trajectories/trajectories.controller.js';
import { UsersController } from './users/users.controller.js';

@Module({})
export class AppModule {
  /** The data source is created, migrated and owned by the caller (main or a test), then shared here. */
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSource.options,
          dataSourceFactory: async () => dataSource,
        }),
        AuthModule.forRoot(config.auth),
        AuditModule.forRoot(config.audit),
        DomainModule,
      ],
      controllers: [
        AuthController,
        SessionController,
        HealthController,
        MeController,
        OrganisationsController,
        UsersController,
        ClientsController,
        SharingController,
        AuditController,
        TrajectoriesController,
        ReferralsController,
        NotesController,
        DocumentsController,
        ErasureController,
        IndicatorsController,
        SteeringController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        {
          provide: JOBS_CONFIG,
          useValue: {
            referralExpirySeconds: config.referralExpirySeconds,
            referralCountFoldSeconds: config.referralCountFoldSeconds,
            indicatorRefreshSeconds: config.indicatorRefreshSeconds,
            notificationDispatchSeconds: config.notificationDispatchSeconds,
            digestPollSeconds: config.digest.pollSeconds,
            retentionRunSeconds: config.retentionRunSeconds,
          },
        },
        { provide: DIGEST_CONFIG, useValue: config.digest },
        { provide: SESSION_COOKIE_CONFIG, useValue: { production: config.production, maxAgeSeconds: config.auth.sessionTtlSeconds } },
        DailyDigest,
        BackgroundJobs,
      ],
    };
  }
}
