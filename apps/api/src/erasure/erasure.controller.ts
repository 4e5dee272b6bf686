import { Ctx } from '@app/auth';
import { Requires } from '@app/access';
import { DATA_CATEGORIES, type RequestContext } from '@app/kernel';
import { ERASURES_PER_LIST, ErasureService, type ClientErasure, type RetentionPeriods, type RetentionSetting } from '@app/domain';
import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import { ClientErasureDto, EraseClientDto, RetentionMonthsDto, RetentionSettingDto } from './dto/erasure.dto.js';

const IdParam = () => ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } });

/** Erasure that keeps the trail (privacy officers) and the retention periods the daily job applies (org admins). */
@ApiTags('Erasure')
@ApiExtraModels(ClientErasureDto)
@Controller()
export class ErasureController {
  constructor(private readonly erasures: ErasureService) {}

  @Post('clients/:id/erasure')
  @Requires('client.erase')
  @IdParam()
  @ApiOperation({
    summary:
      "Erase your organisation's file on the person (privacy officers): identity, sections, documents, your notes, closed trajectories and referrals go; consents and involvements stay, revoked and ended; other organisations' files and the audit trail stay. 409 while a trajectory you direct or a referral you sent is open",
  })
  @ApiCreatedResponse({ type: ClientErasureDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  erase(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: EraseClientDto): Promise<ClientErasure> {
    return this.erasures.erase(ctx, id, body);
  }

  @Get('clients/:id/erasures')
  @Requires('erasure.read')
  @IdParam()
  @ApiOperation({ summary: "Your organisation's erasures of its data on the person, newest first (privacy officers)" })
  @ApiOkResponse({ schema: { type: 'array', maxItems: ERASURES_PER_LIST, items: { $ref: getSchemaPath(ClientErasureDto) } } })
  @ApiProblems(400, 401, 403, 404)
  list(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<ClientErasure[]> {
    return this.erasures.list(ctx, id);
  }

  @Get('organisations/:id/retention')
  @Requires('retention.read')
  @IdParam()
  @ApiOperation({ summary: "Your organisation's retention period per data category, in months (org admins and privacy officers)" })
  @ApiOkResponse({ type: RetentionSettingDto })
  @ApiProblems(400, 401, 403, 404)
  retention(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<RetentionSetting> {
    return this.erasures.retention(ctx, id);
  }

  @Put('organisations/:id/retention')
  @Requires('retention.update')
  @IdParam()
  @ApiOperation({
    summary:
      'Set your organisation’s retention periods (org admins), all at once: a category left out is kept until erased by hand. A daily job erases what passed them (reason RETENTION)',
  })
  @ApiOkResponse({ type: RetentionSettingDto })
  @ApiProblems(400, 401, 403, 404, 413)
  setRetention(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: RetentionMonthsDto): Promise<RetentionSetting> {
    const months: RetentionPeriods = {};
    for (const category of DATA_CATEGORIES) {
      const value = body[category];
      if (typeof value === 'number') months[category] = value;
    }
    return this.erasures.setRetention(ctx, id, months);
  }
}
