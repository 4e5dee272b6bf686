import { CERTIFICATION_KINDS, ROLES, type CertificationKind, type Role } from '@app/kernel';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsCalendarDate } from '../../http/validators.js';

/** A Belgian or international phone number as people write it. */
const WORK_PHONE = /^\+?[0-9 ()/.-]{6,25}$/;

/** The dates of a certification VDAB records or renews. */
export class RecordCertificationDto {
  @ApiProperty({ example: '2026-02-01', format: 'date', maxLength: 10, description: 'The day the training was completed; not after today' })
  @IsCalendarDate()
  obtainedOn: string;

  @ApiProperty({ example: '2028-02-01', format: 'date', maxLength: 10, description: 'The last day the certification is valid; after obtainedOn' })
  @IsCalendarDate()
  expiresOn: string;
}

const CERTIFICATIONS_REFUSED =
  'No longer accepted: partner-portal certifications are recorded by VDAB (PUT /users/{id}/certifications/{kind}). ' +
  'Sent at all, it is a 400 with code certifications-recorded-by-vdab.';

const PASSWORD_RULE = 'At least 12 characters (a passphrase is fine); at most 128.';

export class CreateUserDto {
  @ApiProperty({ example: 'an.social@ocmw-ranst.demo' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'An Janssens', maxLength: 120 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  displayName: string;

  @ApiPropertyOptional({ example: '+32 3 470 12 34', maxLength: 25, description: 'Work phone, shown on the contact card partners see' })
  @IsOptional()
  @MaxLength(25)
  @Matches(WORK_PHONE)
  workPhone?: string;

  @ApiProperty({ description: `Initial password. ${PASSWORD_RULE}`, minLength: 12, maxLength: 128 })
  @IsString()
  @MinLength(12)
  @MaxLength(128)
  password: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['SOCIAL_WORKER'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional({ deprecated: true, description: CERTIFICATIONS_REFUSED })
  @IsOptional()
  certifications?: unknown;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  displayName?: string;

  @ApiPropertyOptional({ example: '+32 3 470 12 34', nullable: true, type: String, maxLength: 25, description: 'Work phone; null removes it' })
  @IsOptional()
  @MaxLength(25)
  @Matches(WORK_PHONE)
  workPhone?: string | null;

  @ApiPropertyOptional({ enum: ROLES, isArray: true, description: 'Replaces all roles' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ description: 'false deactivates the account: its tokens stop working on the next request' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: `Sets a new password and signs the user out everywhere. ${PASSWORD_RULE}` })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(128)
  password?: string;

  @ApiPropertyOptional({ deprecated: true, description: CERTIFICATIONS_REFUSED })
  @IsOptional()
  certifications?: unknown;
}

export class CertificationViewDto {
  @ApiProperty({ enum: CERTIFICATION_KINDS })
  kind: CertificationKind;
  @ApiProperty({ example: '2026-02-01', format: 'date', maxLength: 10 })
  obtainedOn: string;
  @ApiProperty({ example: '2028-02-01', format: 'date', maxLength: 10 })
  expiresOn: string;
  @ApiProperty({ description: 'Not expired today (Europe/Brussels)' })
  valid: boolean;
  @ApiProperty({
    format: 'uuid',
    maxLength: 36,
    nullable: true,
    type: String,
    description: 'The VDAB organisation that recorded it (null: recorded before recorders were kept)',
  })
  recordedByOrganisationId: string | null;
  @ApiProperty({ format: 'uuid', maxLength: 36, nullable: true, type: String, description: 'The VDAB admin who recorded it' })
  recordedByUserId: string | null;
  @ApiProperty({ format: 'date-time', maxLength: 40, nullable: true, type: String })
  recordedAt: string | null;
}

/** A certification as answered to the VDAB admin who records it: the account's id, nothing else about it. */
export class UserCertificationDto extends CertificationViewDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 })
  userId: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  organisationId: string;
  @ApiProperty()
  email: string;
  @ApiProperty()
  displayName: string;
  @ApiProperty({ nullable: true, type: String, maxLength: 25 })
  workPhone: string | null;
  @ApiProperty()
  active: boolean;
  @ApiProperty({ enum: ROLES, isArray: true })
  roles: Role[];
  @ApiProperty({ type: [CertificationViewDto] })
  certifications: CertificationViewDto[];
  @ApiProperty({ nullable: true, type: Date })
  lastSignInAt: Date | null;
  @ApiProperty()
  version: number;
  @ApiProperty()
  createdAt: Date;
  @ApiProperty()
  updatedAt: Date;
}

/** Who to call: a case worker's work contact, as colleagues and agreement partners see it. */
export class StaffCardDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) id: string;
  @ApiProperty({ format: 'uuid', maxLength: 36 }) organisationId: string;
  @ApiProperty({ maxLength: 200 }) organisationName: string;
  @ApiProperty({ maxLength: 120 }) displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true, maxItems: ROLES.length }) roles: Role[];
  @ApiProperty({ maxLength: 254, nullable: true, type: String, description: 'null on the records of a colleague who left' }) email: string | null;
  @ApiProperty({ nullable: true, type: String, maxLength: 25 }) workPhone: string | null;
}
