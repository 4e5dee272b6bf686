// Where S5's time goes: starts the API on the kept flanders database the way bench/run.mjs does, loads the
// history person's access report (first page) at 1 and at 10 connections, and samples pg_stat_activity's
// wait events every 50 ms:
//   npm run build && node bench/support/probe-s5.mjs
// Env: PROBE_IMPORT=./bench/support/time-sql.mjs (per-statement times, printed when the API exits),
// PROBE_CONNECTIONS (1,10), PROBE_SECONDS (8), PROBE_QUERY (e.g. ?limit=200). Prints, writes no report.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../../test/setup/database-url.mjs';
import { BENCH_PASSWORD, benchSigningKeyPem, organisations, PRESETS, staffEmail } from '../generate.mjs';
import { BENCH_DIR, databaseUrl, openCluster } from './cluster.mjs';
const cluster = await openCluster();
const url = databaseUrl(cluster.adminUrl, 'casework_bench_flanders');
const port = await freePort();
const env = {
  ...process.env,
  NODE_ENV: 'production',
  DATABASE_URL: url,
  PORT: String(port),
  HOST: '127.0.0.1',
  SEED_DEMO: 'false',
  LOG_LEVEL: 'warn',
  JWT_SECRET: randomBytes(32).toString('hex'),
  AUDIT_SIGNING_KEY: benchSigningKeyPem(),
  AUDIT_CHECKPOINT_FILE: resolve(BENCH_DIR, 'checkpoints-flanders.jsonl'),
  RATE_LIMIT_PER_USER_PER_MINUTE: '1000000',
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
  ...(process.env.PROBE_ENV ? JSON.parse(process.env.PROBE_ENV) : {}),
};
const child = spawn(process.execPath, [...(process.env.PROBE_IMPORT ? ['--import', process.env.PROBE_IMPORT] : []), 'dist/apps/api/src/main.js'], {
  cwd: resolve(import.meta.dirname, '../..'),
  env,
  stdio: ['ignore', 'inherit', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
for (;;) {
  try {
    if ((await fetch(`${base}/health/ready`)).status === 200) break;
  } catch {
    /* not listening yet */
  }
  await new Promise((r) => setTimeout(r, 200));
}
const admin = new pg.Pool({ connectionString: url, max: 1 });
// the history person and its OCMW, as the generator recorded them
const { shape, seed } = (await admin.query(`SELECT meta FROM bench_meta`)).rows[0].meta;
const ocmw = organisations(PRESETS.flanders, seed).find((o) => o.key === 'OCMW' && o.n === shape.historyOcmwN);
const res = await fetch(`${base}/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: staffEmail(ocmw, 0), password: BENCH_PASSWORD }),
});
const token = (await res.json()).accessToken;
const path = `/clients/${shape.historyPersonId}/access-report${process.env.PROBE_QUERY ?? ''}`;
for (const connections of (process.env.PROBE_CONNECTIONS ?? '1,10').split(',').map(Number)) {
  const waits = {};
  const timer = setInterval(async () => {
    const { rows } = await admin.query(
      `SELECT coalesce(wait_event_type || ':' || wait_event, state) AS w, count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle' GROUP BY 1`,
    );
    for (const r of rows) waits[r.w] = (waits[r.w] ?? 0) + r.n;
  }, 50);
  const lat = [];
  const inst = autocannon({
    url: base,
    connections,
    duration: Number(process.env.PROBE_SECONDS ?? 8),
    requests: [{ method: 'GET', path, headers: { authorization: `Bearer ${token}` } }],
  });
  inst.on('response', (_c, status, _b, time) => lat.push(time));
  await new Promise((r) => inst.once('done', r));
  clearInterval(timer);
  lat.sort((a, b) => a - b);
  const p = (q) => lat[Math.min(lat.length - 1, Math.ceil(q * lat.length) - 1)];
  console.log(`connections ${connections}: ${lat.length} requests, p50 ${p(0.5)} p95 ${p(0.95)} p99 ${p(0.99)}; waits ${JSON.stringify(waits)}`);
}
await admin.end();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await cluster.stop();
