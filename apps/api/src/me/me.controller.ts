import { Ctx } from '@app/auth';
import { Requires } from '@app/access';
import { LANGUAGES, ORGANISATION_KINDS, ROLES, type Language, type RequestContext } from '@app/kernel';
import { CASELOAD_MAX, UserService, WORKLIST_HORIZON_DAYS, WORKLIST_ITEM_KINDS, WORKLIST_MAX_ITEMS, WorklistQuery, type Worklist } from '@app/domain';
import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { ApiProblems } from '../http/openapi.js';
import { CertificationViewDto } from '../users/dto/user.dto.js';

class MeOrganisationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'OCMW Ranst' }) name: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) kind: string;
}

class MySettingsDto {
  @ApiProperty({
    enum: LANGUAGES,
    nullable: true,
    type: String,
    description: "The language the service answers you in (messages, notifications, reports); null: your browser's, else your organisation's",
  })
  language: Language | null;
  @ApiProperty({ description: 'Whether you get a daily e-mail with your unread notifications (titles and links only, never client data)' })
  dailyDigest: boolean;
}

class ChangeMySettingsDto {
  @ApiPropertyOptional({ enum: LANGUAGES, nullable: true, type: String, description: "null: follow your browser's language" })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language | null;
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  dailyDigest?: boolean;
}

class MeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: MeOrganisationDto }) organisation: MeOrganisationDto;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty({ type: [CertificationViewDto] }) certifications: CertificationViewDto[];
  @ApiProperty({ type: MySettingsDto }) settings: MySettingsDto;
}

class WorklistItemDto {
  @ApiProperty({ enum: WORKLIST_ITEM_KINDS }) kind: string;
  @ApiProperty({ format: 'date', maxLength: 10 }) dueOn: string;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ format: 'uuid', maxLength: 36, nullable: true, type: String }) clientId: string | null;
  @ApiProperty({ maxLength: 202, nullable: true, type: String, description: 'From your own file on the person' }) clientName: string | null;
  @ApiProperty({ format: 'uuid', maxLength: 36, nullable: true, type: String }) referralId: string | null;
  @ApiProperty({ format: 'uuid', maxLength: 36, nullable: true, type: String }) trajectoryId: string | null;
  @ApiProperty({ format: 'uuid', maxLength: 36, nullable: true, type: String }) agreementId: string | null;
}

class CaseloadEntryDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) clientId: string;
  @ApiProperty({ maxLength: 202, nullable: true, type: String }) clientName: string | null;
  @ApiProperty() openTrajectories: number;
  @ApiProperty() openReferrals: number;
}

class WorklistDto {
  @ApiProperty({
    type: [CaseloadEntryDto],
    maxItems: CASELOAD_MAX,
    description: 'Persons with an open trajectory you are responsible for, or an open referral you sent or were given',
  })
  caseload: CaseloadEntryDto[];
  @ApiProperty() caseloadTotal: number;
  @ApiProperty({
    type: [WorklistItemDto],
    maxItems: WORKLIST_MAX_ITEMS,
    description: `What falls due within ${WORKLIST_HORIZON_DAYS} days, and what is overdue, soonest first`,
  })
  due: WorklistItemDto[];
}

@ApiTags('Me')
@Controller('me')
export class MeController {
  constructor(
    private readonly users: UserService,
    private readonly worklist: WorklistQuery,
  ) {}

  @Get('worklist')
  @Requires('worklist.read')
  @ApiOperation({
    summary:
      'My caseload, and what falls due for me: referral answers, questions, signal reviews, intakes, checkpoints, ending agreements (not for analysts: they have no case work)',
  })
  @ApiOkResponse({ type: WorklistDto })
  @ApiProblems(401, 403)
  myWorklist(@Ctx() ctx: RequestContext): Promise<Worklist> {
    return this.worklist.get(ctx);
  }

  @Get()
  @Requires('me.read')
  @ApiOperation({ summary: 'Who am I: account, organisation, roles and certifications, as of this request' })
  @ApiOkResponse({ type: MeDto })
  @ApiProblems(401)
  async me(@Ctx() ctx: RequestContext): Promise<MeDto> {
    const { user, organisation, settings } = await this.users.me(ctx);
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      organisation: { id: organisation.id, name: organisation.name, kind: organisation.kind },
      roles: user.roles,
      certifications: user.certifications,
      settings,
    };
  }

  @Patch('settings')
  @Requires('me.settings')
  @ApiOperation({ summary: 'Change your own settings: the language you are answered in, the daily e-mail digest' })
  @ApiOkResponse({ type: MySettingsDto })
  @ApiProblems(400, 401)
  async changeSettings(@Ctx() ctx: RequestContext, @Body() body: ChangeMySettingsDto): Promise<MySettingsDto> {
    await this.users.changeMySettings(ctx, { language: body.language, dailyDigest: body.dailyDigest });
    return (await this.users.me(ctx)).settings;
  }
}
