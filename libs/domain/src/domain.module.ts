import { Module } from '@nestjs/common';
import { OrganisationRepository } from './organisations/organisation.repository.js';
import { OrganisationService } from './organisations/organisation.service.js';
import { UserRepository } from './users/user.repository.js';
import { UserService } from './users/user.service.js';

@Module({
  providers: [OrganisationRepository, OrganisationService, UserRepository, UserService],
  exports: [OrganisationService, UserService],
})
export class DomainModule {}
