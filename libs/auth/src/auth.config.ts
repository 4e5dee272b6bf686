/** Settings the authentication layer needs; the API app fills them from validated configuration. */
export interface AuthConfig {
  /** HS256 signing secret for access tokens (at least 32 characters). */
  jwtSecret: string;
  jwtIssuer: string;
  jwtAudience: string;
  /** Access-token lifetime in seconds (short: roles are re-read every request anyway). */
  accessTokenTtlSeconds: number;
  /** Absolute lifetime of a sign-in session; refresh tokens rotate inside it. */
  sessionTtlSeconds: number;
  /** Failed sign-ins of one account from one client address before each further attempt waits. */
  freeFailuresPerAccountAddress: number;
  /** Failed sign-ins from one client address (any account) in an hour before each further attempt waits. */
  freeFailuresPerAddress: number;
  /** The first wait after the free failures, in seconds; it doubles with every further failure. */
  delayBaseSeconds: number;
  /** The longest wait, in seconds. */
  delayMaxSeconds: number;
  /**
   * Requests per minute per signed-in user and per client address (counted in memory, reconciled with
   * the other processes every `syncMs`); CSV and PDF exports per user per hour.
   */
  rateLimits: { perUserPerMinute: number; perAddressPerMinute: number; exportsPerUserPerHour: number; syncMs?: number };
}

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
