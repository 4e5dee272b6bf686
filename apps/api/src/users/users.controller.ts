import { Ctx, Policy, type RequestContext } from '@app/auth';
import { UserService, type User } from '@app/domain';
import { Body, Controller, Get, Headers, Patch, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { etagFor, versionFromIfMatch } from '../http/etag.js';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import { UpdateUserDto, UserDto } from './dto/user.dto.js';

@ApiTags('Users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UserService) {}

  @Get(':id')
  @Policy('read', 'User')
  @ApiOperation({ summary: 'One staff account (oneself; one’s organisation for admins, team leads, privacy officers)' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 401, 404)
  async get(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Res({ passthrough: true }) response: Response): Promise<User> {
    const user = await this.users.get(ctx, id);
    response.setHeader('ETag', etagFor(user.version));
    return user;
  }

  @Patch(':id')
  @Policy('update', 'User')
  @ApiOperation({ summary: 'Change roles, certifications, name, password, or deactivate (org admins, own organisation)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a previous read; a stale one is a 412' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 404, 412, 413)
  async update(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: UpdateUserDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<User> {
    const user = await this.users.update(ctx, id, body, versionFromIfMatch(ifMatch));
    response.setHeader('ETag', etagFor(user.version));
    return user;
  }
}
