import { Module } from '@nestjs/common';
import { ClientRepository } from './clients/client.repository.js';
import { ClientService } from './clients/client.service.js';
import { OrganisationRepository } from './organisations/organisation.repository.js';
import { OrganisationService } from './organisations/organisation.service.js';
import { AgreementService } from './sharing/agreement.service.js';
import { BreakGlassService } from './sharing/break-glass.service.js';
import { ConsentService } from './sharing/consent.service.js';
import { InvolvementRepository } from './sharing/involvement.repository.js';
import { InvolvementService } from './sharing/involvement.service.js';
import { NoteService } from './notes/note.service.js';
import { DocumentRepository } from './documents/document.repository.js';
import { DocumentService } from './documents/document.service.js';
import { NotificationDispatcher, NotificationService } from './notifications/notification.service.js';
import { ReferralCounts } from './referrals/referral-counts.js';
import { ReferralExpiry } from './referrals/referral-expiry.js';
import { ReferralRepository } from './referrals/referral.repository.js';
import { ReferralService } from './referrals/referral.service.js';
import { TrajectoryRepository } from './trajectories/trajectory.repository.js';
import { TrajectoryService } from './trajectories/trajectory.service.js';
import { UserRepository } from './users/user.repository.js';
import { UserService } from './users/user.service.js';
import { WorklistQuery } from './worklist/worklist.query.js';
import { ErasureRepository } from './erasure/erasure.repository.js';
import { ErasureService } from './erasure/erasure.service.js';
import { RetentionJob } from './erasure/retention-job.js';
import { IndicatorRepository } from './indicators/indicator.repository.js';
import { IndicatorService } from './indicators/indicator.service.js';
import { RegionRepository } from './indicators/region.repository.js';
import { RegionService } from './indicators/region.service.js';
import { SteeringRepository } from './steering/steering.repository.js';
import { SteeringService } from './steering/steering.service.js';

@Module({
  providers: [
    OrganisationRepository,
    OrganisationService,
    UserRepository,
    UserService,
    ClientRepository,
    ClientService,
    InvolvementRepository,
    InvolvementService,
    ConsentService,
    AgreementService,
    BreakGlassService,
    TrajectoryRepository,
    TrajectoryService,
    ReferralRepository,
    ReferralCounts,
    ReferralService,
    NotificationService,
    WorklistQuery,
    NoteService,
    DocumentRepository,
    DocumentService,
    ReferralExpiry,
    NotificationDispatcher,
    ErasureRepository,
    ErasureService,
    RetentionJob,
    IndicatorRepository,
    IndicatorService,
    RegionRepository,
    RegionService,
    SteeringRepository,
    SteeringService,
  ],
  exports: [
    IndicatorRepository,
    IndicatorService,
    RegionService,
    SteeringService,
    WorklistQuery,
    OrganisationService,
    UserService,
    ClientService,
    InvolvementService,
    ConsentService,
    AgreementService,
    BreakGlassService,
    TrajectoryService,
    ReferralService,
    NotificationService,
    NoteService,
    DocumentService,
    ReferralExpiry,
    ReferralCounts,
    NotificationDispatcher,
    ErasureService,
    RetentionJob,
  ],
})
export class DomainModule {}
