import { DATA_CATEGORIES } from '@app/kernel';
import { DECLINE_REASON_CODES, DOCUMENTS_PER_REFERRAL, MESSAGES_PER_REFERRAL, OPEN_REFERRAL_STATUSES, REFERRAL_KINDS, REFERRAL_STATUSES } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageCursor, PageLimit } from '../../http/paging.js';
import { StaffCardDto } from '../../users/dto/user.dto.js';
import { IsCalendarDate, MultilineText } from '../../http/validators.js';

export class CreateReferralDto {
  @ApiProperty({ enum: REFERRAL_KINDS }) @IsIn(REFERRAL_KINDS) kind: (typeof REFERRAL_KINDS)[number];
  @ApiProperty({ format: 'uuid' }) @IsUUID() clientId: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() toOrganisationId: string;
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true, description: 'What the receiver may read; only what the client’s consent allows for it' })
  @IsArray()
  @ArrayUnique()
  @IsIn(DATA_CATEGORIES, { each: true })
  categories: Array<(typeof DATA_CATEGORIES)[number]>;
  @ApiPropertyOptional({ maxLength: 4000, description: 'A note to the receiver' }) @IsOptional() @IsString() @MaxLength(4000) @MultilineText() note?: string;
  @ApiPropertyOptional({ type: [String], example: ['2026-12-01'], description: 'Proposed dates for a three-way intake' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsCalendarDate({ each: true })
  proposedIntakeDates?: string[];
  @ApiPropertyOptional({ example: '2027-03-01', description: 'NOT_YET_READY: until when guidance to work must wait' })
  @IsOptional()
  @IsCalendarDate()
  reviewDate?: string;
  @ApiPropertyOptional({
    type: [String],
    maxItems: DOCUMENTS_PER_REFERRAL,
    items: { type: 'string', format: 'uuid', maxLength: 36 },
    description: 'Documents of your file on the client to offer, each of an offered category (GPMI, CV, screening report)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(DOCUMENTS_PER_REFERRAL)
  @IsUUID('all', { each: true })
  documentIds?: string[];
  @ApiPropertyOptional({ description: 'Send at once instead of keeping a draft' }) @IsOptional() @IsBoolean() send?: boolean;
}

export class ReferralVersionDto {
  @ApiProperty({ description: 'The version you read; a stale one is a 409' }) @IsInt() @Min(1) version: number;
}

export class DeclineReferralDto extends ReferralVersionDto {
  @ApiProperty({ enum: DECLINE_REASON_CODES }) @IsIn(DECLINE_REASON_CODES) reasonCode: (typeof DECLINE_REASON_CODES)[number];
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) @MultilineText() reason?: string;
}

export class RequestInfoDto extends ReferralVersionDto {
  @ApiProperty({ minLength: 3, maxLength: 2000 }) @IsString() @MinLength(3) @MaxLength(2000) @MultilineText() question: string;
}

export class AnswerDto extends ReferralVersionDto {
  @ApiProperty({ minLength: 1, maxLength: 4000 }) @IsString() @MinLength(1) @MaxLength(4000) @MultilineText() answer: string;
}

export class AdviseDto extends ReferralVersionDto {
  @ApiProperty({ minLength: 3, maxLength: 8000, example: 'Integrated pathway: Dutch lessons alongside a work placement' })
  @IsString()
  @MinLength(3)
  @MaxLength(8000)
  @MultilineText()
  advice: string;
}

export class AssignDto extends ReferralVersionDto {
  @ApiProperty({ format: 'uuid', description: 'A case worker of the receiving organisation' }) @IsUUID() userId: string;
}

export class QueueQueryDto {
  @ApiProperty({ enum: ['inbox', 'outbox'] }) @IsIn(['inbox', 'outbox']) box: 'inbox' | 'outbox';
  @ApiPropertyOptional({
    type: String,
    maxLength: 200,
    example: 'SENT,INFO_REQUESTED',
    description: `One status or several, comma-separated (${REFERRAL_STATUSES.join(', ')}); without it, the open ones: ${OPEN_REFERRAL_STATUSES.join(', ')}`,
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @IsArray()
  @ArrayMaxSize(REFERRAL_STATUSES.length)
  @IsIn(REFERRAL_STATUSES, { each: true })
  status?: Array<(typeof REFERRAL_STATUSES)[number]>;
  @ApiPropertyOptional({ format: 'uuid', maxLength: 36, description: "One client's referrals" }) @IsOptional() @IsUUID() clientId?: string;
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
  @ApiPropertyOptional({ type: String, maxLength: 36, description: 'A case worker of your organisation (uuid), or `me`' })
  @IsOptional()
  @ValidateIf((_, value) => value !== 'me')
  @IsUUID()
  assignee?: string;
  @PageLimit() limit?: number;
  @PageCursor() cursor?: string;
}

export class IntakeDto {
  @ApiProperty({ example: '2027-01-12', maxLength: 10 }) date: string;
  @ApiProperty({ example: '10:30', nullable: true, type: String, maxLength: 5 }) time: string | null;
  @ApiProperty({ format: 'uuid', maxLength: 36 }) confirmedByOrganisationId: string;
  @ApiProperty({ type: String, format: 'date-time', maxLength: 30 }) confirmedAt: Date;
}

export class OfferedDocumentDto {
  @ApiProperty({ format: 'uuid', maxLength: 36, description: 'download with GET /documents/{id}' }) id: string;
  @ApiProperty({ enum: DATA_CATEGORIES }) category: string;
  @ApiProperty({ maxLength: 255, example: 'GPMI 2026.pdf' }) fileName: string;
  @ApiProperty({ maxLength: 100, example: 'application/pdf' }) mediaType: string;
  @ApiProperty({ maximum: 10485760 }) sizeBytes: number;
  @ApiProperty({ maxLength: 64, description: 'hex SHA-256 of the content' }) sha256: string;
}

export class ReferralDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REFERRAL_KINDS }) kind: string;
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ format: 'uuid' }) fromOrganisationId: string;
  @ApiProperty({ format: 'uuid' }) toOrganisationId: string;
  @ApiProperty({ format: 'uuid' }) senderUserId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assigneeUserId: string | null;
  @ApiProperty({ type: () => StaffCardDto, nullable: true, description: "the sender's contact card" }) sender: StaffCardDto | null;
  @ApiProperty({ type: () => StaffCardDto, nullable: true, description: "the assignee's contact card" }) assignee: StaffCardDto | null;
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true }) categories: string[];
  @ApiProperty({
    type: [OfferedDocumentDto],
    maxItems: DOCUMENTS_PER_REFERRAL,
    description: "the documents of the sender's file the handover offers; empty while the note is withheld",
  })
  documents: OfferedDocumentDto[];
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({
    description:
      "true: note, question and answer are withheld (null), as the sharing rule does not give the receiver the sender's file for this handover's purpose now",
  })
  noteWithheld: boolean;
  @ApiProperty({ type: [String] }) proposedIntakeDates: string[];
  @ApiProperty({ format: 'uuid', maxLength: 36, nullable: true, type: String, description: 'the side that proposed the dates; the other side confirms one' })
  intakeProposedByOrganisationId: string | null;
  @ApiProperty({ nullable: true, type: () => IntakeDto, description: 'the confirmed three-way intake' })
  intake: IntakeDto | null;
  @ApiProperty({ nullable: true, type: String }) reviewDate: string | null;
  @ApiProperty({ enum: REFERRAL_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: Date }) sentAt: Date | null;
  @ApiProperty({ nullable: true, type: String, description: 'Answer due (working days, weekends excluded)' }) dueDate: string | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ nullable: true, type: String }) question: string | null;
  @ApiProperty({ nullable: true, type: String }) answer: string | null;
  @ApiProperty({ nullable: true, type: String }) declineReasonCode: string | null;
  @ApiProperty({ nullable: true, type: String }) declineReason: string | null;
  @ApiProperty({ nullable: true, type: String }) advice: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) trajectoryId: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ReferralQueueDto {
  @ApiProperty({ type: [ReferralDto] }) items: ReferralDto[];
  @ApiProperty({ type: Object, example: { SENT: 3, INFO_REQUESTED: 1 }, description: 'Referrals per status in this box' }) counts: Record<string, number>;
  @ApiProperty({ type: String, nullable: true, description: 'Send as cursor for the next page; null on the last page' }) nextCursor: string | null;
}

export class PostMessageDto {
  @ApiProperty({ minLength: 1, maxLength: 4000 }) @IsString() @MinLength(1) @MaxLength(4000) @MultilineText() body: string;
}

export class ReferralMessageDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) id: string;
  @ApiProperty({ format: 'uuid', maxLength: 36 }) referralId: string;
  @ApiProperty({ enum: ['QUESTION', 'ANSWER', 'MESSAGE'] }) kind: string;
  @ApiProperty({ format: 'uuid', maxLength: 36, description: "the author's organisation" }) organisationId: string;
  @ApiProperty({
    format: 'uuid',
    maxLength: 36,
    nullable: true,
    type: String,
    description: 'null for a question or answer kept from before conversations were kept',
  })
  authorUserId: string | null;
  @ApiProperty({ maxLength: 4000 }) body: string;
  @ApiProperty({ type: String, format: 'date-time', maxLength: 30 }) createdAt: Date;
}

export class ReferralThreadDto {
  @ApiProperty({ type: [ReferralMessageDto], maxItems: MESSAGES_PER_REFERRAL }) items: ReferralMessageDto[];
  @ApiProperty({ description: "the conversation is withheld: the rule does not give you the sender's file for this handover now" }) withheld: boolean;
}

export class ProposeIntakeDto extends ReferralVersionDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'date', maxLength: 10 },
    minItems: 1,
    maxItems: 3,
    example: ['2027-01-12', '2027-01-14'],
    description: 'from today, within a year',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsCalendarDate({ each: true })
  dates: string[];
}

export class ConfirmIntakeDto extends ReferralVersionDto {
  @ApiProperty({ example: '2027-01-12', description: 'one of the dates the other side proposed' }) @IsCalendarDate() date: string;
  @ApiPropertyOptional({ example: '10:30', maxLength: 5 }) @IsOptional() @Matches(/^([01][0-9]|2[0-3]):[0-5][0-9]$/) time?: string;
}
