import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'social.worker@ocmw-ranst.demo' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Demo-Partner-2026' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from the last sign-in or refresh; it can be used once' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  refreshToken: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'JWT for the Authorization: Bearer header; carries identity only' })
  accessToken: string;
  @ApiProperty({ description: 'Opaque, single use: each refresh returns a new one' })
  refreshToken: string;
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn: number;
}

/** What the browser sign-in and refresh answer: the refresh token travels in the HttpOnly cookie only. */
export class AccessTokenDto {
  @ApiProperty({ description: 'JWT for the Authorization: Bearer header; keep it in memory only', maxLength: 2048 })
  accessToken: string;
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires: refresh before then' })
  expiresIn: number;
}
