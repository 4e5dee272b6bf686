import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RateLimiterRes, type RateLimiterPostgres } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config.js';
import { sharedLimiter } from '../throttling/rate-limits.js';

/** 429 with the seconds to wait, which the problem filter turns into a `Retry-After` header. */
export class TooManySignInAttempts extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ code: 'too-many-sign-in-attempts', retryAfterSeconds }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** How long failed attempts of one account from one address are remembered (from the first one). */
export const ACCOUNT_ADDRESS_MEMORY_SECONDS = 24 * 3600;
/** How long failed attempts from one address are remembered (from the first one). */
export const ADDRESS_MEMORY_SECONDS = 3600;

/** One way of counting attempts: per account and address, or per address. */
interface Dimension {
  key: string;
  /** attempts not yet followed by a success (the attempt under way included) */
  counter: RateLimiterPostgres;
  /** while its row lives, the next attempt waits; one row per key, so only one attempt gets through */
  gate: RateLimiterPostgres;
  free: number;
}

/** An admitted sign-in attempt, handed back to `recordFailure` or `recordSuccess`. */
export interface SignInAttempt {
  readonly dimensions: ReadonlyArray<{ dimension: Dimension; count: number }>;
}

/**
 * Brute-force protection for sign-in that cannot be turned into a lock-out: there is no per-account
 * block that anyone who knows an e-mail address could trigger. Attempts are counted per account and
 * client address, and per client address (any account). Up to `free` failures pass at once; after
 * that each further attempt must wait `delayBaseSeconds`, doubling with every failure up to
 * `delayMaxSeconds`, counted from the last failure. An attempt during the wait is refused with 429 and
 * Retry-After before the password is checked, and does not lengthen the wait. A success resets its
 * account and address; a right password from an address with no failures signs in at once whatever
 * another address is doing to the account.
 *
 * The counts live in PostgreSQL (rate-limiter-flexible's store), so they hold across API processes.
 * Attempts are counted when they start, atomically, and past the free ones a single row per key
 * admits one attempt per wait: a burst of parallel guesses gets no further than sequential ones.
 */
@Injectable()
export class LoginThrottle {
  private readonly accountAddress: { counter: RateLimiterPostgres; gate: RateLimiterPostgres };
  private readonly address: { counter: RateLimiterPostgres; gate: RateLimiterPostgres };

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @InjectDataSource() dataSource: DataSource,
  ) {
    // In-memory blocking off: a wait ends, or a success clears it, for every process at the same moment.
    const limiter = (keyPrefix: string, points: number, duration: number) => sharedLimiter(dataSource, { keyPrefix, points, duration, inMemoryBlock: false });
    this.accountAddress = {
      counter: limiter('login-account-address', Number.MAX_SAFE_INTEGER, ACCOUNT_ADDRESS_MEMORY_SECONDS),
      gate: limiter('login-account-address-wait', 1, config.delayMaxSeconds),
    };
    this.address = {
      counter: limiter('login-address', Number.MAX_SAFE_INTEGER, ADDRESS_MEMORY_SECONDS),
      gate: limiter('login-address-wait', 1, config.delayMaxSeconds),
    };
  }

  /**
   * Counts an attempt before the password is checked; throws 429 (with the seconds to wait) when the
   * account and address, or the address, must wait first. Such a refusal is not counted.
   */
  async admit(email: string, address: string): Promise<SignInAttempt> {
    const dimensions: Dimension[] = [
      { key: accountAddressKey(email, address), ...this.accountAddress, free: this.config.freeFailuresPerAccountAddress },
      { key: address, ...this.address, free: this.config.freeFailuresPerAddress },
    ];
    const counts = await Promise.all(dimensions.map((d) => d.counter.penalty(d.key, 1).then((res) => res.consumedPoints)));
    const gated = dimensions.map((dimension, i) => ({ dimension, count: counts[i] })).filter(({ dimension, count }) => count > dimension.free);
    const outcomes = await Promise.allSettled(
      // The row lives as long as the wait the previous failure set; it holds back parallel attempts meanwhile.
      gated.map(({ dimension, count }) => dimension.gate.consume(dimension.key, 1, { customDuration: this.waitSeconds(count - 1 - dimension.free) })),
    );
    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    if (refusals.length > 0) {
      const passed = gated.filter((_, i) => outcomes[i].status === 'fulfilled');
      await Promise.all([...dimensions.map((d) => d.counter.reward(d.key, 1)), ...passed.map(({ dimension }) => dimension.gate.delete(dimension.key))]);
      const other = refusals.find((reason) => !(reason instanceof RateLimiterRes));
      if (other) throw other;
      const wait = Math.max(...refusals.map((res: RateLimiterRes) => Math.ceil(res.msBeforeNext / 1000)));
      throw new TooManySignInAttempts(Math.max(1, wait));
    }
    return { dimensions: dimensions.map((dimension, i) => ({ dimension, count: counts[i] })) };
  }

  /** A wrong password (or an unknown or inactive account): past the free failures, the next attempt waits. */
  async recordFailure(attempt: SignInAttempt): Promise<void> {
    await Promise.all(
      attempt.dimensions
        .filter(({ dimension, count }) => count >= dimension.free)
        .map(({ dimension, count }) => dimension.gate.set(dimension.key, 1, this.waitSeconds(count - dimension.free))),
    );
  }

  /**
   * A success starts the account and address over, and is taken off the address's count (which counts
   * failures, and attempts under way). The address's earlier failures stay: one good account must not
   * clear them.
   */
  async recordSuccess(attempt: SignInAttempt): Promise<void> {
    const [accountAddress, address] = attempt.dimensions.map(({ dimension }) => dimension);
    await Promise.all([
      accountAddress.counter.delete(accountAddress.key),
      accountAddress.gate.delete(accountAddress.key),
      address.counter.reward(address.key, 1),
    ]);
  }

  /** The wait after the n-th failure beyond the free ones (n from 0): base * 2^n, capped. */
  waitSeconds(n: number): number {
    return Math.min(this.config.delayMaxSeconds, this.config.delayBaseSeconds * 2 ** Math.min(Math.max(n, 0), 30));
  }
}

/** The account and address as a key in the shared counter table: the e-mail hashed, so no staff address is stored there. */
const accountAddressKey = (email: string, address: string) =>
  `${createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('base64url')}@${address}`;
