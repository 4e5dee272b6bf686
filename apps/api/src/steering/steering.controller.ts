import { Ctx } from '@app/auth';
import { Requires } from '@app/access';
import { InvalidInput, type RequestContext } from '@app/kernel';
import { DOCUMENT_MEDIA_TYPES, STEERING_MAX, SteeringService, type ActionPlan, type SteeringGroup, type SteeringMeeting } from '@app/domain';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { etagFor, versionFromIfMatch } from '../http/etag.js';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import { DocumentUpload, sniffDocument, type UploadedDocument } from '../http/upload.js';
import { IsCalendarDate, MultilineText } from '../http/validators.js';

export class NewMeetingDto {
  @ApiProperty({ format: 'date', maxLength: 10, example: '2026-06-15', description: 'the day it was held (not in the future)' })
  @IsCalendarDate()
  heldOn: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid', maxLength: 36 },
    minItems: 1,
    maxItems: 50,
    description: 'the organisations that attended',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  attendeeOrganisationIds: string[];

  @ApiProperty({ minLength: 1, maxLength: 20000, description: 'what the steering group decided' })
  @IsString()
  @MultilineText()
  @MinLength(1)
  @MaxLength(20000)
  decisions: string;
}

export class ActionPlanInputDto {
  @ApiProperty({ minLength: 1, maxLength: 20000, description: 'the year’s actions' })
  @IsString()
  @MultilineText()
  @MinLength(1)
  @MaxLength(20000)
  plan: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 20000, description: 'how the year went, once it is evaluated' })
  @IsOptional()
  @IsString()
  @MultilineText()
  @MinLength(1)
  @MaxLength(20000)
  evaluation?: string;
}

export class SteeringMeetingDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) id: string;
  @ApiProperty({ format: 'uuid', maxLength: 36 }) agreementId: string;
  @ApiProperty({ format: 'date', maxLength: 10 }) heldOn: string;
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid', maxLength: 36 }, maxItems: 50 }) attendeeOrganisationIds: string[];
  @ApiProperty({ maxLength: 20000 }) decisions: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 255, description: 'the file name of the attached minutes' }) minutesName: string | null;
  @ApiProperty({ format: 'uuid', maxLength: 36 }) recordedByOrganisationId: string;
  @ApiProperty({ type: String, format: 'date-time', maxLength: 30 }) recordedAt: Date;
}

export class SteeringMeetingInGroupDto extends SteeringMeetingDto {
  @ApiProperty({ type: String, format: 'date', nullable: true, maxLength: 10, description: 'the meeting before this one: its figures run from the day after' })
  previousHeldOn: string | null;
}

export class ActionPlanDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) agreementId: string;
  @ApiProperty({ minimum: 2000, maximum: 2100 }) year: number;
  @ApiProperty({ maxLength: 20000 }) plan: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 20000 }) evaluation: string | null;
  @ApiProperty({ format: 'uuid', maxLength: 36 }) updatedByOrganisationId: string;
  @ApiProperty({ type: String, format: 'date-time', maxLength: 30 }) updatedAt: Date;
  @ApiProperty() version: number;
}

export class SteeringGroupDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) agreementId: string;
  @ApiProperty({ type: [SteeringMeetingInGroupDto], maxItems: STEERING_MAX }) meetings: SteeringMeetingInGroupDto[];
  @ApiProperty({ type: [ActionPlanDto], maxItems: STEERING_MAX }) actionPlans: ActionPlanDto[];
}

const AgreementParam = () => ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } });

/** An agreement's steering group: its meetings with decisions and minutes, and its yearly action plans. */
@ApiTags('Steering group')
@Controller('agreements/:id')
export class SteeringController {
  constructor(private readonly steering: SteeringService) {}

  @Get('steering')
  @Requires('steering.read')
  @AgreementParam()
  @ApiOperation({ summary: "The agreement's steering group: meetings (newest first) and yearly action plans (admins, team leads and analysts of its parties)" })
  @ApiOkResponse({ type: SteeringGroupDto })
  @ApiProblems(400, 401, 403, 404)
  read(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<SteeringGroup> {
    return this.steering.read(ctx, id);
  }

  @Post('meetings')
  @Requires('steering.record')
  @AgreementParam()
  @ApiOperation({ summary: 'Record a meeting of the steering group: when, who attended, what was decided (admins and team leads of its parties)' })
  @ApiCreatedResponse({ type: SteeringMeetingDto })
  @ApiProblems(400, 401, 403, 404, 413)
  record(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: NewMeetingDto): Promise<SteeringMeeting> {
    return this.steering.recordMeeting(ctx, id, body);
  }

  @Put('meetings/:meetingId/minutes')
  @Requires('steering.record')
  @HttpCode(204)
  @AgreementParam()
  @ApiParam({ name: 'meetingId', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @UseInterceptors(DocumentUpload)
  @ApiOperation({ summary: "Attach (or replace) a meeting's minutes: one PDF, PNG, JPEG, DOCX or ODT of at most 10 MB (by content)" })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', maxLength: 10485760 } } } })
  @ApiNoContentResponse({ description: 'Attached' })
  @ApiProblems(400, 401, 403, 404, 413, 415)
  async attach(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('meetingId') meetingId: string,
    @UploadedFile() file: UploadedDocument | undefined,
  ): Promise<void> {
    const document = await sniffDocument(file);
    await this.steering.attachMinutes(ctx, id, meetingId, { name: document.fileName, mediaType: document.mediaType, content: document.content });
  }

  @Get('meetings/:meetingId/minutes')
  @Requires('steering.read')
  @AgreementParam()
  @ApiParam({ name: 'meetingId', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiOperation({ summary: "Download a meeting's minutes" })
  @ApiProduces(...DOCUMENT_MEDIA_TYPES)
  @ApiOkResponse({ description: 'The minutes, as an attachment', schema: { type: 'string', format: 'binary', maxLength: 10485760 } })
  @ApiProblems(400, 401, 403, 404)
  async minutes(@Ctx() ctx: RequestContext, @UuidParam() id: string, @UuidParam('meetingId') meetingId: string): Promise<StreamableFile> {
    const minutes = await this.steering.minutes(ctx, id, meetingId);
    return new StreamableFile(minutes.content, {
      type: minutes.mediaType,
      length: minutes.content.length,
      disposition: contentDisposition(minutes.name, { type: 'attachment' }),
    });
  }

  @Put('action-plans/:year')
  @Requires('steering.record')
  @AgreementParam()
  @ApiParam({ name: 'year', schema: { type: 'integer', format: 'int32', minimum: 2000, maximum: 2100 } })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    schema: { type: 'string', maxLength: 20 },
    description: "The plan's ETag to change it (none: to create the year's plan)",
  })
  @ApiOperation({ summary: "Write the year's action plan, and later its evaluation (admins and team leads of the agreement's parties)" })
  @ApiOkResponse({ type: ActionPlanDto })
  @ApiProblems(400, 401, 403, 404, 412, 413, 428)
  async savePlan(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Param('year') year: string,
    @Body() body: ActionPlanInputDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ActionPlan> {
    const y = /^\d{4}$/.test(year) ? Number(year) : NaN;
    if (!(y >= 2000 && y <= 2100)) throw new InvalidInput([{ field: 'year', code: 'year-range', params: { min: 2000, max: 2100 } }]);
    const plan = await this.steering.savePlan(ctx, id, y, versionFromIfMatch(ifMatch), body);
    response.header('ETag', etagFor(plan.version));
    return plan;
  }
}
