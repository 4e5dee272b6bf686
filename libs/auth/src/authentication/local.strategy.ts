import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { AuthService, type SignedInUser } from './auth.service.js';

/** Email + password sign-in; the throttle and the password check live in AuthService. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(request: Request & { id?: unknown }, email: string, password: string): Promise<SignedInUser> {
    return this.auth.verifyCredentials(email, password, {
      clientAddress: request.ip ?? 'unknown',
      userAgent: request.get('user-agent'),
      requestId: request.id === undefined ? undefined : String(request.id),
    });
  }
}
