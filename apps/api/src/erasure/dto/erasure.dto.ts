import { DATA_CATEGORIES } from '@app/kernel';
import { ERASURE_REASONS, RETENTION_MAX_MONTHS, RETENTION_MIN_MONTHS } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MultilineText } from '../../http/validators.js';

export class EraseClientDto {
  @ApiProperty({
    enum: ERASURE_REASONS,
    description: "GDPR_REQUEST: the client's request for erasure (GDPR Art. 17); RETENTION: your organisation's retention period for the file ended",
  })
  @IsIn(ERASURE_REASONS)
  reason: (typeof ERASURE_REASONS)[number];

  @ApiPropertyOptional({ maxLength: 2000, example: 'Request by letter of 20 November 2026, identity checked at the desk' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @MultilineText()
  note?: string;
}

export class ErasureCountsDto {
  @ApiProperty() identity: number;
  @ApiProperty() sections: number;
  @ApiProperty() documents: number;
  @ApiProperty() notes: number;
  @ApiProperty({ description: 'closed trajectories your organisation directed, with every row in them' }) trajectories: number;
  @ApiProperty({ description: 'closed referrals your organisation sent, with their notes, conversations and offered documents' }) referrals: number;
  @ApiProperty({ description: 'consents and notices kept as the ground of earlier accesses, revoked now' }) consentsRevoked: number;
  @ApiProperty({ description: 'involvements your organisation recorded, kept and ended now' }) involvementsEnded: number;
  @ApiProperty({ description: "partners' notes on a trajectory that went: kept by their authors, no longer tied to it" }) partnerNotesDetached: number;
}

export class ClientErasureDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) id: string;
  @ApiProperty({ format: 'uuid', maxLength: 36 }) personId: string;
  @ApiProperty({ format: 'uuid', maxLength: 36 }) organisationId: string;
  @ApiProperty({ enum: ERASURE_REASONS }) reason: string;
  @ApiProperty({ nullable: true, type: String, maxLength: 2000 }) note: string | null;
  @ApiProperty({ description: 'the whole file, or (retention) only older data of the categories named' }) wholeFile: boolean;
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true, maxItems: DATA_CATEGORIES.length }) categories: string[];
  @ApiProperty({ type: ErasureCountsDto, description: 'what was removed, as counts' }) removed: ErasureCountsDto;
  @ApiProperty({ format: 'uuid', maxLength: 36, nullable: true, type: String, description: 'null when the daily retention job erased it' })
  erasedByUserId: string | null;
  @ApiProperty({ type: String, format: 'date-time', maxLength: 30 }) erasedAt: Date;
}

const months = (category: string) =>
  ApiPropertyOptional({
    type: 'integer',
    format: 'int32',
    minimum: RETENTION_MIN_MONTHS,
    maximum: RETENTION_MAX_MONTHS,
    nullable: true,
    description: `months ${category} data is kept after its last change; left out or null: kept until erased by hand`,
  });

/** An organisation's retention periods: whole, as PUT replaces them. */
export class RetentionMonthsDto {
  @months('IDENTITY (the whole file, when nothing in it changed for that long)')
  @IsOptional()
  @IsInt()
  @Min(RETENTION_MIN_MONTHS)
  @Max(RETENTION_MAX_MONTHS)
  IDENTITY?: number | null;
  @months('CONTACT') @IsOptional() @IsInt() @Min(RETENTION_MIN_MONTHS) @Max(RETENTION_MAX_MONTHS) CONTACT?: number | null;
  @months('EMPLOYMENT') @IsOptional() @IsInt() @Min(RETENTION_MIN_MONTHS) @Max(RETENTION_MAX_MONTHS) EMPLOYMENT?: number | null;
  @months('TRAJECTORY (closed trajectories and referrals)') @IsOptional() @IsInt() @Min(RETENTION_MIN_MONTHS) @Max(RETENTION_MAX_MONTHS) TRAJECTORY?:
    number | null;
  @months('OBSTACLES') @IsOptional() @IsInt() @Min(RETENTION_MIN_MONTHS) @Max(RETENTION_MAX_MONTHS) OBSTACLES?: number | null;
  @months('WELFARE') @IsOptional() @IsInt() @Min(RETENTION_MIN_MONTHS) @Max(RETENTION_MAX_MONTHS) WELFARE?: number | null;
}

export class RetentionSettingDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) organisationId: string;
  @ApiProperty({ type: RetentionMonthsDto }) months: RetentionMonthsDto;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', maxLength: 30 }) updatedAt: Date | null;
}
