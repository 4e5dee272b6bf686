import { CONSENT_METHODS, DATA_CATEGORIES, LEGAL_BASES, PURPOSES } from '@app/kernel';
import { AGREEMENT_STATUSES } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { EnumList, IsCalendarDate, MultilineText } from '../../http/validators.js';

const PARTNER_CAPACITIES = ['DIRECTOR', 'EXECUTOR', 'ADVISOR'] as const;

export class CreateInvolvementDto {
  @ApiProperty({ format: 'uuid', description: 'The partner organisation that takes part in the trajectory' }) @IsUUID() organisationId: string;
  @ApiProperty({ enum: PARTNER_CAPACITIES, description: 'OWNER is set by registering a client' })
  @IsIn(PARTNER_CAPACITIES)
  capacity: (typeof PARTNER_CAPACITIES)[number];
  @ApiProperty({ enum: PURPOSES }) @IsIn(PURPOSES) purpose: (typeof PURPOSES)[number];
  @ApiPropertyOptional({ example: '2027-06-30', description: 'Last day of the involvement; open-ended when left out' })
  @IsOptional()
  @IsCalendarDate()
  validUntil?: string;
}

export class EndInvolvementDto {
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) @MultilineText() reason?: string;
}

export class InvolvementDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ enum: ['OWNER', ...PARTNER_CAPACITIES] }) capacity: string;
  @ApiProperty({ enum: PURPOSES }) purpose: string;
  @ApiProperty({ example: '2026-11-23' }) validFrom: string;
  @ApiProperty({ nullable: true, type: String }) validUntil: string | null;
  @ApiProperty({ enum: ['REGISTRATION', 'MANUAL', 'HANDOVER', 'TRAJECTORY'] }) source: string;
  @ApiProperty({ format: 'uuid' }) recordedByOrganisationId: string;
  @ApiProperty() recordedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) endedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) endReason: string | null;
  @ApiProperty({ description: 'Within its dates and not ended' }) active: boolean;
}

export class AgreementFlowDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fromOrganisationId: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() toOrganisationId: string;
  @EnumList(DATA_CATEGORIES, 'Categories the receiving party may be shown, with the client’s consent')
  categories: Array<(typeof DATA_CATEGORIES)[number]>;
}

export class CreateAgreementDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 2, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  partyOrganisationIds: string[];

  @EnumList(PURPOSES)
  purposes: Array<(typeof PURPOSES)[number]>;

  @ApiProperty({ type: [AgreementFlowDto], description: 'Which categories may flow in which direction' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AgreementFlowDto)
  flows: AgreementFlowDto[];

  @ApiProperty({ example: '2026-01-01' }) @IsCalendarDate() validFrom: string;
  @ApiProperty({ example: '2031-12-31', description: 'Last day the agreement is in force' }) @IsCalendarDate() validUntil: string;
  @ApiProperty({ example: 'SO-2026-VDAB-ANT-014', description: 'Reference to the signed document' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  documentReference: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 60, default: 10, description: 'Service level: referrals are answered within this many working days' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  responseWorkingDays?: number;
}

export class TerminateAgreementDto {
  @ApiProperty({ minLength: 5, maxLength: 1000 }) @IsString() @MinLength(5) @MaxLength(1000) @MultilineText() reason: string;
}

class AgreementPartyDto {
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ nullable: true, type: Date }) confirmedAt: Date | null;
}

export class AgreementExistenceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: [String], format: 'uuid' }) partyOrganisationIds: string[];
  @ApiProperty({ enum: AGREEMENT_STATUSES }) status: string;
}

export class AgreementDto extends AgreementExistenceDto {
  @ApiProperty({ type: [AgreementPartyDto] }) parties: AgreementPartyDto[];
  @ApiProperty({ enum: PURPOSES, isArray: true }) purposes: string[];
  @ApiProperty({ type: [AgreementFlowDto] }) flows: AgreementFlowDto[];
  @ApiProperty() validFrom: string;
  @ApiProperty() validUntil: string;
  @ApiProperty() documentReference: string;
  @ApiProperty({ description: 'Service level in working days' }) responseWorkingDays: number;
  @ApiProperty({ nullable: true, type: String }) createdByOrganisationId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) activatedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) terminatedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) terminatedByOrganisationId: string | null;
  @ApiProperty({ nullable: true, type: String }) terminationReason: string | null;
}

export class CreateConsentDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  recipientOrganisationIds: string[];

  @EnumList(PURPOSES)
  purposes: Array<(typeof PURPOSES)[number]>;

  @EnumList(DATA_CATEGORIES, 'WELFARE only with legalBasis CONSENT')
  categories: Array<(typeof DATA_CATEGORIES)[number]>;

  @ApiProperty({ enum: LEGAL_BASES, description: 'CONSENT, or PUBLIC_TASK_NOTICE when the client was informed' })
  @IsIn(LEGAL_BASES)
  legalBasis: (typeof LEGAL_BASES)[number];

  @ApiProperty({ enum: CONSENT_METHODS }) @IsIn(CONSENT_METHODS) method: (typeof CONSENT_METHODS)[number];
  @ApiProperty({ example: '2026-11-23' }) @IsCalendarDate() validFrom: string;
  @ApiPropertyOptional({ example: '2027-11-22', description: 'Last day; open-ended when left out' }) @IsOptional() @IsCalendarDate() validUntil?: string;
  @ApiPropertyOptional({ maxLength: 500, example: 'Signed form, scanned in the OCMW document system as DOC-2026-1182' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  evidenceReference?: string;
}

export class RevokeConsentDto {
  @ApiProperty({ minLength: 5, maxLength: 1000, example: 'The client withdrew consent at the intake on 23 November' })
  @IsString()
  @MinLength(5)
  @MaxLength(1000)
  @MultilineText()
  reason: string;
}

export class ConsentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ format: 'uuid', description: 'The organisation that recorded it (keeps the file)' }) organisationId: string;
  @ApiProperty({ type: [String], format: 'uuid' }) recipientOrganisationIds: string[];
  @ApiProperty({ enum: PURPOSES, isArray: true }) purposes: string[];
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true }) categories: string[];
  @ApiProperty({ enum: LEGAL_BASES }) legalBasis: string;
  @ApiProperty({ enum: CONSENT_METHODS }) method: string;
  @ApiProperty() validFrom: string;
  @ApiPropertyOptional() validUntil?: string;
  @ApiPropertyOptional() evidenceReference?: string;
  @ApiProperty({ format: 'uuid' }) recordedBy: string;
  @ApiProperty() recordedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) revocationReason: string | null;
  @ApiProperty() active: boolean;
}

export class BreakGlassDto {
  @EnumList(DATA_CATEGORIES)
  categories: Array<(typeof DATA_CATEGORIES)[number]>;

  @ApiProperty({ minLength: 20, maxLength: 2000, example: 'Client in acute crisis at our desk; need contact details of the OCMW worker now' })
  @IsString()
  @MinLength(20)
  @MaxLength(2000)
  @MultilineText()
  justification: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 240, default: 60, description: 'Time box in minutes' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(240)
  minutes?: number;
}

export class BreakGlassReceiptDto {
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true }) categories: string[];
  @ApiProperty() grantedAt: Date;
  @ApiProperty() expiresAt: Date;
}
