import { InvalidInput } from '@app/kernel';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { InvalidCredentials } from '@app/auth';
import { flattenValidationErrors } from '../http/validation.js';
import { LoginDto } from './dto/auth.dto.js';

/** Validates the sign-in body (so a missing field is a 400 naming it), then runs the passport local strategy. */
@Injectable()
export class LoginGuard extends AuthGuard('local') {
  override async canActivate(execution: ExecutionContext): Promise<boolean> {
    const body = execution.switchToHttp().getRequest<{ body: unknown }>().body ?? {};
    const errors = await validate(plainToInstance(LoginDto, body), { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
    if (errors.length > 0) throw new InvalidInput(flattenValidationErrors(errors));
    return (await super.canActivate(execution)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error;
    if (!user) throw new InvalidCredentials();
    return user;
  }
}
