import { Ctx, RateLimits } from '@app/auth';
import { Requires } from '@app/access';
import { csvCell, type RequestContext } from '@app/kernel';
import { IndicatorService, REGIONS_MAX, RegionService, type IndicatorReport, type Region } from '@app/domain';
import { Body, Controller, Get, Headers, Post, Put, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { translate } from '../http/i18n/messages.js';
import { negotiateLocale } from '../http/problem.js';
import { indicatorPdf } from './indicator-pdf.js';
import { etagFor, requiredVersion } from '../http/etag.js';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import { IndicatorQueryDto, IndicatorReportDto, RegionDto, RegionInputDto } from './dto/indicator.dto.js';

const CSV_COLUMNS = ['period_start', 'period_end', 'scope', 'key', 'name', 'type', 'indicator', 'value', 'suppressed'];

const fileName = (report: IndicatorReport) => `indicators-${report.groupBy}-${report.period}-${report.from}-${report.to}`;

/** One line per row and indicator; a suppressed value is empty with `suppressed` true. */
export function indicatorCsv(report: IndicatorReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of report.rows) {
    for (const v of row.values) {
      lines.push([row.periodStart, row.periodEnd, row.scope, row.key, row.name, row.type ?? '', v.indicator, v.value, v.suppressed].map(csvCell).join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/** The cooperation's figures (analysts and team leads) and the regions they are grouped by (platform admins keep them). */
@ApiTags('Indicators')
@ApiExtraModels(IndicatorReportDto, RegionDto)
@Controller()
export class IndicatorsController {
  constructor(
    private readonly indicators: IndicatorService,
    private readonly regions: RegionService,
    private readonly rateLimits: RateLimits,
  ) {}

  @Get('indicators')
  @Requires('indicator.read')
  @ApiOperation({
    summary:
      "The cooperation's figures per period, for your organisation, your region and its municipalities (analysts and team leads): handovers, signals, trajectories, obstacles, work at 6/12/18/24 months, consents, agreements. Counts, shares and days only; a figure of fewer than five persons, or one that would give such a figure away, is withheld (value null, suppressed true)",
    description:
      'JSON; CSV with format=csv (one line per row and indicator); PDF with format=pdf (the tables of the dashboard, for the steering group). The figures are brought up to date by a background job (refreshedAt). Exports count against the export limit per user and hour.',
  })
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(IndicatorReportDto) } },
      'text/csv': { schema: { type: 'string', maxLength: 50_000_000 } },
      'application/pdf': { schema: { type: 'string', format: 'binary', maxLength: 50_000_000 } },
    },
  })
  @ApiProblems(400, 401, 403, 429)
  async read(@Ctx() ctx: RequestContext, @Query() query: IndicatorQueryDto, @Req() request: FastifyRequest) {
    if (query.format === 'csv' || query.format === 'pdf') await this.rateLimits.export(ctx.userId); // exports are throttled per user per hour
    const report = await this.indicators.read(ctx, {
      groupBy: query.groupBy,
      period: query.period ?? 'quarter',
      from: query.from,
      to: query.to,
      scope: query.scope,
    });
    if (query.format === 'pdf') {
      const language = query.lang ?? negotiateLocale(request);
      const pdf = indicatorPdf(report, language, (key, params) => translate(language, key, params) ?? key, new Date());
      return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="${fileName(report)}.pdf"` });
    }
    if (query.format !== 'csv') return report;
    return new StreamableFile(Buffer.from(indicatorCsv(report), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${fileName(report)}.csv"`,
    });
  }

  @Get('regions')
  @Requires('region.read')
  @ApiOperation({ summary: 'Regions and what they group: municipalities (NIS codes) and regional partners' })
  @ApiOkResponse({ schema: { type: 'array', maxItems: REGIONS_MAX, items: { $ref: getSchemaPath(RegionDto) } } })
  @ApiProblems(401)
  list(@Ctx() ctx: RequestContext): Promise<Region[]> {
    return this.regions.list(ctx);
  }

  @Post('regions')
  @Requires('region.update')
  @ApiOperation({ summary: 'Create a region (platform admins); the figures are recomputed with it' })
  @ApiCreatedResponse({ type: RegionDto })
  @ApiProblems(400, 401, 403, 409, 413)
  async create(@Ctx() ctx: RequestContext, @Body() body: RegionInputDto, @Res({ passthrough: true }) response: FastifyReply): Promise<Region> {
    const region = await this.regions.create(ctx, body);
    response.header('ETag', etagFor(region.version));
    return region;
  }

  @Put('regions/:id')
  @Requires('region.update')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiHeader({
    name: 'If-Match',
    required: true,
    schema: { type: 'string', maxLength: 20 },
    description: 'ETag from a previous read; a stale one is a 412, none a 428',
  })
  @ApiOperation({ summary: 'Rename a region or change what it groups (platform admins); the figures are recomputed with it' })
  @ApiOkResponse({ type: RegionDto })
  @ApiProblems(400, 401, 403, 404, 409, 412, 413, 428)
  async update(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: RegionInputDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Region> {
    const region = await this.regions.update(ctx, id, requiredVersion(ifMatch), body);
    response.header('ETag', etagFor(region.version));
    return region;
  }
}
