import { Ctx } from '@app/auth';
import { Requires } from '@app/access';
import { type RequestContext } from '@app/kernel';
import { ReferralService, type Referral } from '@app/domain';
import { Body, Controller, Get, HttpCode, Post, Query, Res, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { intakeEvent } from './intake-calendar.js';
import { IDEMPOTENCY_HEADER, IdempotencyInterceptor } from '../http/idempotency.interceptor.js';
import { ApiProblems } from '../http/openapi.js';
import { DEFAULT_PAGE_SIZE } from '../http/paging.js';
import { UuidParam } from '../http/params.js';
import {
  AdviseDto,
  AnswerDto,
  AssignDto,
  ConfirmIntakeDto,
  CreateReferralDto,
  DeclineReferralDto,
  PostMessageDto,
  ProposeIntakeDto,
  QueueQueryDto,
  ReferralDto,
  ReferralQueueDto,
  ReferralThreadDto,
  ReferralVersionDto,
  RequestInfoDto,
} from './dto/referral.dto.js';

/** A retried request with the same Idempotency-Key gets the first answer instead of a second change. */
const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_HEADER,
      required: false,
      description: 'Same key and body: the first answer again; same key, other body: 422',
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    }),
    ApiProblems(422),
  );

/** Warm handovers, not-yet-ready signals and advice requests between partners. */
@ApiTags('Handovers')
@Controller('handovers')
export class ReferralsController {
  constructor(private readonly referrals: ReferralService) {}

  @Idempotent()
  @Post()
  @Requires('referral.create')
  @ApiOperation({ summary: 'Write a referral about your client to a partner (a DRAFT, or SENT with send: true)' })
  @ApiCreatedResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 413)
  create(@Ctx() ctx: RequestContext, @Body() body: CreateReferralDto): Promise<Referral> {
    return this.referrals.create(ctx, body);
  }

  @Get()
  @Requires('referral.read')
  @ApiOperation({ summary: "Your organisation's inbox or outbox, most urgent first, with counts per status" })
  @ApiOkResponse({ type: ReferralQueueDto })
  @ApiProblems(400, 401, 403)
  queue(@Ctx() ctx: RequestContext, @Query() query: QueueQueryDto) {
    return this.referrals.queue(ctx, { ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get(':id')
  @Requires('referral.read')
  @ApiOperation({ summary: 'One referral (its sender and receiver only)' })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<Referral> {
    return this.referrals.get(ctx, id);
  }

  @Idempotent()
  @Post(':id/send')
  @HttpCode(200)
  @Requires('referral.send')
  @ApiOperation({ summary: 'Send a draft (sender); the answer is due in 10 working days' })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  send(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: ReferralVersionDto): Promise<Referral> {
    return this.referrals.transition(ctx, id, 'send', body);
  }

  @Idempotent()
  @Post(':id/accept')
  @HttpCode(200)
  @Requires('referral.answer')
  @ApiOperation({ summary: 'Accept (receiver): a warm handover starts or joins the MEDIATION trajectory the sender directs' })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  accept(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: ReferralVersionDto): Promise<Referral> {
    return this.referrals.transition(ctx, id, 'accept', body);
  }

  @Idempotent()
  @Post(':id/decline')
  @HttpCode(200)
  @Requires('referral.answer')
  @ApiOperation({ summary: 'Decline with a reason code (receiver)' })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  decline(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: DeclineReferralDto): Promise<Referral> {
    return this.referrals.transition(ctx, id, 'decline', body);
  }

  @Idempotent()
  @Post(':id/acknowledge')
  @HttpCode(200)
  @Requires('referral.answer')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiOperation({
    summary:
      'Take note of a NOT_YET_READY signal (receiver): it is the sender’s decision, so there is nothing to accept or decline; it holds until its review date or until the sender lifts it',
  })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  acknowledge(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: ReferralVersionDto): Promise<Referral> {
    return this.referrals.transition(ctx, id, 'acknowledge', body);
  }

  @Idempotent()
  @Post(':id/request-info')
  @HttpCode(200)
  @Requires('referral.answer')
  @ApiOperation({ summary: 'Ask the sender a question (receiver)' })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  requestInfo(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: RequestInfoDto): Promise<Referral> {
    return this.referrals.transition(ctx, id, 'request-info', body);
  }

  @Idempotent()
  @Post(':id/answer')
  @HttpCode(200)
  @Requires('referral.send')
  @ApiOperation({ summary: "Answer the receiver's question (sender); the referral is SENT again" })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  answer(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: AnswerDto): Promise<Referral> {
    return this.referrals.transition(ctx, id, 'answer', body);
  }

  @Post(':id/intake/proposals')
  @HttpCode(200)
  @Requires('referral.message')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiOperation({ summary: 'Propose 1 to 3 dates for the three-way intake (either side); the other side confirms one. Undoes a confirmed intake.' })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  proposeIntake(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: ProposeIntakeDto): Promise<Referral> {
    return this.referrals.proposeIntake(ctx, id, body);
  }

  @Post(':id/intake')
  @HttpCode(200)
  @Requires('referral.message')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiOperation({ summary: 'Confirm one of the dates the other side proposed, with a time if known' })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  confirmIntake(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: ConfirmIntakeDto): Promise<Referral> {
    return this.referrals.confirmIntake(ctx, id, body);
  }

  @Get(':id/intake.ics')
  @Requires('referral.read')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiOperation({ summary: 'The confirmed intake as an iCalendar event (no client data in it: a link to the handover)' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'text/calendar', schema: { type: 'string', maxLength: 4096 } })
  @ApiProblems(400, 401, 403, 404)
  async intakeIcs(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    const referral = await this.referrals.intakeOf(ctx, id);
    response.header('Content-Type', 'text/calendar; charset=utf-8');
    response.header('Content-Disposition', `attachment; filename="intake-${referral.id}.ics"`);
    return intakeEvent(referral);
  }

  @Get(':id/messages')
  @Requires('referral.read')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiOperation({ summary: "The handover's conversation: every question, answer and message with its author and time" })
  @ApiOkResponse({ type: ReferralThreadDto })
  @ApiProblems(400, 401, 403, 404)
  messages(@Ctx() ctx: RequestContext, @UuidParam() id: string) {
    return this.referrals.messages(ctx, id);
  }

  @Post(':id/messages')
  @Requires('referral.message')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiOperation({ summary: 'Add a message to the conversation (sender or receiver, while the handover is open or accepted); the other side is notified' })
  @ApiCreatedResponse({ type: ReferralThreadDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  postMessage(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: PostMessageDto) {
    return this.referrals.postMessage(ctx, id, body.body);
  }

  @Idempotent()
  @Post(':id/withdraw')
  @HttpCode(200)
  @Requires('referral.send')
  @ApiOperation({ summary: 'Withdraw (sender); lifts a NOT_YET_READY signal' })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  withdraw(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: ReferralVersionDto): Promise<Referral> {
    return this.referrals.transition(ctx, id, 'withdraw', body);
  }

  @Idempotent()
  @Post(':id/assign')
  @HttpCode(200)
  @Requires('referral.answer')
  @ApiOperation({ summary: 'Give the referral to one of your case workers (receiver); they are notified' })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  assign(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: AssignDto): Promise<Referral> {
    return this.referrals.assign(ctx, id, body);
  }

  @Idempotent()
  @Post(':id/advise')
  @HttpCode(200)
  @Requires('referral.answer')
  @ApiOperation({ summary: 'Give the advice an accepted ADVICE_REQUEST asked for (receiver); this completes it' })
  @ApiOkResponse({ type: ReferralDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  advise(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: AdviseDto): Promise<Referral> {
    return this.referrals.advise(ctx, id, body);
  }
}
