import { Readable } from 'node:stream';
import {
  AuditCheckpointer,
  AuditFlagService,
  AuditQueryService,
  accessReportCsv,
  accessReportPdf,
  groundInWords,
  type AccessReportLine,
  type AuditEventView,
  type AuditFlag,
  type UserActivity,
  type VerificationReport,
} from '@app/audit';
import { Ctx, RateLimits } from '@app/auth';
import { Requires, Public } from '@app/access';
import { type RequestContext } from '@app/kernel';
import { InvalidInput, NotFound } from '@app/kernel';
import { Body, Controller, Get, HttpCode, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { translate } from '../http/i18n/messages.js';
import { negotiateLocale } from '../http/problem.js';
import { DataSource } from 'typeorm';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import {
  AccessReportPageDto,
  ActivityQueryDto,
  AccessReportQueryDto,
  AuditEventPageDto,
  AuditEventQueryDto,
  AuditFlagDto,
  AuditCheckpointDto,
  FlagQueryDto,
  FlagReviewDto,
  PublicKeyDto,
  UserActivityDto,
  VerificationReportDto,
} from './dto/audit.dto.js';

@ApiTags('Audit')
@Controller()
export class AuditController {
  constructor(
    private readonly queries: AuditQueryService,
    private readonly checkpointer: AuditCheckpointer,
    private readonly flags: AuditFlagService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rateLimits: RateLimits,
  ) {}

  @Get('audit/events')
  @Requires('auditEvents.read')
  @ApiOperation({ summary: "Privacy officers: events of your organisation's users and every event about your organisation's clients (newest first)" })
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiProblems(400, 401, 403)
  events(@Ctx() ctx: RequestContext, @Query() query: AuditEventQueryDto): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
    return this.queries.events(ctx, {
      ...query,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit ?? 50,
    });
  }

  @Get('audit/users/:id/activity')
  @Requires('auditEvents.read')
  @ApiOperation({ summary: "Privacy officers: one of your organisation's users' activity in a period (per action, per day, distinct persons)" })
  @ApiOkResponse({ type: UserActivityDto })
  @ApiProblems(400, 401, 403, 404)
  async userActivity(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Query() query: ActivityQueryDto): Promise<UserActivity> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * 86_400_000);
    const activity = await this.queries.userActivity(ctx, id, from, to);
    if (!activity) throw new NotFound('user');
    return activity;
  }

  @Get('clients/:id/access-report')
  @Requires('client.accessReport')
  @ApiOperation({
    summary:
      "Who saw this client's data: date and Brussels time, organisation, function, purpose, categories, the ground in words (the employee only for privacy officers), oldest first; as csv or pdf to hand to the client",
    description: "JSON: a page at a time (`limit`, `cursor`). CSV and PDF: the whole period at once, in the client's language (`lang`).",
  })
  @ApiExtraModels(AccessReportPageDto)
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AccessReportPageDto) } },
      'text/csv': { schema: { type: 'string', maxLength: 500_000_000 } },
      'application/pdf': { schema: { type: 'string', format: 'binary', maxLength: 500_000_000 } },
    },
  })
  @ApiProblems(400, 401, 403, 404, 429)
  async accessReport(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Query() query: AccessReportQueryDto, @Req() request: FastifyRequest) {
    if (query.from && query.to && query.from > query.to) throw new InvalidInput([{ field: 'to', code: 'period-end-before-start' }]);
    const locale = query.lang ?? negotiateLocale(request);
    const say = (key: string, params?: Record<string, unknown>) => translate(locale, key, params);
    const period = { from: query.from, to: query.to };
    if (query.format !== 'csv' && query.format !== 'pdf') {
      const page = await this.queries.accessReportPage(ctx, id, period, { limit: query.limit ?? 50, cursor: query.cursor });
      if (!page) throw new NotFound('client');
      return { ...page, items: page.items.map((line: AccessReportLine) => ({ ...line, groundText: groundInWords(line, say) })) };
    }
    await this.rateLimits.export(ctx.userId); // exports are throttled per user per hour
    const report = await this.queries.accessReportExport(ctx, id, period);
    if (!report) throw new NotFound('client');
    // Streamed: the lines are read and written a page at a time.
    if (query.format === 'pdf') {
      const pdf = accessReportPdf(
        {
          ...report,
          personId: id,
          period,
          generatedAt: new Date(),
          checkpoints: (events) => this.checkpointer.covering(events),
          publicKeyPem: this.checkpointer.keys.publicKeyPem,
        },
        say,
      );
      return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="access-report-${id}.pdf"` });
    }
    return new StreamableFile(Readable.from(accessReportCsv(report.lines, report.withEmployees, say)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="access-report-${id}.csv"`,
    });
  }

  @Get('audit/verify')
  @Requires('auditChain.read')
  @ApiOperation({
    summary:
      "Recompute the audit chains against the signed checkpoints and name each one checked. Platform admins: all. Privacy officers: your organisation's chain and those of every organisation an agreement ever linked yours with, where their accesses to your data are recorded",
  })
  @ApiOkResponse({ type: VerificationReportDto })
  @ApiProblems(401, 403, 429)
  async verify(@Ctx() ctx: RequestContext): Promise<VerificationReport & { chains: Array<{ organisationName: string | null }> }> {
    const all = ctx.ability.can('read', 'AuditChain') && ctx.roles.includes('PLATFORM_ADMIN') && ctx.organisationKind === 'PLATFORM';
    if (!all) await this.rateLimits.export(ctx.userId); // a full recomputation: counted with the exports, per user per hour
    const chains = all ? undefined : await this.queries.chainsConcerning(ctx.organisationId);
    const report = await this.checkpointer.verify(chains);
    const names = await this.queries.organisationNames(report.chains.map((c) => c.chain));
    return { ...report, chains: report.chains.map((c) => ({ ...c, organisationName: names.get(c.chain) ?? null })) };
  }

  @Get('audit/checkpoints')
  @Requires('auditChain.read')
  @ApiOperation({ summary: 'Signed checkpoints (platform admins: all chains; privacy officers: your organisation’s), newest first' })
  @ApiOkResponse({ type: [AuditCheckpointDto] })
  @ApiProblems(401, 403)
  async checkpoints(@Ctx() ctx: RequestContext): Promise<AuditCheckpointDto[]> {
    const all = ctx.roles.includes('PLATFORM_ADMIN') && ctx.organisationKind === 'PLATFORM';
    const rows = await this.dataSource.query(
      `SELECT chain_id, seq, head_hash, signed_at, key_id, signature FROM audit_checkpoint
        WHERE $1 OR chain_id = $2 ORDER BY signed_at DESC, chain_id, seq DESC LIMIT 500`,
      [all, ctx.organisationId],
    );
    return rows.map((r: Record<string, any>) => ({
      chain: r.chain_id,
      seq: Number(r.seq),
      headHash: r.head_hash.toString('hex'),
      time: r.signed_at.toISOString(),
      keyId: r.key_id,
      signature: r.signature.toString('base64'),
    }));
  }

  @Public()
  @Get('audit/public-key')
  @ApiOperation({ summary: 'The Ed25519 public key that verifies checkpoint signatures' })
  @ApiOkResponse({ type: PublicKeyDto })
  publicKey(): PublicKeyDto {
    return { algorithm: 'Ed25519', keyId: this.checkpointer.keys.keyId, publicKeyPem: this.checkpointer.keys.publicKeyPem };
  }

  @Get('audit/flags')
  @Requires('auditFlag.read')
  @ApiOperation({ summary: "Privacy officers: your organisation's review queue (break-the-glass, many persons in an hour, denial bursts, off-hours access)" })
  @ApiOkResponse({ type: [AuditFlagDto] })
  @ApiProblems(400, 401, 403)
  listFlags(@Ctx() ctx: RequestContext, @Query() query: FlagQueryDto): Promise<AuditFlag[]> {
    return this.flags.list(ctx, query.status);
  }

  @Post('audit/flags/:id/review')
  @HttpCode(200)
  @Requires('auditFlag.review')
  @ApiOperation({ summary: 'Review an open flag: ACKNOWLEDGED or ESCALATED, with a comment (audited)' })
  @ApiOkResponse({ type: AuditFlagDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  reviewFlag(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: FlagReviewDto): Promise<AuditFlag> {
    return this.flags.review(ctx, id, body.status, body.comment);
  }
}
