import { setRateLimitHeaders, type RateLimits } from '@app/auth';
import type { NextFunction, Request, Response } from 'express';
import { sendProblem, toProblem } from './problem.js';

/** Paths a load balancer or a reader of the docs calls often; they do no work worth limiting. */
export const UNLIMITED = /^\/(health\/|docs)/;

/**
 * Requests per minute per client address, before authentication or body parsing, so a flood from one
 * address is refused cheaply (429 with Retry-After). Behind a proxy, TRUST_PROXY makes this the caller's
 * address instead of the proxy's.
 */
export function addressRateLimit(limits: RateLimits) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (UNLIMITED.test(request.path)) return next();
    limits.address(request.ip ?? 'unknown').then(
      (state) => {
        setRateLimitHeaders(response, state);
        next();
      },
      (error: unknown) => sendProblem(request, response, toProblem(error)),
    );
  };
}
