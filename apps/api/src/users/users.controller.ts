import { CERTIFICATION_KINDS, type CertificationKind, type RequestContext } from '@app/kernel';
import { Ctx } from '@app/auth';
import { Requires } from '@app/access';
import { UserService, type User, type UserCertification } from '@app/domain';
import { Body, Controller, Delete, Get, HttpCode, Headers, Patch, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { etagFor, requiredVersion } from '../http/etag.js';
import { ApiProblems } from '../http/openapi.js';
import { EnumParam, UuidParam } from '../http/params.js';
import { RecordCertificationDto, UpdateUserDto, UserCertificationDto, UserDto } from './dto/user.dto.js';

@ApiTags('Users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UserService) {}

  @Get(':id')
  @Requires('user.read')
  @ApiOperation({ summary: 'One staff account (oneself; one’s organisation for admins, team leads, privacy officers)' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 401, 404)
  async get(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Res({ passthrough: true }) response: FastifyReply): Promise<User> {
    const user = await this.users.get(ctx, id);
    response.header('ETag', etagFor(user.version));
    return user;
  }

  @Patch(':id')
  @Requires('user.update')
  @ApiOperation({ summary: 'Change roles, name, password, or deactivate (org admins, own organisation; never one’s own roles upward)' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from a previous read; a stale one is a 412, none a 428' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 404, 412, 413, 428)
  async update(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: UpdateUserDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<User> {
    const user = await this.users.update(ctx, id, body, requiredVersion(ifMatch));
    response.header('ETag', etagFor(user.version));
    return user;
  }

  @Put(':id/certifications/:kind')
  @Requires('certification.create')
  @ApiOperation({
    summary: 'Record or renew a partner-portal certification of a user of any organisation (VDAB admins; not on their own account)',
    description: 'The caller and its organisation are kept as the recorder. 201 when recorded, 200 when an existing one is renewed.',
  })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiParam({ name: 'kind', enum: CERTIFICATION_KINDS })
  @ApiCreatedResponse({ type: UserCertificationDto })
  @ApiOkResponse({ type: UserCertificationDto })
  @ApiProblems(400, 401, 403, 404, 413)
  async recordCertification(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @EnumParam('kind', CERTIFICATION_KINDS) kind: CertificationKind,
    @Body() body: RecordCertificationDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<UserCertification> {
    const { certification, created } = await this.users.recordCertification(ctx, id, kind, body);
    response.status(created ? 201 : 200);
    return certification;
  }

  @Delete(':id/certifications/:kind')
  @Requires('certification.delete')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a partner-portal certification (VDAB admins; not on their own account)' })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiParam({ name: 'kind', enum: CERTIFICATION_KINDS })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  async withdrawCertification(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @EnumParam('kind', CERTIFICATION_KINDS) kind: CertificationKind,
  ): Promise<void> {
    await this.users.withdrawCertification(ctx, id, kind);
  }
}
