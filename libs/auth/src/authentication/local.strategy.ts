import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { AuthService, type SignedInUser } from './auth.service.js';
import { headerOf, type HttpRequest } from './http-request.js';

/** Email + password sign-in; the throttle and the password check live in AuthService. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(request: HttpRequest, email: string, password: string): Promise<SignedInUser> {
    return this.auth.verifyCredentials(email, password, {
      clientAddress: request.ip ?? 'unknown',
      userAgent: headerOf(request, 'user-agent'),
      requestId: request.id === undefined ? undefined : String(request.id),
    });
  }
}
