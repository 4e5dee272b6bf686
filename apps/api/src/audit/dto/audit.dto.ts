import { FLAG_STATUSES, type FlagStatus } from '@app/audit';
import { LANGUAGES, type Language } from '@app/kernel';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageCursor } from '../../http/paging.js';
import { IsCalendarDate, MultilineText } from '../../http/validators.js';

export class AuditEventQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Person the events are about' }) @IsOptional() @IsUUID() subjectId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'User who acted' }) @IsOptional() @IsUUID() actorId?: string;
  @ApiPropertyOptional({ example: 'client.read' }) @IsOptional() @IsString() @MaxLength(60) action?: string;
  @ApiPropertyOptional({ enum: ['ALLOW', 'DENY'] }) @IsOptional() @IsIn(['ALLOW', 'DENY']) decision?: 'ALLOW' | 'DENY';
  @ApiPropertyOptional({ example: 'MEDIATION' }) @IsOptional() @IsString() @MaxLength(20) purpose?: string;
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' }) @IsOptional() @IsCalendarDate({ orDateTime: true }) from?: string;
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' }) @IsOptional() @IsCalendarDate({ orDateTime: true }) to?: string;
  @PageCursor() cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

export class AccessReportQueryDto {
  @ApiPropertyOptional({
    enum: ['json', 'csv', 'pdf'],
    default: 'json',
    description: 'csv and pdf: to hand to the client, in their language (`lang`, else yours); the pdf carries the signed checkpoints that cover it',
  })
  @IsOptional()
  @IsIn(['json', 'csv', 'pdf'])
  format?: 'json' | 'csv' | 'pdf';
  @ApiPropertyOptional({ enum: LANGUAGES, description: "The client's language for a csv or pdf (default: yours)" })
  @IsOptional()
  @IsIn(LANGUAGES)
  lang?: Language;
  @ApiPropertyOptional({ format: 'date', maxLength: 10, example: '2026-01-01', description: 'First day of the period (Brussels), included' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;
  @ApiPropertyOptional({ format: 'date', maxLength: 10, example: '2026-12-31', description: 'Last day of the period (Brussels), included' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
  @PageCursor() cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'JSON only: lines per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class AuditGroundDto {
  @ApiProperty({ enum: ['OWNER', 'SHARED', 'BREAK_GLASS'] }) kind: string;
  @ApiPropertyOptional({ format: 'uuid' }) involvementId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) agreementId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) consentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) breakGlassId?: string;
  @ApiPropertyOptional({ format: 'uuid', maxLength: 36, description: 'the open handover that gave the receiver the categories it offers' }) referralId?: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid', description: 'The chain: the acting organisation' }) chain: string;
  @ApiProperty() seq: number;
  @ApiProperty() occurredAt: Date;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorUserId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorOrganisationId: string | null;
  @ApiProperty({ type: [String] }) actorRoles: string[];
  @ApiProperty({ nullable: true, type: String, maxLength: 200, example: 'VDAB Antwerpen' }) actorOrganisationName: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    maxLength: 200,
    description: "The user's name when they are one of your organisation's staff; others are known by organisation and function (actorRoles)",
  })
  actorName: string | null;
  @ApiProperty({ example: 'client.read' }) action: string;
  @ApiProperty({ nullable: true, type: String }) resourceType: string | null;
  @ApiProperty({ nullable: true, type: String }) resourceId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) subjectPersonId: string | null;
  @ApiProperty({ format: 'uuid', description: 'Whose data the event concerns: the organisation whose file or records it touched' }) ownerOrganisationId: string;
  @ApiProperty({ type: [String] }) categories: string[];
  @ApiProperty({ nullable: true, type: String }) purpose: string | null;
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision: string;
  @ApiProperty({ type: AuditGroundDto, nullable: true }) ground: AuditGroundDto | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ nullable: true, type: String }) clientAddress: string | null;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] }) items: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class GroundDetailDto {
  @ApiPropertyOptional({ format: 'date', maxLength: 10, description: 'first day of the consent or notice' }) consentFrom?: string;
  @ApiPropertyOptional({ enum: ['CONSENT', 'PUBLIC_TASK_NOTICE'] }) legalBasis?: string;
  @ApiPropertyOptional({ maxLength: 500, description: "the cooperation agreement's document reference" }) agreementReference?: string;
  @ApiPropertyOptional({ format: 'date', maxLength: 10 }) handoverSentOn?: string;
  @ApiPropertyOptional({ maxLength: 2000, description: 'break-the-glass: what the user typed' }) justification?: string;
}

export class EventReferenceDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) chain: string;
  @ApiProperty() seq: number;
  @ApiProperty({ maxLength: 64, description: 'SHA-256 of the event, hex' }) hash: string;
}

export class AccessReportLineDto {
  @ApiProperty() date: Date;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organisationId: string | null;
  @ApiProperty({ nullable: true, type: String }) organisationName: string | null;
  @ApiProperty({ nullable: true, type: String }) purpose: string | null;
  @ApiProperty({ type: [String] }) categories: string[];
  @ApiProperty({ example: 'client.read' }) action: string;
  @ApiProperty({ maxLength: 19, example: '2026-11-28 18:00:25', description: 'date and time in Brussels' }) localTime: string;
  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 20 }, maxItems: 7, description: 'what the person who acted does (roles), not who' })
  function: string[];
  @ApiProperty({ enum: ['OWNER', 'SHARED', 'BREAK_GLASS'], nullable: true, type: String, description: 'the ground; null for a denied attempt' }) ground:
    string | null;
  @ApiProperty({ type: GroundDetailDto, nullable: true, description: 'what the ground referred to' }) groundDetail: GroundDetailDto | null;
  @ApiProperty({ maxLength: 2500, description: 'the ground in words, in your language' }) groundText: string;
  @ApiProperty({ type: EventReferenceDto }) event: EventReferenceDto;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Only in a privacy officer’s report' }) employeeId?: string | null;
}

export class AccessReportPageDto {
  @ApiProperty({ type: [AccessReportLineDto], maxItems: 200 }) items: AccessReportLineDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 300, description: 'cursor of the next page; null on the last' }) nextCursor: string | null;
}

class BrokenLinkDto {
  @ApiProperty() seq: number;
  @ApiProperty({ enum: ['hash', 'link', 'sequence', 'truncated', 'checkpoint-mismatch', 'checkpoint-signature', 'checkpoint-deleted'] }) reason: string;
}

class ChainReportDto {
  @ApiProperty({ format: 'uuid' }) chain: string;
  @ApiProperty({ nullable: true, type: String, maxLength: 200, description: 'Whose chain: the organisation that acted (null: events of no organisation)' })
  organisationName: string | null;
  @ApiProperty() events: number;
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional({ type: BrokenLinkDto }) firstBroken?: BrokenLinkDto;
  @ApiPropertyOptional({ type: [BrokenLinkDto], maxItems: 1000, description: 'Every broken row found, in seq order' }) broken?: BrokenLinkDto[];
}

export class UnsequencedDto {
  @ApiProperty({ description: 'audit entries logged more than maxLagSeconds ago and still not on their chain (a fault when > 0)' }) entries: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', maxLength: 30 }) oldest: string | null;
  @ApiProperty() maxLagSeconds: number;
}

export class CheckpointFileDto {
  @ApiProperty({ description: 'checkpoints of the verified chains in the file exported outside the database' }) checkpoints: number;
  @ApiProperty({ description: 'lines of the file that are not checkpoints (a fault when > 0)' }) unreadableLines: number;
}

export class VerificationReportDto {
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: [ChainReportDto] }) chains: ChainReportDto[];
  @ApiProperty({ type: UnsequencedDto }) unsequenced: UnsequencedDto;
  @ApiPropertyOptional({ type: CheckpointFileDto }) checkpointFile?: CheckpointFileDto;
  @ApiProperty() events: number;
  @ApiProperty() seconds: number;
  @ApiProperty() eventsPerSecond: number;
}

export class PublicKeyDto {
  @ApiProperty({ example: 'Ed25519' }) algorithm: string;
  @ApiProperty() keyId: string;
  @ApiProperty() publicKeyPem: string;
}

export class AuditCheckpointDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) chain: string;
  @ApiProperty() seq: number;
  @ApiProperty({ description: 'SHA-256 of the chain head, hex', maxLength: 64 }) headHash: string;
  @ApiProperty({ format: 'date-time', maxLength: 30 }) time: string;
  @ApiProperty({ maxLength: 64 }) keyId: string;
  @ApiProperty({ description: 'base64 Ed25519 signature over RFC 8785 JSON of {chain, seq, headHash, time}', maxLength: 100 }) signature: string;
}

export class FlagQueryDto {
  @ApiPropertyOptional({ enum: FLAG_STATUSES }) @IsOptional() @IsIn(FLAG_STATUSES) status?: FlagStatus;
}

export class FlagReviewDto {
  @ApiProperty({ enum: ['ACKNOWLEDGED', 'ESCALATED', 'CLOSED'], description: 'OPEN -> ACKNOWLEDGED | ESCALATED -> CLOSED; ACKNOWLEDGED -> ESCALATED' })
  @IsIn(['ACKNOWLEDGED', 'ESCALATED', 'CLOSED'])
  status: 'ACKNOWLEDGED' | 'ESCALATED' | 'CLOSED';
  @ApiProperty({ minLength: 3, maxLength: 2000 }) @IsString() @MinLength(3) @MaxLength(2000) @MultilineText() comment: string;
}

export class FlagReviewViewDto {
  @ApiProperty({ enum: FLAG_STATUSES }) from: string;
  @ApiProperty({ enum: FLAG_STATUSES }) to: string;
  @ApiProperty({ format: 'uuid', maxLength: 36, nullable: true, type: String }) by: string | null;
  @ApiProperty({ type: String, format: 'date-time', maxLength: 30 }) at: Date;
  @ApiProperty({ maxLength: 2000 }) comment: string;
}

export class AuditFlagDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['BREAK_GLASS', 'MANY_PERSONS', 'DENIAL_BURST', 'OFF_HOURS'] }) kind: string;
  @ApiProperty({ enum: FLAG_STATUSES }) status: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorUserId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorOrganisationId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) subjectPersonId: string | null;
  @ApiProperty({ nullable: true, type: Object, description: '{chain, seq} of the audit event' }) event: { chain: string; seq: number } | null;
  @ApiProperty({ nullable: true, type: Date }) windowStart: Date | null;
  @ApiProperty({ type: Object }) details: Record<string, unknown>;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) reviewedBy: string | null;
  @ApiProperty({ nullable: true, type: Date }) reviewedAt: Date | null;
  @ApiProperty({ nullable: true, type: String, maxLength: 2000 }) reviewComment: string | null;
  @ApiProperty({ type: [FlagReviewViewDto], maxItems: 10, description: 'every move, oldest first, with its comment' }) reviews: FlagReviewViewDto[];
  @ApiProperty({ nullable: true, type: String, maxLength: 2000, description: 'break-the-glass: the justification the user typed' }) justification:
    string | null;
}

export class ActivityQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'Default: 30 days ago' })
  @IsOptional()
  @IsCalendarDate({ orDateTime: true })
  from?: string;
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Default: now' }) @IsOptional() @IsCalendarDate({ orDateTime: true }) to?: string;
}

class ActionCountDto {
  @ApiProperty() action: string;
  @ApiProperty({ enum: ['ALLOW', 'DENY'] }) decision: string;
  @ApiProperty() events: number;
}

class DayCountDto {
  @ApiProperty({ example: '2026-11-23' }) day: string;
  @ApiProperty() events: number;
  @ApiProperty() persons: number;
}

export class UserActivityDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty() events: number;
  @ApiProperty() distinctPersons: number;
  @ApiProperty() denied: number;
  @ApiProperty() breakGlass: number;
  @ApiProperty({ type: [ActionCountDto] }) byAction: ActionCountDto[];
  @ApiProperty({ type: [DayCountDto] }) byDay: DayCountDto[];
}
