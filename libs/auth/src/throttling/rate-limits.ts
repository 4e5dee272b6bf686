import { HttpException, HttpStatus, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config.js';
import { WindowLimiter } from './window-limiter.js';

/** 429 with the seconds to wait; the problem filter turns it into a `Retry-After` header. */
export class TooManyRequests extends HttpException {
  /** `rateLimit`: the limit that was reached, told in the RateLimit-* headers of the 429. */
  constructor(
    readonly retryAfterSeconds: number,
    code = 'too-many-requests',
    rateLimit?: number,
  ) {
    super({ code, retryAfterSeconds, rateLimit }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * A limiter whose counts live in PostgreSQL (table `rate_limit`), so every API process shares them: a
 * client spreading requests over two instances gets the same limit. A key over its limit is also
 * blocked in this process's memory until its window ends, so a flood costs no database round trips
 * (`inMemoryBlock: false` turns that off, for limiters whose keys are cleared or re-timed on purpose).
 * If the database cannot be asked, an in-memory limiter with the same limits stands in (fail safe,
 * per process) rather than letting every request through or refusing all of them.
 */
export function sharedLimiter(
  dataSource: DataSource,
  { inMemoryBlock = true, ...options }: { keyPrefix: string; points: number; duration: number; blockDuration?: number; inMemoryBlock?: boolean },
): RateLimiterPostgres {
  const pool = (dataSource.driver as unknown as { master: unknown }).master;
  return new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: 'rate_limit',
    tableCreated: true,
    clearExpiredByTimeout: true,
    ...(inMemoryBlock ? { inMemoryBlockOnConsumed: options.points + 1, inMemoryBlockDuration: options.blockDuration ?? options.duration } : {}),
    insuranceLimiter: new RateLimiterMemory({ ...options }),
    ...options,
  });
}

/** Where a caller stands in one limit, as the RateLimit-* response headers tell it. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** seconds until the window starts afresh */
  resetSeconds: number;
}

/** Consumes one point; a refusal becomes a 429 with Retry-After, a store failure is rethrown. */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string, code?: string): Promise<RateLimitState> {
  try {
    const result = await limiter.consume(key);
    return { limit: limiter.points, remaining: result.remainingPoints, resetSeconds: Math.max(0, Math.ceil(result.msBeforeNext / 1000)) };
  } catch (result) {
    if (result instanceof RateLimiterRes) throw new TooManyRequests(Math.max(1, Math.ceil(result.msBeforeNext / 1000)), code, limiter.points);
    throw result;
  }
}

/**
 * The RateLimit-Limit / -Remaining / -Reset headers (IETF draft "RateLimit header fields for HTTP"),
 * so a client can pace itself; the tighter of the limits that apply is the one told.
 */
export function setRateLimitHeaders(reply: { getHeader(name: string): unknown; header(name: string, value: string): unknown }, state: RateLimitState): void {
  const told = Number(reply.getHeader('RateLimit-Remaining'));
  if (Number.isFinite(told) && told <= state.remaining) return;
  reply.header('RateLimit-Limit', String(state.limit));
  reply.header('RateLimit-Remaining', String(state.remaining));
  reply.header('RateLimit-Reset', String(state.resetSeconds));
}

/**
 * OWASP API4 (unrestricted resource consumption): requests per minute per client address (before
 * authentication) and per signed-in user, and CSV exports per user per hour.
 */
@Injectable()
export class RateLimits implements OnApplicationShutdown {
  // per request: counted in memory, reconciled through PostgreSQL (no database round trip per request)
  private readonly byAddress: WindowLimiter;
  private readonly byUser: WindowLimiter;
  // a few an hour: counted in PostgreSQL on each export
  private readonly exports: RateLimiterPostgres;

  constructor(@InjectDataSource() dataSource: DataSource, @Inject(AUTH_CONFIG) config: AuthConfig) {
    const syncMs = config.rateLimits.syncMs ?? 250;
    this.byAddress = new WindowLimiter(dataSource, 'address', config.rateLimits.perAddressPerMinute, 60, syncMs);
    this.byUser = new WindowLimiter(dataSource, 'user', config.rateLimits.perUserPerMinute, 60, syncMs);
    this.exports = sharedLimiter(dataSource, { keyPrefix: 'export', points: config.rateLimits.exportsPerUserPerHour, duration: 3600 });
  }

  async address(address: string): Promise<RateLimitState> {
    return decide(this.byAddress, address);
  }

  async user(userId: string): Promise<RateLimitState> {
    return decide(this.byUser, userId);
  }

  /** Adds this process's counts to the shared ones now (tests; shutdown). */
  async sync(): Promise<void> {
    await Promise.all([this.byAddress.sync(), this.byUser.sync()]);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.byAddress.stop(), this.byUser.stop()]);
  }

  async export(userId: string): Promise<void> {
    await consumeOrRefuse(this.exports, userId, 'too-many-exports');
  }
}

/** One request of `key`: its RateLimit state, or a 429 with the seconds until the window ends. */
function decide(limiter: WindowLimiter, key: string): RateLimitState {
  const decision = limiter.consume(key);
  const resetSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
  if (!decision.allowed) throw new TooManyRequests(resetSeconds, undefined, limiter.points);
  return { limit: limiter.points, remaining: decision.remaining, resetSeconds };
}
