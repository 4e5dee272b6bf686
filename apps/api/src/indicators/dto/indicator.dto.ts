import { INDICATOR_GROUPINGS, INDICATOR_PERIODS, INDICATOR_SCOPES, type IndicatorGrouping, type IndicatorPeriod, type IndicatorScope } from '@app/domain';
import { TRAJECTORY_TYPES } from '@app/domain';
import { LANGUAGES, type Language } from '@app/kernel';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { IsCalendarDate, IsNisCode } from '../../http/validators.js';

export class IndicatorQueryDto {
  @ApiProperty({
    enum: INDICATOR_GROUPINGS,
    description:
      'organisation: your organisation; region: your region; municipality: each municipality of your region; type: per trajectory type (your organisation, or your region with scope=region)',
  })
  @IsIn(INDICATOR_GROUPINGS)
  groupBy: IndicatorGrouping;

  @ApiPropertyOptional({ enum: INDICATOR_PERIODS, default: 'quarter' })
  @IsOptional()
  @IsIn(INDICATOR_PERIODS)
  period?: IndicatorPeriod;

  @ApiPropertyOptional({
    format: 'date',
    maxLength: 10,
    example: '2026-01-01',
    description: 'A day in the first period (default: three periods before the last)',
  })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', maxLength: 10, example: '2026-12-31', description: 'A day in the last period (default: today)' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ enum: ['organisation', 'region'], default: 'organisation', description: 'With groupBy=type: whose figures are split by type' })
  @IsOptional()
  @IsIn(['organisation', 'region'])
  scope?: 'organisation' | 'region';

  @ApiPropertyOptional({
    enum: ['json', 'csv', 'pdf'],
    default: 'json',
    description: 'pdf: the tables of the dashboard for the steering group, in `lang` (else yours)',
  })
  @IsOptional()
  @IsIn(['json', 'csv', 'pdf'])
  format?: 'json' | 'csv' | 'pdf';

  @ApiPropertyOptional({ enum: LANGUAGES, description: 'The language of a pdf (default: yours)' })
  @IsOptional()
  @IsIn(LANGUAGES)
  lang?: Language;
}

export class IndicatorValueDto {
  @ApiProperty({ example: 'handovers.sent.ACCEPTED', maxLength: 80, description: 'The measure, and its part or statistic (median, p90, a share)' })
  indicator: string;
  @ApiProperty({ type: Number, nullable: true, description: 'A count, a share from 0 to 1, or days; null when suppressed or when there is nothing to measure' })
  value: number | null;
  @ApiProperty({ description: 'Withheld: it counts, or would give away, fewer than five persons' })
  suppressed: boolean;
}

export class IndicatorRowDto {
  @ApiProperty({ format: 'date', maxLength: 10 }) periodStart: string;
  @ApiProperty({ format: 'date', maxLength: 10, description: 'the last day of the period' }) periodEnd: string;
  @ApiProperty({ enum: INDICATOR_SCOPES }) scope: IndicatorScope;
  @ApiProperty({ maxLength: 36, description: 'the organisation or region id, or the NIS code of the municipality' }) key: string;
  @ApiProperty({ maxLength: 200 }) name: string;
  @ApiProperty({ enum: TRAJECTORY_TYPES, nullable: true, type: String, description: 'null: all types' }) type: string | null;
  @ApiProperty({ type: [IndicatorValueDto], maxItems: 500 }) values: IndicatorValueDto[];
}

export class IndicatorPlaceDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) id: string;
  @ApiProperty({ maxLength: 200 }) name: string;
}

export class IndicatorReportDto {
  @ApiProperty({ enum: INDICATOR_GROUPINGS }) groupBy: IndicatorGrouping;
  @ApiProperty({ enum: INDICATOR_PERIODS }) period: IndicatorPeriod;
  @ApiProperty({ format: 'date', maxLength: 10, description: 'the first day of the first period' }) from: string;
  @ApiProperty({ format: 'date', maxLength: 10 }) to: string;
  @ApiProperty({ type: Date, nullable: true, maxLength: 40, description: 'when the figures were last brought up to date' }) refreshedAt: Date | null;
  @ApiProperty({ type: IndicatorPlaceDto }) organisation: IndicatorPlaceDto;
  @ApiProperty({ type: IndicatorPlaceDto, nullable: true, description: 'your region; null when your organisation is in none' })
  region: IndicatorPlaceDto | null;
  @ApiProperty({
    type: [IndicatorRowDto],
    maxItems: 14_400,
    description: 'one per period and group: at most 36 periods, each with 7 types or a region’s municipalities (400 at most)',
  })
  rows: IndicatorRowDto[];
}

export class RegionInputDto {
  @ApiProperty({ example: 'Regio Antwerpen', minLength: 2, maxLength: 120 })
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  name: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', pattern: '^[0-9]{5}$', maxLength: 5 },
    example: ['11037'],
    maxItems: 400,
    description: 'NIS codes of its municipalities (each in one region at most)',
  })
  @IsArray()
  @ArrayMaxSize(400)
  @IsNisCode({ each: true })
  nisCodes: string[];

  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid', maxLength: 36 },
    maxItems: 200,
    description: 'regional partners without a municipality (a VDAB regional office, RVA, ATB)',
  })
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  organisationIds: string[];
}

export class RegionDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) id: string;
  @ApiProperty({ maxLength: 120 }) name: string;
  @ApiProperty({ type: 'array', items: { type: 'string', pattern: '^[0-9]{5}$', maxLength: 5 }, maxItems: 400 }) nisCodes: string[];
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid', maxLength: 36 }, maxItems: 200 }) organisationIds: string[];
  @ApiProperty() version: number;
}
