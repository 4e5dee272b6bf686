import { CERTIFICATION_KINDS, ROLES, type CertificationKind, type Role } from '@app/auth';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
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
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '../../http/validators.js';

export class CertificationDto {
  @ApiProperty({ enum: CERTIFICATION_KINDS })
  @IsIn(CERTIFICATION_KINDS)
  kind: CertificationKind;

  @ApiProperty({ example: '2026-02-01', format: 'date' })
  @IsCalendarDate()
  obtainedOn: string;

  @ApiProperty({ example: '2028-02-01', format: 'date' })
  @IsCalendarDate()
  expiresOn: string;
}

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

  @ApiPropertyOptional({ type: [CertificationDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CertificationDto)
  certifications?: CertificationDto[];
}

export class UpdateUserDto {
  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  displayName?: string;

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

  @ApiPropertyOptional({ type: [CertificationDto], description: 'Replaces all certifications' })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CertificationDto)
  certifications?: CertificationDto[];
}

export class CertificationViewDto extends CertificationDto {
  @ApiProperty({ description: 'Not expired today (Europe/Brussels)' })
  valid: boolean;
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
