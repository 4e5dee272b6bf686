import { Ctx } from '@app/auth';
import { Requires } from '@app/access';
import { type RequestContext } from '@app/kernel';
import { AgreementService, ConsentService, InvolvementService, type Agreement, type AgreementExistence, type Consent, type Involvement } from '@app/domain';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import {
  AgreementDto,
  AgreementExistenceDto,
  ConsentDto,
  CreateAgreementDto,
  EndInvolvementDto,
  InvolvementDto,
  RevokeConsentDto,
  TerminateAgreementDto,
} from './dto/sharing.dto.js';

const AGREEMENT_OR_EXISTENCE = { anyOf: [{ $ref: getSchemaPath(AgreementDto) }, { $ref: getSchemaPath(AgreementExistenceDto) }] };

@ApiTags('Sharing')
@ApiExtraModels(AgreementDto, AgreementExistenceDto)
@Controller()
export class SharingController {
  constructor(
    private readonly agreements: AgreementService,
    private readonly involvements: InvolvementService,
    private readonly consents: ConsentService,
  ) {}

  @Post('involvements/:id/end')
  @HttpCode(200)
  @Requires('involvement.end')
  @ApiOperation({ summary: "End an involvement: the partner's access through it stops at once" })
  @ApiOkResponse({ type: InvolvementDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  endInvolvement(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: EndInvolvementDto): Promise<Involvement> {
    return this.involvements.end(ctx, id, body.reason);
  }

  @Post('consents/:id/revoke')
  @HttpCode(200)
  @Requires('consent.revoke')
  @ApiOperation({ summary: 'Revoke a consent or notice, with the reason; effective from the next request' })
  @ApiOkResponse({ type: ConsentDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  revokeConsent(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: RevokeConsentDto): Promise<Consent> {
    return this.consents.revoke(ctx, id, body.reason);
  }

  @Get('agreements')
  @Requires('agreement.read')
  @ApiOperation({ summary: 'Agreements your organisation is party to: in full for its admins, their existence and state for other staff' })
  @ApiOkResponse({ schema: { type: 'array', items: AGREEMENT_OR_EXISTENCE } })
  @ApiProblems(401, 403)
  listAgreements(@Ctx() ctx: RequestContext): Promise<Array<Agreement | AgreementExistence>> {
    return this.agreements.list(ctx);
  }

  @Post('agreements')
  @Requires('agreement.create')
  @ApiOperation({ summary: 'Draft a cooperation or processor agreement; it becomes active when an admin of every party has confirmed it' })
  @ApiCreatedResponse({ type: AgreementDto })
  @ApiProblems(400, 401, 403, 413)
  createAgreement(@Ctx() ctx: RequestContext, @Body() body: CreateAgreementDto): Promise<Agreement> {
    return this.agreements.create(ctx, body);
  }

  @Get('agreements/:id')
  @Requires('agreement.read')
  @ApiOperation({ summary: 'One agreement (party admins and platform admins in full; other party staff its existence and state)' })
  @ApiOkResponse({ schema: AGREEMENT_OR_EXISTENCE })
  @ApiProblems(400, 401, 403, 404)
  getAgreement(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<Agreement | AgreementExistence> {
    return this.agreements.get(ctx, id);
  }

  @Post('agreements/:id/confirm')
  @HttpCode(200)
  @Requires('agreement.update')
  @ApiOperation({ summary: 'Confirm the agreement for your organisation (org admins of a party)' })
  @ApiOkResponse({ type: AgreementDto })
  @ApiProblems(400, 401, 403, 404, 409)
  confirmAgreement(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<Agreement> {
    return this.agreements.confirm(ctx, id);
  }

  @Post('agreements/:id/terminate')
  @HttpCode(200)
  @Requires('agreement.update')
  @ApiOperation({ summary: 'Terminate the agreement with a reason (any party); sharing under it stops at once' })
  @ApiOkResponse({ type: AgreementDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  terminateAgreement(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: TerminateAgreementDto): Promise<Agreement> {
    return this.agreements.terminate(ctx, id, body.reason);
  }
}
