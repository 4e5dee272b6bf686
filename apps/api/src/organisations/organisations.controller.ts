import { Ctx } from '@app/auth';
import { Requires } from '@app/access';
import { type RequestContext } from '@app/kernel';
import { OrganisationService, STAFF_CARDS_MAX, UserService, type Organisation, type OrganisationDirectoryEntry, type StaffCard, type User } from '@app/domain';
import { Body, Controller, Get, Headers, Patch, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiParam, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { etagFor, requiredVersion } from '../http/etag.js';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import { CreateUserDto, StaffCardDto, UserDto } from '../users/dto/user.dto.js';
import { CreateOrganisationDto, OrganisationDirectoryEntryDto, OrganisationDto, UpdateOrganisationDto } from './dto/organisation.dto.js';

const ORGANISATION_OR_ENTRY = { anyOf: [{ $ref: getSchemaPath(OrganisationDto) }, { $ref: getSchemaPath(OrganisationDirectoryEntryDto) }] };

@ApiTags('Organisations')
@ApiExtraModels(OrganisationDto, OrganisationDirectoryEntryDto, StaffCardDto)
@Controller('organisations')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationService,
    private readonly users: UserService,
  ) {}

  @Get()
  @Requires('organisation.read')
  @ApiOperation({ summary: 'Partner directory: active organisations (id, name, kind); platform admins see all, in full' })
  @ApiOkResponse({ schema: { type: 'array', items: ORGANISATION_OR_ENTRY } })
  @ApiProblems(401)
  list(@Ctx() ctx: RequestContext): Promise<Array<Organisation | OrganisationDirectoryEntry>> {
    return this.organisations.list(ctx);
  }

  @Post()
  @Requires('organisation.create')
  @ApiOperation({ summary: 'Register a partner organisation (platform admins)' })
  @ApiCreatedResponse({ type: OrganisationDto })
  @ApiProblems(400, 401, 403, 409, 413)
  async create(@Ctx() ctx: RequestContext, @Body() body: CreateOrganisationDto, @Res({ passthrough: true }) response: FastifyReply): Promise<Organisation> {
    const created = await this.organisations.create(ctx, body);
    response.header('Location', `/organisations/${created.id}`).header('ETag', etagFor(created.version));
    return created;
  }

  @Get(':id')
  @Requires('organisation.read')
  @ApiOperation({ summary: 'One organisation: in full for its own staff and platform admins, directory fields for others' })
  @ApiOkResponse({ schema: ORGANISATION_OR_ENTRY })
  @ApiProblems(400, 401, 404)
  async get(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Res({ passthrough: true }) response: FastifyReply) {
    const org = await this.organisations.get(ctx, id);
    if ('version' in org) response.header('ETag', etagFor(org.version));
    return org;
  }

  @Patch(':id')
  @Requires('organisation.update')
  @ApiOperation({ summary: 'Change or deactivate an organisation (platform admins)' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from a previous read; a stale one is a 412, none a 428' })
  @ApiOkResponse({ type: OrganisationDto })
  @ApiProblems(400, 401, 403, 404, 409, 412, 413, 428)
  async update(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: UpdateOrganisationDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Organisation> {
    const updated = await this.organisations.update(ctx, id, body, requiredVersion(ifMatch));
    response.header('ETag', etagFor(updated.version));
    return updated;
  }

  @Get(':id/users')
  @Requires('user.read')
  @ApiOperation({ summary: 'Staff of an organisation (its org admins, team leads and privacy officers; platform admins)' })
  @ApiOkResponse({ type: [UserDto] })
  @ApiProblems(400, 401, 403, 404)
  listUsers(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<User[]> {
    return this.users.listByOrganisation(ctx, id);
  }

  @Get(':id/staff')
  @Requires('staff.read')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiOperation({
    summary: "Contact cards of an organisation's case workers: your own team, and partners an active agreement links your organisation with (none otherwise)",
  })
  @ApiOkResponse({ schema: { type: 'array', maxItems: STAFF_CARDS_MAX, items: { $ref: getSchemaPath(StaffCardDto) } } })
  @ApiProblems(400, 401, 403, 404)
  staff(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<StaffCard[]> {
    return this.users.staff(ctx, id);
  }

  @Post(':id/users')
  @Requires('user.create')
  @ApiOperation({ summary: 'Add a staff account (org admins for their own organisation; platform admins)' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  async createUser(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: CreateUserDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<User> {
    const created = await this.users.create(ctx, id, body);
    response.header('Location', `/users/${created.id}`).header('ETag', etagFor(created.version));
    return created;
  }
}
