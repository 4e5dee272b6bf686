import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config.js';

const SECRET = 's'.repeat(40);
const AUDIT_KEY = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('configuration', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'casework-config-'));

  it('in development uses the embedded database, seeds demo data and keeps a generated secret', () => {
    const config = loadConfig({}, cwd);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.seedDemo).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(cwd, '.data/jwt-secret'), 'utf8').trim()).toBe(config.auth.jwtSecret);
    expect(loadConfig({}, cwd).auth.jwtSecret).toBe(config.auth.jwtSecret);
    expect(config.audit.signingKeyPem).toMatch(/BEGIN PRIVATE KEY/);
    expect(loadConfig({}, cwd).audit.signingKeyPem).toBe(config.audit.signingKeyPem);
  });

  it('in production refuses to start without DATABASE_URL and JWT_SECRET, listing both', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, cwd)).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production' }, cwd);
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/DATABASE_URL is required/);
      expect(problems).toMatch(/JWT_SECRET is required/);
      expect(problems).toMatch(/AUDIT_SIGNING_KEY is required/);
    }
  });

  it('reads the sign-in delays, and refuses the retired lock-out settings by name', () => {
    expect(loadConfig({}, cwd).auth).toMatchObject({
      freeFailuresPerAccountAddress: 5,
      freeFailuresPerAddress: 100,
      delayBaseSeconds: 1,
      delayMaxSeconds: 900,
    });
    expect(loadConfig({ LOGIN_DELAY_BASE_SECONDS: '2', LOGIN_DELAY_MAX_SECONDS: '60' }, cwd).auth).toMatchObject({ delayBaseSeconds: 2, delayMaxSeconds: 60 });
    expect(() => loadConfig({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '10' }, cwd)).toThrow(/LOGIN_MAX_FAILURES_PER_ACCOUNT is no longer used/);
    expect(() => loadConfig({ LOGIN_BLOCK_SECONDS: '900' }, cwd)).toThrow(/LOGIN_BLOCK_SECONDS is no longer used/);
    expect(() => loadConfig({ LOGIN_DELAY_BASE_SECONDS: '60', LOGIN_DELAY_MAX_SECONDS: '30' }, cwd)).toThrow(/must not be below/);
  });

  it('in production refuses the demo seed', () => {
    const required = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', JWT_SECRET: SECRET, AUDIT_SIGNING_KEY: AUDIT_KEY };
    expect(() => loadConfig({ ...required, SEED_DEMO: 'true' }, cwd)).toThrow(/SEED_DEMO must not be enabled/);
    const config = loadConfig(required, cwd);
    expect(config.seedDemo).toBe(false);
    expect(config.host).toBe('0.0.0.0');
  });

  it('rejects malformed values with the variable name', () => {
    const both = () => loadConfig({ PORT: 'eighty', JWT_SECRET: 'short' }, cwd);
    expect(both).toThrow(/PORT must be a whole number between 0 and 65535 \(got "eighty"\)/);
    expect(both).toThrow(/JWT_SECRET must be at least 32 characters/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' }, cwd)).toThrow(/DATABASE_URL must be a postgres/);
  });

  it('turns CORS on only for a configured allow-list', () => {
    expect(loadConfig({}, cwd).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }, cwd).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});
