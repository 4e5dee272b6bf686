import { Ctx } from '@app/auth';
import { Requires } from '@app/access';
import { ORGANISATION_KINDS, ROLES, type RequestContext } from '@app/kernel';
import { UserService } from '@app/domain';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi.js';
import { CertificationViewDto } from '../users/dto/user.dto.js';

class MeOrganisationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'OCMW Ranst' }) name: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) kind: string;
}

class MeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: MeOrganisationDto }) organisation: MeOrganisationDto;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty({ type: [CertificationViewDto] }) certifications: CertificationViewDto[];
}

@ApiTags('Me')
@Controller('me')
export class MeController {
  constructor(private readonly users: UserService) {}

  @Get()
  @Requires('me.read')
  @ApiOperation({ summary: 'Who am I: account, organisation, roles and certifications, as of this request' })
  @ApiOkResponse({ type: MeDto })
  @ApiProblems(401)
  async me(@Ctx() ctx: RequestContext): Promise<MeDto> {
    const { user, organisation } = await this.users.me(ctx);
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      organisation: { id: organisation.id, name: organisation.name, kind: organisation.kind },
      roles: user.roles,
      certifications: user.certifications,
    };
  }
}
