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
  /** Consecutive failed sign-ins for one account before it is blocked. */
  maxFailuresPerAccount: number;
  /** Failed sign-ins from one client address (any account) per hour before it is blocked. */
  maxFailuresPerAddress: number;
  /** How long a block lasts, in seconds. */
  blockSeconds: number;
  /** Requests per minute per signed-in user and per client address; CSV exports per user per hour. */
  rateLimits: { perUserPerMinute: number; perAddressPerMinute: number; exportsPerUserPerHour: number };
}

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
