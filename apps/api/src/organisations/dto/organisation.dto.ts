import { LANGUAGES, ORGANISATION_KINDS, type Language, type OrganisationKind } from '@app/kernel';
import { IsKboNumber } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { IsNisCode } from '../../http/validators.js';

export class CreateOrganisationDto {
  @ApiProperty({ example: 'OCMW Ranst', minLength: 2, maxLength: 200 })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ORGANISATION_KINDS, example: 'OCMW' })
  @IsIn(ORGANISATION_KINDS)
  kind: OrganisationKind;

  @ApiProperty({ example: '0212.345.678', description: 'KBO enterprise number; dots, spaces and a BE prefix are accepted' })
  @IsString()
  @IsKboNumber()
  kboNumber: string;

  @ApiPropertyOptional({ example: '11037', nullable: true, description: 'NIS municipality code (5 digits)' })
  @IsOptional()
  @IsNisCode()
  nisCode?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Parent organisation, e.g. VDAB for VDAB Antwerpen' })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({
    enum: LANGUAGES,
    description: 'The language its staff are answered in unless they or their browser say otherwise; Dutch when left out',
  })
  @IsOptional()
  @IsIn(LANGUAGES)
  defaultLanguage?: Language;
}

export class UpdateOrganisationDto {
  @ApiPropertyOptional({ minLength: 2, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: '0212.345.678' })
  @IsOptional()
  @IsString()
  @IsKboNumber()
  kboNumber?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null removes it' })
  @IsOptional()
  @IsNisCode()
  nisCode?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'null removes it' })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({ description: 'false deactivates: its users can no longer sign in or use existing tokens' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    enum: LANGUAGES,
    description: 'The language its staff are answered in unless they or their browser say otherwise; Dutch when left out',
  })
  @IsOptional()
  @IsIn(LANGUAGES)
  defaultLanguage?: Language;
}

export class OrganisationDirectoryEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'VDAB Antwerpen' })
  name: string;
  @ApiProperty({ enum: ORGANISATION_KINDS })
  kind: OrganisationKind;
}

export class OrganisationDto extends OrganisationDirectoryEntryDto {
  @ApiProperty({ example: '0212.345.678' })
  kboNumber: string;
  @ApiProperty({ example: '11037', nullable: true, type: String })
  nisCode: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  parentId: string | null;
  @ApiProperty()
  active: boolean;
  @ApiProperty({ enum: LANGUAGES })
  defaultLanguage: Language;
  @ApiProperty({ description: 'Also sent as ETag; send it back in If-Match to update safely' })
  version: number;
  @ApiProperty()
  createdAt: Date;
  @ApiProperty()
  updatedAt: Date;
}
