import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, withDatabase } from '../setup/database-url.mjs';

const MAIN = join(process.cwd(), 'dist/apps/api/src/main.js');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const { DATABASE_URL: _ignored, ...base } = process.env;
  const child = spawn(process.execPath, [MAIN], { env: { ...base, NODE_ENV: 'development', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const postgresProcessesFor = (dataDir: string) => {
  try {
    return execFileSync('pgrep', ['-f', dataDir], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
};

describe('starting the service (embedded default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casework-start-'));
  chmodSync(dataDir, 0o755); // when run as root, postgres runs as the postgres user and must reach it
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, is ready, reuses data on a second start, and leaves no postgres process on SIGINT or SIGTERM', async () => {
    const env = async () => ({
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      EMBEDDED_PG_DATA_DIR: join(dataDir, 'pg'),
      LOG_LEVEL: 'info',
    });
    for (const [run, signal] of [
      [1, 'SIGINT'],
      [2, 'SIGTERM'],
    ] as const) {
      const settings = await env();
      const began = Date.now();
      const app = start(settings);
      await waitFor(() => app.output().includes('Casework API ready'), 20_000).catch(() => {
        throw new Error(`not ready within 20 s; output:\n${app.output()}`);
      });
      const readyAfterMs = Date.now() - began;
      expect(readyAfterMs).toBeLessThan(10_000);
      const ready = await fetch(`http://127.0.0.1:${settings.PORT}/health/ready`);
      expect(ready.status).toBe(200);
      expect(app.output()).toContain(run === 1 ? '"outcome":"seeded"' : '"outcome":"already-seeded"');
      expect(app.output()).toContain('social.worker@ocmw-ranst.demo');
      expect(app.output()).toContain(`/docs`);
      const login = await fetch(`http://127.0.0.1:${settings.PORT}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'social.worker@ocmw-ranst.demo', password: 'Demo-Partner-2026' }),
      });
      expect(login.status).toBe(200);
      expect(postgresProcessesFor(settings.EMBEDDED_PG_DATA_DIR)).not.toBe('');

      app.child.kill(signal);
      expect(await app.exited).toBe(0);
      await waitFor(() => postgresProcessesFor(settings.EMBEDDED_PG_DATA_DIR) === '', 5_000);
    }
  }, 60_000);

  it('refuses to start in production without DATABASE_URL and a signing secret', async () => {
    const app = start({ NODE_ENV: 'production' });
    expect(await app.exited).toBe(78);
    expect(app.output()).toMatch(/DATABASE_URL is required/);
    expect(app.output()).toMatch(/JWT_SECRET is required/);
  });

  it('stops with a clear message when a migration fails', async () => {
    // A database where the first migration cannot apply: its table already exists.
    const admin = new pg.Client({ connectionString: process.env.CASEWORK_TEST_ADMIN_URL });
    await admin.connect();
    const name = `casework_test_${process.env.CASEWORK_TEST_RUN}_broken`;
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const broken = new pg.Client({ connectionString: withDatabase(process.env.CASEWORK_TEST_ADMIN_URL!, name) });
    await broken.connect();
    await broken.query('CREATE TABLE organisation (id int)');
    await broken.end();

    const app = start({ DATABASE_URL: withDatabase(process.env.CASEWORK_TEST_ADMIN_URL!, name), PORT: String(await freePort()), SEED_DEMO: 'false' });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/A database migration failed, so the service will not start: .*organisation.*already exists/);
    expect(app.output()).not.toContain('Casework API ready');
  }, 20_000);
});
