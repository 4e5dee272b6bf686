import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config.js';

/** 429 with the seconds to wait, which the problem filter turns into a `Retry-After` header. */
export class TooManySignInAttempts extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ code: 'too-many-sign-in-attempts', retryAfterSeconds }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Brute-force protection for sign-in, counting failures only: per account (consecutive failures,
 * reset by a success) and per client address (failures across all accounts in an hour).
 * rate-limiter-flexible is the well-kept library for exactly this; the in-memory store suits one
 * API process, a PostgreSQL or Redis store is a drop-in when we run several.
 */
@Injectable()
export class LoginThrottle {
  private readonly byAccount: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(@Inject(AUTH_CONFIG) private readonly config: AuthConfig) {
    this.byAccount = new RateLimiterMemory({
      keyPrefix: 'login-account',
      points: config.maxFailuresPerAccount,
      duration: config.blockSeconds,
      blockDuration: config.blockSeconds,
    });
    this.byAddress = new RateLimiterMemory({
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

const accountKey = (email: string) => email.trim().toLowerCase();

function blockedFor(res: RateLimiterRes | null, points: number): number {
  if (!res || res.consumedPoints < points) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
