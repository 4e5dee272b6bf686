import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AUTH_CONFIG, type AuthConfig } from './auth.config.js';
import { AuthService } from './authentication/auth.service.js';
import { IdentityRepository } from './authentication/identity.repository.js';
import { JwtStrategy } from './authentication/jwt.strategy.js';
import { LocalStrategy } from './authentication/local.strategy.js';
import { LoginThrottle } from './authentication/login-throttle.js';
import { PasswordHasher } from './authentication/password-hasher.js';
import { TokenService } from './authentication/token.service.js';
import { RequestTransaction } from '@app/kernel';
import { RateLimits } from './throttling/rate-limits.js';
import { AccessGuard } from './access.guard.js';

@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [PassportModule, JwtModule.register({})],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: AccessGuard },
        AuthService,
        IdentityRepository,
        JwtStrategy,
        LocalStrategy,
        LoginThrottle,
        PasswordHasher,
        RateLimits,
        RequestTransaction,
        TokenService,
      ],
      exports: [AuthService, PasswordHasher, RateLimits, RequestTransaction],
    };
  }
}
