import { CHECKPOINT_SOURCES, OBSTACLE_KINDS, TRAJECTORY_OUTCOMES, TRAJECTORY_STATUSES, TRAJECTORY_TYPES } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsCalendarDate, MultilineText } from '../../http/validators.js';
import { JobTargetDto } from '../../clients/dto/client.dto.js';
import { StaffCardDto } from '../../users/dto/user.dto.js';

export class CreateTrajectoryDto {
  @ApiProperty({ format: 'uuid', description: 'The person; your organisation keeps their file and directs the trajectory' }) @IsUUID() clientId: string;
  @ApiProperty({ enum: TRAJECTORY_TYPES }) @IsIn(TRAJECTORY_TYPES) type: (typeof TRAJECTORY_TYPES)[number];
  @ApiPropertyOptional({ type: JobTargetDto }) @IsOptional() @ValidateNested() @Type(() => JobTargetDto) jobTarget?: JobTargetDto;
}

export class TransitionDto {
  @ApiProperty({ enum: TRAJECTORY_STATUSES }) @IsIn(TRAJECTORY_STATUSES) to: (typeof TRAJECTORY_STATUSES)[number];
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) @MultilineText() reason?: string;
  @ApiPropertyOptional({ enum: TRAJECTORY_OUTCOMES, description: 'Required when completing or stopping' })
  @IsOptional()
  @IsIn(TRAJECTORY_OUTCOMES)
  outcome?: (typeof TRAJECTORY_OUTCOMES)[number];
  @ApiProperty({ description: 'The version you read; a stale one is a 409' }) @IsInt() @Min(1) version: number;
}

export class TypeChangeDto {
  @ApiProperty({ enum: TRAJECTORY_TYPES }) @IsIn(TRAJECTORY_TYPES) type: (typeof TRAJECTORY_TYPES)[number];
  @ApiProperty({ minLength: 3, maxLength: 2000, example: 'Screening showed Dutch at A1: integrated pathway fits better' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  @MultilineText()
  reason: string;
  @ApiProperty() @IsInt() @Min(1) version: number;
}

class ParticipantDto {
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ enum: ['DIRECTOR', 'EXECUTOR', 'ADVISOR'] }) capacity: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) responsibleUserId: string | null;
  @ApiProperty({ type: () => StaffCardDto, nullable: true, description: "the responsible case worker's contact card" }) responsible: StaffCardDto | null;
}

class HistoryEntryDto {
  @ApiProperty() at: Date;
  @ApiProperty({ enum: ['CREATED', 'STATUS', 'TYPE'] }) kind: string;
  @ApiProperty({ nullable: true, type: String }) from: string | null;
  @ApiProperty() to: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) byOrganisationId: string | null;
  @ApiProperty({ type: () => StaffCardDto, nullable: true, description: 'who made the change' }) by: StaffCardDto | null;
}

export class TrajectoryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ format: 'uuid' }) directorOrganisationId: string;
  @ApiProperty({ enum: TRAJECTORY_TYPES }) type: string;
  @ApiProperty({ enum: TRAJECTORY_STATUSES }) status: string;
  @ApiProperty({ type: JobTargetDto, nullable: true }) jobTarget: JobTargetDto | null;
  @ApiProperty({ enum: TRAJECTORY_OUTCOMES, nullable: true, type: String }) outcome: string | null;
  @ApiProperty({ nullable: true, type: Date }) startedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) closedAt: Date | null;
  @ApiProperty({ type: [ParticipantDto] }) participants: ParticipantDto[];
  @ApiProperty({ type: [HistoryEntryDto] }) history: HistoryEntryDto[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'id, kind, status, actions, organisationId, version' }) obstacles: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'id, kind, provider, planned and actual dates, result, version' }) activities: object[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description:
      "months (6, 12, 18, 24), dueOn, observations (each organisation's own: organisationId, recordedByUserId, working, source, recordedAt), working (what they agree on, null when none or they disagree), disagree, recordedAt (the latest)",
  })
  checkpoints: object[];
  @ApiProperty({ description: 'Send it back as `version` with every change' }) version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export const ACTIVITY_KINDS = ['TRAINING', 'LANGUAGE_COURSE', 'JOB_COACHING', 'TWE_PLACEMENT', 'MOBILE_TRAINING'] as const;

export class AddObstacleDto {
  @ApiProperty({ enum: OBSTACLE_KINDS }) @IsIn(OBSTACLE_KINDS) kind: (typeof OBSTACLE_KINDS)[number];
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) @MultilineText() actions?: string;
}

export class UpdateObstacleDto {
  @ApiProperty({ enum: ['OPEN', 'ADDRESSED'] }) @IsIn(['OPEN', 'ADDRESSED']) status: 'OPEN' | 'ADDRESSED';
  @ApiPropertyOptional({ maxLength: 4000, description: 'The actions taken' }) @IsOptional() @IsString() @MaxLength(4000) @MultilineText() actions?: string;
  @ApiProperty() @IsInt() @Min(1) version: number;
}

export class AddActivityDto {
  @ApiProperty({ enum: ACTIVITY_KINDS }) @IsIn(ACTIVITY_KINDS) kind: (typeof ACTIVITY_KINDS)[number];
  @ApiPropertyOptional({ format: 'uuid', description: 'The organisation that provides it' }) @IsOptional() @IsUUID() providerOrganisationId?: string;
  @ApiProperty({ example: '2027-01-11' }) @IsCalendarDate() plannedFrom: string;
  @ApiPropertyOptional({ example: '2027-03-26' }) @IsOptional() @IsCalendarDate() plannedUntil?: string;
}

export class UpdateActivityDto {
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() actualFrom?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() actualUntil?: string;
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) @MultilineText() result?: string;
  @ApiProperty() @IsInt() @Min(1) version: number;
}

export class CheckpointDto {
  @ApiProperty({ description: 'In work at this checkpoint' }) @IsBoolean() working: boolean;
  @ApiProperty({ enum: CHECKPOINT_SOURCES, description: 'How you know: the client says so, the employer, a Dimona declaration, other' })
  @IsIn(CHECKPOINT_SOURCES)
  source: (typeof CHECKPOINT_SOURCES)[number];
}

export class AddParticipantDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() organisationId: string;
  @ApiProperty({ enum: ['EXECUTOR', 'ADVISOR'] }) @IsIn(['EXECUTOR', 'ADVISOR']) capacity: 'EXECUTOR' | 'ADVISOR';
  @ApiProperty({ description: 'The trajectory version you read' }) @IsInt() @Min(1) version: number;
}
