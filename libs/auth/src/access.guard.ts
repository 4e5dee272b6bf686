import { ForbiddenException, Injectable, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { RequestContext } from '@app/kernel';
import { RateLimits, setRateLimitHeaders } from './throttling/rate-limits.js';
import { IS_PUBLIC, POLICY, type RoutePolicy } from '@app/access';

/**
 * The global guard: deny by default. A route is reachable only when it is marked @Public() or the
 * caller is authenticated and its declared @Policy() allows them. A route with neither is refused
 * (and the route-inventory test fails before it ships).
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimits: RateLimits,
  ) {
    super();
  }

  override async canActivate(execution: ExecutionContext): Promise<boolean> {
    const targets = [execution.getHandler(), execution.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    await super.canActivate(execution);
    const request = execution.switchToHttp().getRequest<{ user: RequestContext; policy?: RoutePolicy }>();
    const ctx = request.user;
    setRateLimitHeaders(execution.switchToHttp().getResponse(), await this.rateLimits.user(ctx.userId));
    const policy = this.reflector.getAllAndOverride<RoutePolicy | undefined>(POLICY, targets);
    request.policy = policy; // for the audit event of a denial
    if (!policy || !ctx.ability.can(policy.action, policy.subject)) {
      throw new ForbiddenException({ code: 'forbidden' });
    }
    return true;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    // An error thrown while checking a valid token (the database is down, say) is not the caller's
    // fault: it goes on to the problem filter (503) instead of becoming a 401 that signs them out.
    if (error) throw error;
    if (!user) throw new UnauthorizedException({ code: 'invalid-token' });
    return user;
  }
}
