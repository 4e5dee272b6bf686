import { DATA_CATEGORIES, PURPOSES } from '@app/kernel';
import { IsInsz } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { PageCursor, PageLimit } from '../../http/paging.js';
import { IsCalendarDate, MultilineText } from '../../http/validators.js';

const NOTES = { description: 'Free text for colleagues of the same organisation', maxLength: 4000 };

export class AddressDto {
  @ApiProperty({ example: 'Kerkplein' }) @IsString() @MinLength(1) @MaxLength(120) street: string;
  @ApiProperty({ example: '12A' }) @IsString() @MinLength(1) @MaxLength(12) houseNumber: string;
  @ApiProperty({ example: '2520' }) @Matches(/^\d{4}$/) postalCode: string;
  @ApiProperty({ example: 'Ranst' }) @IsString() @MinLength(1) @MaxLength(80) municipality: string;
}

/** CONTACT: address, phone, email, preferred language. */
export class ContactDto {
  @ApiPropertyOptional({ type: AddressDto }) @IsOptional() @ValidateNested() @Type(() => AddressDto) address?: AddressDto;
  @ApiPropertyOptional({ example: '+32 470 12 34 56' }) @IsOptional() @Matches(/^\+?[0-9 ()/.-]{6,25}$/) phone?: string;
  @ApiPropertyOptional({ example: 'client@example.org' }) @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional({ enum: ['nl', 'fr', 'de', 'en', 'other'] }) @IsOptional() @IsIn(['nl', 'fr', 'de', 'en', 'other']) preferredLanguage?: string;
  @ApiPropertyOptional(NOTES) @IsOptional() @IsString() @MaxLength(4000) @MultilineText() notes?: string;
}

export const EDUCATION_LEVELS = ['NONE', 'PRIMARY', 'LOWER_SECONDARY', 'HIGHER_SECONDARY', 'HIGHER_EDUCATION', 'UNKNOWN'] as const;

export class JobTargetDto {
  @ApiProperty({ example: 'Magazijnmedewerker' }) @IsString() @MinLength(1) @MaxLength(200) occupation: string;
  @ApiPropertyOptional({ description: 'A bottleneck occupation (knelpuntberoep)' }) @IsOptional() @IsBoolean() bottleneckOccupation?: boolean;
}

/** EMPLOYMENT: education, work history, competences, job target. */
export class EmploymentDto {
  @ApiPropertyOptional({ enum: EDUCATION_LEVELS }) @IsOptional() @IsIn(EDUCATION_LEVELS) educationLevel?: string;
  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  workHistory?: string[];
  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(120, { each: true })
  competences?: string[];
  @ApiPropertyOptional({ type: JobTargetDto }) @IsOptional() @ValidateNested() @Type(() => JobTargetDto) jobTarget?: JobTargetDto;
  @ApiPropertyOptional(NOTES) @IsOptional() @IsString() @MaxLength(4000) @MultilineText() notes?: string;
}

export const LANGUAGE_LEVELS = ['A0', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;

/** OBSTACLES: mobility, Dutch language level, childcare. */
export class ObstaclesDto {
  @ApiPropertyOptional({ example: 'No driving licence; bus only' }) @IsOptional() @IsString() @MaxLength(1000) @MultilineText() mobility?: string;
  @ApiPropertyOptional({ enum: LANGUAGE_LEVELS, description: 'Dutch, CEFR level' }) @IsOptional() @IsIn(LANGUAGE_LEVELS) languageLevel?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) @MultilineText() childcare?: string;
  @ApiPropertyOptional(NOTES) @IsOptional() @IsString() @MaxLength(4000) @MultilineText() notes?: string;
}

export const INCOME_SITUATIONS = ['LEEFLOON', 'EQUIVALENT_LEEFLOON', 'UNEMPLOYMENT_BENEFIT', 'SICKNESS_BENEFIT', 'WAGE', 'NONE', 'OTHER'] as const;

/** WELFARE, the confidential section: shared only under the client's explicit consent for it. */
export class WelfareDto {
  @ApiPropertyOptional({ enum: INCOME_SITUATIONS }) @IsOptional() @IsIn(INCOME_SITUATIONS) incomeSituation?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) @MultilineText() welfareNotes?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) @MultilineText() healthNotes?: string;
  @ApiPropertyOptional(NOTES) @IsOptional() @IsString() @MaxLength(4000) @MultilineText() notes?: string;
}

export class CreateClientDto {
  @ApiProperty({ example: '85.07.30-033.28', description: 'INSZ / national register number; dots, dash and spaces are accepted' })
  @IsString()
  @IsInsz()
  insz: string;

  @ApiProperty({ example: 'Lena', maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) firstName: string;
  @ApiProperty({ example: 'Peeters', maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) lastName: string;
  @ApiProperty({ example: '1985-07-30', description: 'Must match the date the INSZ encodes' }) @IsCalendarDate() birthDate: string;

  @ApiPropertyOptional({ type: ContactDto }) @IsOptional() @ValidateNested() @Type(() => ContactDto) contact?: ContactDto;
  @ApiPropertyOptional({ type: EmploymentDto }) @IsOptional() @ValidateNested() @Type(() => EmploymentDto) employment?: EmploymentDto;
  @ApiPropertyOptional({ type: ObstaclesDto }) @IsOptional() @ValidateNested() @Type(() => ObstaclesDto) obstacles?: ObstaclesDto;
  @ApiPropertyOptional({ type: WelfareDto }) @IsOptional() @ValidateNested() @Type(() => WelfareDto) welfare?: WelfareDto;
}

/** A JSON Merge Patch of the file: a section's fields are merged (null removes one); a section sent as null is removed. The INSZ cannot change. */
export class UpdateClientDto {
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) firstName?: string;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) lastName?: string;
  @ApiPropertyOptional({ example: '1985-07-30' }) @IsOptional() @IsCalendarDate() birthDate?: string;
  @ApiPropertyOptional({ type: ContactDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => ContactDto) contact?: ContactDto | null;
  @ApiPropertyOptional({ type: EmploymentDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmploymentDto)
  employment?: EmploymentDto | null;
  @ApiPropertyOptional({ type: ObstaclesDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => ObstaclesDto) obstacles?: ObstaclesDto | null;
  @ApiPropertyOptional({ type: WelfareDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => WelfareDto) welfare?: WelfareDto | null;
}

export class ClientQueryDto {
  @ApiPropertyOptional({
    description: 'An INSZ, or words of the name in any order ("samira", "haddou samira"): parts of name words, accents, case and small typos ignored',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  search?: string;

  @PageCursor()
  cursor?: string;

  @PageLimit()
  limit?: number;
}

export class ClientIdentityDto {
  @ApiProperty({ example: '85073003328' }) insz: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ example: '1985-07-30' }) birthDate: string;
}

class FileSectionsDto {
  @ApiPropertyOptional({ type: ClientIdentityDto }) identity?: ClientIdentityDto;
  @ApiPropertyOptional({ type: ContactDto }) contact?: ContactDto;
  @ApiPropertyOptional({ type: EmploymentDto }) employment?: EmploymentDto;
  @ApiPropertyOptional({ type: Object, description: 'Filled by trajectories and handovers' }) trajectory?: Record<string, unknown>;
  @ApiPropertyOptional({ type: ObstaclesDto }) obstacles?: ObstaclesDto;
  @ApiPropertyOptional({ type: WelfareDto }) welfare?: WelfareDto;
}

export class OwnFileDto extends FileSectionsDto {
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ description: 'Also sent as ETag; send it back in If-Match to update safely' }) version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class SharedFileDto extends FileSectionsDto {
  @ApiProperty({ format: 'uuid', description: 'The organisation whose file these sections come from' }) organisationId: string;
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true, description: 'Categories of this file the sharing rule does not open to you' })
  withheld: string[];
}

export class ClientViewDto {
  @ApiProperty({ format: 'uuid', description: "The person's id, the same in every organisation" }) id: string;
  @ApiProperty({ enum: PURPOSES, nullable: true, type: String }) purpose: string | null;
  @ApiProperty({ type: OwnFileDto, nullable: true }) ownFile: OwnFileDto | null;
  @ApiProperty({ type: [SharedFileDto] }) shared: SharedFileDto[];
}

export class RegisteredClientDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: OwnFileDto }) ownFile: OwnFileDto;
}

class ClientNameDto {
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty() birthDate: string;
  @ApiProperty({ format: 'uuid' }) sourceOrganisationId: string;
}

export class ClientListItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() ownFile: boolean;
  @ApiProperty({ type: ClientNameDto, nullable: true }) name: ClientNameDto | null;
}

export class ClientPageDto {
  @ApiProperty({ type: [ClientListItemDto] }) items: ClientListItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
