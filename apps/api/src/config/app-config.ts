import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AuditConfig } from '@app/audit';
import type { AuthConfig } from '@app/auth';
import type { DigestConfig } from '../notifications/daily-digest.js';

export interface AppConfig {
  production: boolean;
  port: number;
  host: string;
  /** undefined: start the embedded PostgreSQL */
  databaseUrl?: string;
  embedded: { port: number; dataDir: string };
  /** the request pool: size, how long a request waits for a connection, the longest statement */
  database: { poolSize: number; connectionWaitMs: number; statementTimeoutMs: number };
  seedDemo: boolean;
  corsOrigins: string[];
  trustProxy: boolean | number | string;
  logLevel: string;
  auth: AuthConfig;
  audit: AuditConfig;
  /** seconds between runs of the referral expiry job (0: off) */
  referralExpirySeconds: number;
  referralCountFoldSeconds: number;
  /** seconds between refreshes of the indicators' maintained aggregates (0: off; tests refresh themselves) */
  indicatorRefreshSeconds: number;
  /** seconds between outbox dispatches into notifications (0: off) */
  notificationDispatchSeconds: number;
  /** the daily e-mail digest; without an SMTP URL no e-mail is sent */
  digest: DigestConfig & { pollSeconds: number };
  /** seconds between runs of the retention job (0: off; daily by default) */
  retentionRunSeconds: number;
  /** the built web app served under /app/ (`dist/web`, from `npm run build`); it may be missing */
  webRoot: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads and validates the environment once, at start. Every problem is reported together, so an
 * operator fixes the deployment in one go. In production nothing security-relevant has a default.
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!['true', 'false', '1', '0'].includes(raw)) problems.push(`${name} must be true or false (got "${raw}")`);
    return raw === 'true' || raw === '1';
  };

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  if (production && !databaseUrl) problems.push('DATABASE_URL is required when NODE_ENV=production (the embedded database is for development)');

  let jwtSecret = env.JWT_SECRET;
  if (jwtSecret !== undefined && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  if (!jwtSecret) {
    if (production) problems.push('JWT_SECRET is required when NODE_ENV=production (at least 32 random characters)');
    else jwtSecret = developmentSecret(resolve(cwd, '.data/jwt-secret'));
  }

  let signingKeyPem = env.AUDIT_SIGNING_KEY?.replace(/\\n/g, '\n');
  if (signingKeyPem !== undefined && !signingKeyPem.includes('PRIVATE KEY')) problems.push('AUDIT_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM');
  if (!signingKeyPem) {
    if (production) problems.push('AUDIT_SIGNING_KEY is required when NODE_ENV=production (an Ed25519 private key, PKCS#8 PEM)');
    else signingKeyPem = developmentSigningKey(resolve(cwd, '.data/audit-signing-key.pem'));
  }

  const seedDemo = bool('SEED_DEMO', !production);
  if (production && seedDemo) problems.push('SEED_DEMO must not be enabled when NODE_ENV=production: demo accounts share a public password');

  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const trustProxyRaw = env.TRUST_PROXY;
  const trustProxy =
    trustProxyRaw === undefined || trustProxyRaw === '' || trustProxyRaw === 'false'
      ? false
      : trustProxyRaw === 'true'
        ? true
        : /^\d+$/.test(trustProxyRaw)
          ? Number(trustProxyRaw)
          : trustProxyRaw;

  // The hard sign-in lock is gone (anyone who knew an e-mail address could lock its account out); say so
  // rather than ignore a setting an operator believes protects them.
  for (const retired of ['LOGIN_MAX_FAILURES_PER_ACCOUNT', 'LOGIN_MAX_FAILURES_PER_ADDRESS', 'LOGIN_BLOCK_SECONDS']) {
    if (env[retired] !== undefined && env[retired] !== '') {
      problems.push(
        `${retired} is no longer used: failed sign-ins now delay further attempts instead of blocking them ` +
          '(LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS, LOGIN_FREE_FAILURES_PER_ADDRESS, LOGIN_DELAY_BASE_SECONDS, LOGIN_DELAY_MAX_SECONDS)',
      );
    }
  }

  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
  const publicUrl = env.PUBLIC_URL || undefined;
  if (publicUrl && !/^https?:\/\/[^\s]+$/.test(publicUrl)) problems.push('PUBLIC_URL must be the http(s):// address users reach the service at');
  if (production && smtpUrl && !publicUrl) problems.push('PUBLIC_URL is required with SMTP_URL when NODE_ENV=production (the links in the e-mails)');

  const config: AppConfig = {
    production,
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl,
    embedded: {
      port: int('EMBEDDED_PG_PORT', 54320, 1024, 65535),
      dataDir: resolve(cwd, env.EMBEDDED_PG_DATA_DIR || '.data/postgres'),
    },
    database: {
      poolSize: int('DB_POOL_SIZE', 10, 1, 200),
      connectionWaitMs: int('DB_POOL_WAIT_MS', 2000, 100, 60_000),
      statementTimeoutMs: int('DB_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
    },
    seedDemo,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    trustProxy,
    logLevel,
    auth: {
      jwtSecret: jwtSecret ?? '',
      jwtIssuer: env.JWT_ISSUER || 'casework',
      jwtAudience: env.JWT_AUDIENCE || 'casework-api',
      accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 900, 60, 3600),
      sessionTtlSeconds: int('SESSION_TTL_SECONDS', 12 * 3600, 300, 30 * 24 * 3600),
      freeFailuresPerAccountAddress: int('LOGIN_FREE_FAILURES_PER_ACCOUNT_ADDRESS', 5, 1, 1000),
      freeFailuresPerAddress: int('LOGIN_FREE_FAILURES_PER_ADDRESS', 100, 10, 100_000),
      delayBaseSeconds: int('LOGIN_DELAY_BASE_SECONDS', 1, 1, 3600),
      delayMaxSeconds: int('LOGIN_DELAY_MAX_SECONDS', 900, 1, 86_400),
      rateLimits: {
        perUserPerMinute: int('RATE_LIMIT_PER_USER_PER_MINUTE', 600, 1, 10_000_000),
        perAddressPerMinute: int('RATE_LIMIT_PER_ADDRESS_PER_MINUTE', 1200, 1, 10_000_000),
        exportsPerUserPerHour: int('RATE_LIMIT_EXPORTS_PER_USER_PER_HOUR', 30, 1, 100_000),
        syncMs: int('RATE_LIMIT_SYNC_MS', 250, 10, 60_000),
      },
    },
    referralExpirySeconds: int('REFERRAL_EXPIRY_POLL_SECONDS', 300, 0, 86_400),
    referralCountFoldSeconds: int('REFERRAL_COUNT_FOLD_SECONDS', 10, 0, 3600),
    indicatorRefreshSeconds: int('INDICATOR_REFRESH_SECONDS', 60, 0, 86_400),
    notificationDispatchSeconds: int('NOTIFICATION_DISPATCH_SECONDS', 2, 0, 3600),
    digest: {
      smtpUrl,
      from: env.DIGEST_FROM || 'Casework <no-reply@casework.local>',
      hour: int('DIGEST_HOUR', 7, 0, 23),
      publicUrl: publicUrl ?? `http://localhost:${env.PORT || 3000}`,
      pollSeconds: int('DIGEST_POLL_SECONDS', 300, 0, 86_400),
    },
    retentionRunSeconds: int('RETENTION_RUN_SECONDS', 86_400, 0, 7 * 86_400),
    webRoot: resolve(cwd, env.WEB_ROOT || 'dist/web'),
    audit: {
      signingKeyPem: signingKeyPem ?? '',
      checkpointFile: resolve(cwd, env.AUDIT_CHECKPOINT_FILE || '.data/audit-checkpoints.jsonl'),
      checkpointMaxAgeSeconds: int('AUDIT_CHECKPOINT_SECONDS', 300, 30, 300),
      checkpointMaxEvents: int('AUDIT_CHECKPOINT_EVENTS', 10_000, 1, 10_000),
      checkpointPollSeconds: int('AUDIT_CHECKPOINT_POLL_SECONDS', 15, 0, 60),
      sequenceIntervalMs: int('AUDIT_SEQUENCE_MS', 250, 0, 1000),
      sequenceBatch: int('AUDIT_SEQUENCE_BATCH', 5000, 1, 100_000),
      sequenceMaxLagSeconds: int('AUDIT_SEQUENCE_MAX_LAG_SECONDS', 60, 1, 86_400),
      flagPersonsPerHour: int('AUDIT_FLAG_PERSONS_PER_HOUR', 50, 1, 100_000),
      flagDenialsPerTenMinutes: int('AUDIT_FLAG_DENIALS_PER_10_MINUTES', 10, 1, 100_000),
      workingHours: [int('AUDIT_WORKING_HOURS_FROM', 7, 0, 23), int('AUDIT_WORKING_HOURS_TO', 19, 1, 24)],
    },
  };
  if (config.auth.delayMaxSeconds < config.auth.delayBaseSeconds) problems.push('LOGIN_DELAY_MAX_SECONDS must not be below LOGIN_DELAY_BASE_SECONDS');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Development only: an Ed25519 key kept in the git-ignored data folder, so checkpoints stay verifiable across restarts. */
function developmentSigningKey(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, pem, { mode: 0o600 });
  return pem;
}

/** Development only: a random secret kept in the git-ignored data folder, so tokens survive a restart. */
function developmentSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
