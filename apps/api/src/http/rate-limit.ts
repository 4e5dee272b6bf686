import { setRateLimitHeaders, type RateLimits } from '@app/auth';
import type { onRequestAsyncHookHandler } from 'fastify';
import { sendProblem, toProblem } from './problem.js';

/** Paths a load balancer or a reader of the docs calls often; they do no work worth limiting. */
export const UNLIMITED = /^\/(health\/|docs)/;

/**
 * Requests per minute per client address, before authentication or body parsing (an onRequest hook),
 * so a flood from one address is refused cheaply (429 with Retry-After). Behind a proxy, TRUST_PROXY
 * makes this the caller's address instead of the proxy's.
 */
export function addressRateLimit(limits: RateLimits): onRequestAsyncHookHandler {
  return async (request, reply) => {
    if (UNLIMITED.test(request.url.split('?')[0])) return;
    try {
      setRateLimitHeaders(reply, await limits.address(request.ip ?? 'unknown'));
    } catch (error) {
      sendProblem(request, reply, toProblem(error));
      return reply;
    }
  };
}
