import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config.js';
import { sharedLimiter } from '../throttling/rate-limits.js';

/** 429 with the seconds to wait, which the problem filter turns into a `Retry-After` header. */
export class TooManySignInAttempts extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ code: 'too-many-sign-in-attempts', retryAfterSeconds }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Brute-force protection for sign-in, counting failures only: per account (consecutive failures,
 * reset by a success) and per client address (failures across all accounts in an hour).
 * rate-limiter-flexible is the well-kept library for exactly this; its PostgreSQL store keeps the
 * counts in the database, so a block holds across every API process.
 */
@Injectable()
export class LoginThrottle {
  private readonly byAccount: RateLimiterPostgres;
  private readonly byAddress: RateLimiterPostgres;

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.byAccount = sharedLimiter(dataSource, {
      keyPrefix: 'login-account',
      points: config.maxFailuresPerAccount,
      duration: config.blockSeconds,
      blockDuration: config.blockSeconds,
    });
    this.byAddress = sharedLimiter(dataSource, {
      keyPrefix: 'login-address',
      points: config.maxFailuresPerAddress,
      duration: 3600,
      blockDuration: config.blockSeconds,
    });
  }

  /** Throws 429 when the account or the address is blocked; call before checking the password. */
  async assertAllowed(email: string, address: string): Promise<void> {
    const [account, addr] = await Promise.all([this.byAccount.get(accountKey(email)), this.byAddress.get(address)]);
    const waits = [
      blockedFor(account, this.config.maxFailuresPerAccount),
      blockedFor(addr, this.config.maxFailuresPerAddress),
    ];
    const wait = Math.max(...waits);
    if (wait > 0) throw new TooManySignInAttempts(wait);
  }

  /** Counts a failure; throws 429 when this failure reaches a limit. */
  async recordFailure(email: string, address: string): Promise<void> {
    const results = await Promise.all([
      this.byAccount.consume(accountKey(email)).catch((res: RateLimiterRes) => res),
      this.byAddress.consume(address).catch((res: RateLimiterRes) => res),
    ]);
    const reached = results.some((res) => res.remainingPoints <= 0);
    if (reached) {
      await Promise.all([
        results[0].remainingPoints <= 0 ? this.byAccount.block(accountKey(email), this.config.blockSeconds) : null,
        results[1].remainingPoints <= 0 ? this.byAddress.block(address, this.config.blockSeconds) : null,
      ]);
      throw new TooManySignInAttempts(this.config.blockSeconds);
    }
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byAccount.delete(accountKey(email));
  }
}

/** The account's key in the shared counter table: a hash, so no staff e-mail address is stored there. */
const accountKey = (email: string) => createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('base64url');

function blockedFor(res: RateLimiterRes | null, points: number): number {
  if (!res || res.consumedPoints < points) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
