// Load scenarios against the real API running as a separate process, with the database's own ceiling
// measured in the same run:
//   npm run bench                               (small: generated fresh, ~5 minutes)
//   npm run bench -- --scale flanders           (generated once, ~15 minutes, then reused)
//   npm run bench -- --compare-adapters         (S1 and S7 on Express and on Fastify)
// Options: --duration <s> per scenario (10), --fresh (regenerate), --seed <n>, --only S8[,S2,...]
// (only those scenarios, printed, no report: a partial run is not a benchmark result).
// Writes bench/results/<date>-<scale>.md and .json (date, scale, machine, commit, every figure).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pg from 'pg';
import { AuditWriter, signingKeys, verifyAuditChains } from '../dist/libs/audit/src/index.js';
import { freePort } from '../test/setup/database-url.mjs';
import {
  BENCH_PASSWORD,
  GENERATOR_VERSION,
  HISTORY_PERSON_N,
  OFFICES,
  PRESETS,
  benchId,
  benchSigningKeyPem,
  databaseName,
  generate,
  organisations,
  staffEmail,
} from './generate.mjs';
import { BENCH_DIR, databaseUrl, openCluster } from './support/cluster.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const flag = (name) => args.includes(`--${name}`);
const scale = option('scale', 'small');
const seed = Number(option('seed', '1'));
const duration = Number(option('duration', '10'));
const compareAdapters = flag('compare-adapters');
const only = option('only', undefined)?.split(',');
const wanted = (scenario) => !only || only.includes(scenario);
if (!PRESETS[scale]) throw new Error(`--scale must be small or flanders (got ${scale})`);

export const TARGETS = {
  S1: { 'ratio to pgbench': '>= 0.5', 'p99 ms at 50 connections': '<= 25' },
  S2: { 'p95 ms': '<= 15', 'flanders/small p95': '<= 1.3' },
  S3: { 'p95 ms': '<= 20' },
  S4: { 'p95 ms at 20 concurrent': '<= 50' },
  S5: { 'p95 ms per page (10M events)': '<= 50' },
  S8: { 'p95 ms (1M persons)': '<= 30' },
  S6: { 'events/s': '>= 250,000' },
  W: { 'audited events/s': '>= 5,000' },
  RSS: { 'API peak RSS MB': '<= 250' },
};

const log = (...parts) => console.log(...parts);
const percentile = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
const round = (value, digits = 1) => (value === null || value === undefined ? null : +Number(value).toFixed(digits));

// ---------- the API as a separate process ----------

async function startApi({ url, adapter = 'express', trace, name = 'api' }) {
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
    AUDIT_CHECKPOINT_FILE: resolve(BENCH_DIR, `checkpoints-${scale}.jsonl`),
    // The load comes from one address and a few accounts: the per-address and per-user limits are
    // the ones a public deployment sets in front of real users, not in front of a load generator.
    RATE_LIMIT_PER_USER_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
    ...(trace ? { BENCH_SQL_TRACE: trace, REFERRAL_EXPIRY_POLL_SECONDS: '0', NOTIFICATION_DISPATCH_SECONDS: '0', AUDIT_CHECKPOINT_POLL_SECONDS: '0' } : {}),
  };
  const entry = adapter === 'fastify' ? 'bench/support/fastify-main.mjs' : 'dist/apps/api/src/main.js';
  const heap = process.env.BENCH_API_HEAP_MB ? [`--max-old-space-size=${process.env.BENCH_API_HEAP_MB}`] : [];
  const child = spawn(process.execPath, [...heap, '--import', resolve(ROOT, 'bench/support/trace-sql.mjs'), resolve(ROOT, entry)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up:\n${output}`);
    try {
      const res = await fetch(`${base}/health/ready`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  return { base, pid: child.pid, stop, output: () => output };
}

/** Samples the API's resident memory every 100 ms while `work` runs. */
async function withRss(pid, work) {
  let peak = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb);
    } catch {
      /* not on Linux, or the process is gone */
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  try {
    const result = await work();
    sample();
    return { ...result, peakRssMb: round(peak / 1024) };
  } finally {
    clearInterval(timer);
  }
}

async function login(base, email) {
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  return (await res.json()).accessToken;
}

/**
 * One autocannon run; latencies are taken per response (autocannon's own summary has no p95).
 * `requests` is autocannon's request list (setupRequest may pick per request).
 */
async function load(base, { connections, requests, seconds = duration, pid, stopWhen, expect = (s) => s >= 200 && s < 300 }) {
  return withRss(pid, async () => {
    const latencies = [];
    const statuses = {};
    let unexpected = 0;
    let firstUnexpected;
    const watched = requests.map((r) => ({
      ...r,
      onResponse: (status, body, context, headers) => {
        if (!expect(status) && !firstUnexpected) firstUnexpected = `${status} ${String(body).slice(0, 300)}`;
        return r.onResponse?.(status, body, context, headers);
      },
    }));
    const started = performance.now();
    const instance = autocannon({ url: base, connections, duration: seconds, requests: watched, timeout: 10 });
    let stopped = false;
    instance.on('response', (_client, status, _bytes, time) => {
      if (!stopped && stopWhen?.()) {
        stopped = true;
        instance.stop();
      }
      latencies.push(time);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (!expect(status)) unexpected += 1;
    });
    const result = await new Promise((resolveRun, reject) => instance.once('done', resolveRun).once('error', reject));
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      connections,
      seconds: round(elapsed, 2),
      requests: latencies.length,
      requestsPerSecond: round(latencies.length / elapsed),
      p50: round(percentile(latencies, 50), 2),
      p95: round(percentile(latencies, 95), 2),
      p99: round(percentile(latencies, 99), 2),
      errors: result.errors + result.timeouts + unexpected,
      statuses,
      ...(firstUnexpected ? { firstUnexpected } : {}),
    };
  });
}

// ---------- the generated population, known from the seed ----------

function population(meta) {
  const preset = PRESETS[meta.scale];
  const orgs = organisations(preset, meta.seed);
  const org = (key, n) => orgs.find((o) => o.key === key && o.n === n);
  const person = (n) => benchId(meta.seed, 'person', n);
  const blocks = Math.floor(preset.persons / 5);
  const office = 1;
  const paired = (f) => Array.from({ length: preset.ocmws }, (_, k) => k).filter((k) => k % OFFICES === f);
  const pairedOcmws = paired(office);
  /** shared clients of office f (r = 1) */
  const sharedOf = (f) =>
    paired(f).flatMap((k) => Array.from({ length: Math.floor((blocks - 1 - k) / preset.ocmws) + 1 }, (_, j) => person(5 * (k + preset.ocmws * j) + 1)));
  const shared = sharedOf(office);
  /** persons not yet referred (r = 3, even rounds), per OCMW, for the handover scenario */
  const handoverPool = (k) => {
    const list = [];
    for (let j = 0; 5 * (k + preset.ocmws * j) + 3 <= preset.persons; j += 2) list.push(person(5 * (k + preset.ocmws * j) + 3));
    return list;
  };
  return { preset, org, person, shared, sharedOf, pairedOcmws, office, handoverPool, historyPerson: person(HISTORY_PERSON_N) };
}

// ---------- scenarios ----------

/** S1's load: 50 connections of mediators of every office, each reading its office's shared clients. */
async function dossierReads(api, people) {
  const readers = await Promise.all(
    Array.from({ length: OFFICES }, async (_, f) => ({ token: await login(api.base, staffEmail(people.org('OFFICE', f), 4)), shared: people.sharedOf(f) })),
  );
  let pick = 0;
  return load(api.base, {
    pid: api.pid,
    connections: 50,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          pick += 1;
          const reader = readers[pick % readers.length];
          return {
            ...req,
            path: `/clients/${reader.shared[(pick * 7919) % reader.shared.length]}`,
            headers: { authorization: `Bearer ${reader.token}`, 'x-purpose': 'MEDIATION' },
          };
        },
      },
    ],
  });
}

/** S2's load: a mediator's caseload, the first page and a page in the middle (keyset cursor). */
async function caseloadPages(api, token) {
  const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'MEDIATION' };
  const middle = Buffer.from('80000000-0000-4000-8000-000000000000').toString('base64url');
  const S2first = await load(api.base, { pid: api.pid, connections: 10, requests: [{ method: 'GET', path: '/clients?limit=25', headers }] });
  const S2later = await load(api.base, { pid: api.pid, connections: 10, requests: [{ method: 'GET', path: `/clients?limit=25&cursor=${middle}`, headers }] });
  return { S2first, S2later };
}

async function scenarios(api, meta, adminPool) {
  const people = population(meta);
  const officeOrg = people.org('OFFICE', people.office);
  const mediators = await Promise.all(Array.from({ length: Math.min(8, officeOrg.staff - 2) }, (_, i) => login(api.base, staffEmail(officeOrg, i + 2))));
  const results = {};
  const bearer = (token) => ({ authorization: `Bearer ${token}` });

  // S1: mediators of every VDAB office read shared clients' dossiers (authentication, access rule,
  // audit insert). Each office writes its own audit chain, as in production.
  if (wanted('S1')) {
    const before = await auditCount(adminPool);
    const s1Started = performance.now();
    results.S1 = await dossierReads(api, people);
    const s1Seconds = (performance.now() - s1Started) / 1000;
    results.S1.auditEventsPerSecond = round(((await auditCount(adminPool)) - before) / s1Seconds);
    log(line('S1 dossier read', results.S1));
  }

  // S2: the caseload list, first page and a later page by cursor.
  if (wanted('S2')) {
    Object.assign(results, await caseloadPages(api, mediators[0]));
    log(line('S2 caseload, first page', results.S2first));
    log(line('S2 caseload, later page', results.S2later));
  }

  // S3: the referral inbox with its counts per status.
  if (wanted('S3')) {
    results.S3 = await load(api.base, {
      pid: api.pid,
      connections: 10,
      requests: [{ method: 'GET', path: '/handovers?box=inbox', headers: bearer(mediators[2]) }],
    });
    log(line('S3 referral inbox', results.S3));
  }

  // S4: a new warm handover sent by an OCMW and accepted by its VDAB office, 20 at a time, for
  // persons not referred before (each OCMW sends to its own paired office).
  // Up to 26 OCMWs that still have persons never referred (earlier runs on a kept database used some).
  if (wanted('S4')) {
    const all = Array.from({ length: people.preset.ocmws }, (_, k) => k);
    const pools = all.map((k) => people.handoverPool(k));
    const taken = await adminPool.query(`SELECT person_id::text FROM referral WHERE person_id = ANY ($1::uuid[])`, [pools.flat()]);
    const used = new Set(taken.rows.map((r) => r.person_id));
    const candidates = all
      .map((k) => ({ k, fresh: pools[k].filter((id) => !used.has(id)) }))
      .filter((c) => c.fresh.length >= 20)
      .slice(0, 26);
    const ocmws = candidates.map((c) => c.k);
    const fresh = candidates.map((c) => c.fresh);
    const senders = await Promise.all(ocmws.map((k) => login(api.base, staffEmail(people.org('OCMW', k), 2))));
    const receivers = await Promise.all(
      Array.from({ length: OFFICES }, (_, f) => (f === people.office ? mediators[3] : login(api.base, staffEmail(people.org('OFFICE', f), 3)))),
    );
    const available = fresh.reduce((sum, q) => sum + q.length, 0);
    if (available < 200) throw new Error(`only ${available} persons left who were never referred; run with --fresh`);
    let handovers = 0;
    results.S4 = await load(api.base, {
      pid: api.pid,
      connections: 20,
      stopWhen: () => fresh.reduce((sum, q) => sum + q.length, 0) < 60, // stop before the pool is used up
      expect: (status) => status === 200 || status === 201,
      requests: [
        {
          method: 'POST',
          setupRequest: (req, context) => {
            let i = handovers++ % ocmws.length;
            while (fresh[i].length === 0) i = (i + 1) % ocmws.length;
            const clientId = fresh[i].shift();
            const office = people.org('OFFICE', ocmws[i] % OFFICES);
            context.receiver = receivers[office.n];
            return {
              ...req,
              path: '/handovers',
              headers: { ...bearer(senders[i]), 'content-type': 'application/json' },
              body: JSON.stringify({
                kind: 'WARM_HANDOVER',
                clientId,
                toOrganisationId: office.id,
                categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT'],
                send: true,
              }),
            };
          },
          onResponse: (status, body, context) => {
            context.referral = status === 201 || status === 200 ? JSON.parse(body) : undefined;
          },
        },
        {
          method: 'POST',
          setupRequest: (req, context) => {
            const r = context.referral ?? { id: '00000000-0000-4000-8000-000000000000', version: 1 };
            return {
              ...req,
              path: `/handovers/${r.id}/accept`,
              headers: { ...bearer(context.receiver), 'content-type': 'application/json' },
              body: JSON.stringify({ version: r.version }),
            };
          },
        },
      ],
    });
    results.S4.poolBefore = available;
    results.S4.handoversCompleted = Math.min(results.S4.statuses['201'] ?? 0, results.S4.statuses['200'] ?? 0);
    log(line('S4 handover send + accept', results.S4));
  }

  // S5: who saw my data, for a person followed for two years by the OCMW and the office (10,000 events),
  // a page at a time: the first page, and a page from the middle of the report by the cursor the
  // service gave out (walked to there page by page, 200 lines a page).
  if (wanted('S5')) {
    const officer = await login(api.base, staffEmail(people.org('OCMW', 1 % people.preset.ocmws), 0));
    // the person's events, not counting the audit of earlier runs' report reads (audit.access-report names the person too)
    const [{ lines }] = (
      await adminPool.query(`SELECT count(*)::int AS lines FROM audit_event WHERE subject_person_id = $1 AND action NOT LIKE 'audit.%'`, [people.historyPerson])
    ).rows;
    const path = `/clients/${people.historyPerson}/access-report`;
    const cursors = [];
    let reportLines = 0;
    for (let cursor = null; ;) {
      const res = await fetch(`${api.base}${path}?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: bearer(officer) });
      if (res.status !== 200) throw new Error(`S5: the access report answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const page = await res.json();
      reportLines += page.items.length;
      if (!page.nextCursor) break;
      cursors.push((cursor = page.nextCursor));
    }
    const middle = cursors[Math.floor(cursors.length / 2)];
    if (!middle) throw new Error(`S5: the report of the history person has ${reportLines} lines, not enough for a later page`);
    results.S5first = await load(api.base, { pid: api.pid, connections: 10, requests: [{ method: 'GET', path, headers: bearer(officer) }] });
    results.S5later = await load(api.base, {
      pid: api.pid,
      connections: 10,
      requests: [{ method: 'GET', path: `${path}?cursor=${middle}`, headers: bearer(officer) }],
    });
    for (const r of [results.S5first, results.S5later]) Object.assign(r, { historyEvents: lines, reportLines, pageSize: 50 });
    log(`S5: ${lines} events on the person, ${reportLines} lines in the owner's report; pages of 50`);
    log(line('S5 access report, first page', results.S5first));
    log(line('S5 access report, later page', results.S5later));
  }

  // S8: a social worker finds a client by name the way people type it: a first name, both names in any
  // order, a typo, a part of a name (issue 13; only among identities the caller may read).
  if (wanted('S8')) {
    const searcher = await login(api.base, staffEmail(people.org('OCMW', 0), 2));
    const searches = ['amina', 'peeters amina', 'Janssen', 'el amrani lena', 'mertns', 'goossens 42', 'sofie wouters'];
    let searchPick = 0;
    results.S8 = await load(api.base, {
      pid: api.pid,
      connections: 10,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({
            ...req,
            path: `/clients?limit=25&search=${encodeURIComponent(searches[searchPick++ % searches.length])}`,
            headers: bearer(searcher),
          }),
        },
      ],
    });
    log(line('S8 name search', results.S8));
  }

  // S7: the framework's own ceiling.
  if (wanted('S7')) {
    results.S7 = await load(api.base, { pid: api.pid, connections: 50, requests: [{ method: 'GET', path: '/health/live' }] });
    log(line('S7 /health/live', results.S7));
  }
  return results;
}

const line = (label, r) =>
  `${label.padEnd(34)} ${String(r.requestsPerSecond).padStart(8)} req/s  p50 ${r.p50} ms  p95 ${r.p95} ms  p99 ${r.p99} ms  errors ${r.errors}  peak RSS ${r.peakRssMb} MB` +
  (r.firstUnexpected ? `\n    first unexpected answer: ${r.firstUnexpected}` : '');

async function auditCount(adminPool) {
  const { rows } = await adminPool.query(`SELECT coalesce(sum(seq), 0)::bigint AS n FROM audit_chain`);
  return Number(rows[0].n);
}

/** S6: the service's own verification over every chain (what `npm run audit:verify` runs). */
async function verification(url) {
  const client = new pg.Pool({ connectionString: url, max: 3 });
  try {
    const report = await verifyAuditChains(
      { query: async (sql, params) => (await client.query(sql, params)).rows },
      signingKeys(benchSigningKeyPem()).publicKeyPem,
      { concurrency: 2 },
    );
    return { ok: report.ok, events: report.events, seconds: round(report.seconds, 2), eventsPerSecond: Math.round(report.eventsPerSecond) };
  } finally {
    await client.end();
  }
}

/**
 * W: audited writes through the service's AuditWriter, one event per transaction (as one dossier read
 * writes), from 8 concurrent writers on 8 organisation chains, as the request role.
 */
async function auditedWrites(url, meta) {
  const orgs = organisations(PRESETS[meta.scale], meta.seed)
    .filter((o) => o.key === 'OCMW')
    .slice(0, 8);
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  const writer = new AuditWriter();
  const seconds = Math.min(duration, 10);
  const until = performance.now() + seconds * 1000;
  let events = 0;
  try {
    await Promise.all(
      orgs.map(async (org, i) => {
        const client = await pool.connect();
        try {
          while (performance.now() < until) {
            await client.query('BEGIN');
            await client.query('SET LOCAL ROLE casework_app');
            await writer.write(
              async (sql, params) => (await client.query(sql, params)).rows,
              {
                userId: benchId(meta.seed, `user:OCMW:${org.n}`, 2),
                organisationId: org.id,
                roles: ['SOCIAL_WORKER'],
                purpose: 'ACTIVATION',
                requestId: `bench-w-${i}-${events}`,
              },
              [
                {
                  action: 'client.read',
                  decision: 'ALLOW',
                  resourceType: 'ClientFile',
                  subjectPersonId: benchId(meta.seed, 'person', 5 * org.n + 1),
                  categories: ['IDENTITY'],
                },
              ],
            );
            await client.query('COMMIT');
            events += 1;
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
  return { writers: orgs.length, seconds, events, eventsPerSecond: Math.round(events / seconds) };
}

// ---------- the database's own ceiling for S1: pgbench replaying one request's SQL ----------

const literal = (value) => {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object' && value.bytea) return `'\\x${value.bytea}'`;
  if (Array.isArray(value)) return `'${arrayLiteral(value).replace(/'/g, "''")}'`;
  if (typeof value === 'object') return `'${JSON.stringify(value).replace(/'/g, "''")}'`;
  return `'${String(value).replace(/'/g, "''")}'`;
};
const arrayLiteral = (list) =>
  `{${list
    .map((v) => (v === null ? 'NULL' : typeof v === 'object' && v.bytea ? `"\\\\x${v.bytea}"` : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`))
    .join(',')}}`;
/** $n → literal, from the highest n down so $1 does not eat $10. */
const inline = (text, params) => params.reduceRight((sql, value, i) => sql.replaceAll(`$${i + 1}`, literal(value)), text);

async function captureS1(url, meta, samples = 26) {
  const file = resolve(BENCH_DIR, `s1-trace-${process.pid}.jsonl`);
  rmSync(file, { force: true });
  const api = await startApi({ url, trace: file, name: 'tracing API' });
  const scripts = [];
  try {
    const people = population(meta);
    const tokens = await Promise.all(Array.from({ length: OFFICES }, (_, f) => login(api.base, staffEmail(people.org('OFFICE', f), 4))));
    for (let s = 0; s < samples + 1; s++) {
      const f = s % OFFICES;
      const shared = people.sharedOf(f);
      const from = Date.now();
      await new Promise((r) => setTimeout(r, 5));
      const res = await fetch(`${api.base}/clients/${shared[(s * 7919) % shared.length]}`, {
        headers: { authorization: `Bearer ${tokens[f]}`, 'x-purpose': 'MEDIATION' },
      });
      if (res.status !== 200) throw new Error(`S1 capture: ${res.status} ${await res.text()}`);
      await new Promise((r) => setTimeout(r, 5));
      const to = Date.now();
      if (s === 0) continue; // the first request warms caches
      const statements = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((e) => e.at >= from && e.at <= to);
      scripts.push(toPgbench(statements));
    }
  } finally {
    await api.stop();
    rmSync(file, { force: true });
  }
  return scripts;
}

/**
 * pgbench's audit events go to a scratch chain per organisation chain (same contention as the API's),
 * because their hashes are not canonical: bench/run removes those chains afterwards, so the real chains
 * of a kept database keep verifying.
 */
const scratchChain = (chain) => benchId(0, 'pgbench-chain', chain);

/** One request's statements as a pgbench script; the audit insert extends the (scratch) chain head it locks. */
function toPgbench(statements) {
  const lines = [];
  for (const { text, params: original } of statements) {
    const oneLine = (sql) => sql.replace(/\s*\n\s*/g, ' ').trim();
    const params = /audit_lock_head|INSERT INTO audit_event/.test(text) ? [scratchChain(original[0]), ...original.slice(1)] : original;
    if (/audit_lock_head/.test(text)) {
      lines.push(`${oneLine(inline(text, params)).replace(/^SELECT seq, head_hash/, "SELECT seq AS head_seq, encode(head_hash, 'hex') AS head_hex")} \\gset`);
      continue;
    }
    if (/INSERT INTO audit_event/.test(text)) {
      // $9 seq[], $22 prev_hash[], $23 hash[] come from the locked head; every other value is the request's own.
      const count = params[8].length;
      const seqs = Array.from({ length: count }, (_, i) => `:head_seq + ${i + 1}`);
      const hash = (k) => (k === 0 ? `decode(:head_hex, 'hex')` : `sha256(${hash(k - 1)})`);
      const prevs = Array.from({ length: count }, (_, i) => hash(i));
      const hashes = Array.from({ length: count }, (_, i) => hash(i + 1));
      const fixed = params.map((v, i) =>
        i === 8
          ? { raw: `ARRAY[${seqs.join(', ')}]::bigint[]` }
          : i === 21
            ? { raw: `ARRAY[${prevs.join(', ')}]` }
            : i === 22
              ? { raw: `ARRAY[${hashes.join(', ')}]` }
              : v,
      );
      lines.push(oneLine(fixed.reduceRight((sql, value, i) => sql.replaceAll(`$${i + 1}`, value && value.raw ? value.raw : literal(value)), text)) + ';');
      continue;
    }
    lines.push(oneLine(inline(text, params)) + ';');
  }
  return lines.join('\n') + '\n';
}

function removeScratchChains(url, scripts) {
  const chains = [...new Set(scripts.flatMap((s) => [...s.matchAll(/audit_lock_head\('([0-9a-f-]{36})'\)/g)].map((m) => m[1])))];
  const sql = `SET session_replication_role = replica; DELETE FROM audit_event WHERE chain_id = ANY ('{${chains.join(',')}}'); DELETE FROM audit_chain WHERE chain_id = ANY ('{${chains.join(',')}}');`;
  const u = new URL(url);
  const psql = spawnSync(
    'psql',
    ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username), '-d', u.pathname.slice(1), '-v', 'ON_ERROR_STOP=1', '-c', sql],
    {
      env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) },
      encoding: 'utf8',
    },
  );
  if (psql.status !== 0) throw new Error(`could not remove pgbench's scratch chains: ${psql.stderr}`);
}

function pgbenchCeiling(url, scripts, connections) {
  const bin = ['pgbench', '/usr/lib/postgresql/18/bin/pgbench', '/usr/lib/postgresql/15/bin/pgbench'].find((b) => spawnSync(b, ['--version']).status === 0);
  if (!bin) return { skipped: 'pgbench not found (Debian: apt-get install postgresql-client)' };
  const dir = resolve(BENCH_DIR, 'pgbench');
  mkdirSync(dir, { recursive: true });
  const files = scripts.map((script, i) => {
    const f = resolve(dir, `s1-${i}.sql`);
    writeFileSync(f, script);
    return f;
  });
  const u = new URL(url);
  const result = spawnSync(
    bin,
    [
      '-n',
      '-M',
      'extended',
      '-c',
      String(connections),
      '-j',
      '2',
      '-T',
      String(duration),
      ...files.flatMap((f) => ['-f', `${f}@1`]),
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      decodeURIComponent(u.username),
      u.pathname.slice(1),
    ],
    { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) }, encoding: 'utf8' },
  );
  const out = `${result.stdout}\n${result.stderr}`;
  removeScratchChains(url, scripts);
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
  const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
  if (!tps) throw new Error(`pgbench failed:\n${out.slice(-2000)}\nscript:\n${scripts[0]}`);
  return {
    tps: round(tps),
    latencyAverageMs: latency,
    failed,
    connections,
    statementsPerRequest: scripts[0].trim().split('\n').length,
    scripts: files.length,
    version: spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim(),
  };
}

// ---------- report ----------

function machine() {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    if (execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim()) commit += '+changes';
  } catch {
    /* not a git checkout */
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    commit,
  };
}

async function serverVersion(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

function verdicts(r) {
  const v = [];
  const check = (target, measured, ok) => v.push({ target, measured, met: ok === null ? null : !!ok });
  const ratio = r.ceiling?.tps ? r.S1.requestsPerSecond / r.ceiling.tps : null;
  check(
    'S1 >= 0.5 x pgbench of the same SQL',
    ratio === null ? 'no pgbench' : `${round(ratio, 2)} (${r.S1.requestsPerSecond} req/s / ${r.ceiling.tps} tps)`,
    ratio === null ? null : ratio >= 0.5,
  );
  check('S1 p99 <= 25 ms at 50 connections', `${r.S1.p99} ms`, r.S1.p99 <= 25);
  const s2 = Math.max(r.S2first.p95, r.S2later.p95);
  check('S2 p95 <= 15 ms', `${r.S2first.p95} ms first page, ${r.S2later.p95} ms later page`, s2 <= 15);
  if (r.S2ratio) check('S2 flanders/small p95 <= 1.3', `${r.S2ratio.ratio} (${r.S2ratio.flanders} ms / ${r.S2ratio.small} ms)`, r.S2ratio.ratio <= 1.3);
  else check('S2 flanders/small p95 <= 1.3', 'reported by a flanders run', null);
  check('S3 p95 <= 20 ms', `${r.S3.p95} ms`, r.S3.p95 <= 20);
  check('S4 p95 <= 50 ms at 20 concurrent', `${r.S4.p95} ms`, r.S4.p95 <= 50);
  const s5 = Math.max(r.S5first.p95, r.S5later.p95);
  check(
    `S5 p95 <= 50 ms per page over ${r.meta.counts.auditEvents.toLocaleString('en')} events`,
    `${r.S5first.p95} ms first page, ${r.S5later.p95} ms later page`,
    s5 <= 50,
  );
  if (r.S8) check(`S8 name search p95 <= 30 ms over ${r.meta.counts.persons.toLocaleString('en')} persons`, `${r.S8.p95} ms`, r.S8.p95 <= 30);
  check('verification >= 250,000 events/s', `${r.S6.eventsPerSecond.toLocaleString('en')} events/s`, r.S6.eventsPerSecond >= 250_000);
  check('audited writes >= 5,000 events/s', `${r.W.eventsPerSecond.toLocaleString('en')} events/s`, r.W.eventsPerSecond >= 5000);
  const rss = Math.max(...['S1', 'S2first', 'S2later', 'S3', 'S4', 'S5first', 'S5later', 'S7', 'S8'].filter((k) => r[k]).map((k) => r[k].peakRssMb));
  check('API RSS <= 250 MB under load', `${rss} MB`, rss <= 250);
  return v;
}

function markdown(r) {
  const rows = [
    ['S1 dossier read (mediator, shared client)', r.S1],
    ['S2 caseload list, first page', r.S2first],
    ['S2 caseload list, later page (cursor)', r.S2later],
    ['S3 referral inbox with counts', r.S3],
    ['S4 warm handover send + accept', r.S4],
    [`S5 who-saw-my-data, first page (${r.S5first.historyEvents} events on the person, ${r.S5first.reportLines} report lines)`, r.S5first],
    ['S5 who-saw-my-data, later page (cursor)', r.S5later],
    ...(r.S8 ? [['S8 name search (first names, both names, typos, parts)', r.S8]] : []),
    ['S7 /health/live', r.S7],
  ];
  const out = [];
  out.push(`# Benchmark ${r.scale}, ${r.date}`, '');
  out.push(
    `Commit ${r.machine.commit}; ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB; Node ${r.machine.node}; PostgreSQL ${r.postgres} (${r.database}); adapter ${r.adapter}; ${duration} s per scenario.` +
      (r.machine.stealPercent !== undefined ? ` CPU steal during the scenarios: ${r.machine.stealPercent}% (time the hypervisor gave to other guests).` : ''),
    '',
  );
  const c = r.meta.counts;
  out.push(
    `Data (generated in ${r.meta.seconds} s, seed ${r.meta.seed}): ${c.organisations} organisations, ${c.users.toLocaleString('en')} users, ${c.persons.toLocaleString('en')} persons, ` +
      `${c.consents.toLocaleString('en')} consents, ${c.involvements.toLocaleString('en')} involvements, ${c.trajectories.toLocaleString('en')} trajectories, ` +
      `${c.referrals.toLocaleString('en')} referrals, ${c.auditEvents.toLocaleString('en')} audit events in ${c.chains} chains, ${c.checkpoints.toLocaleString('en')} checkpoints; ` +
      `${(c.bytes / 2 ** 30).toFixed(2)} GiB.`,
    '',
  );
  out.push('| scenario | connections | req/s | p50 ms | p95 ms | p99 ms | errors | API peak RSS MB |', '|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [label, s] of rows)
    out.push(`| ${label} | ${s.connections} | ${s.requestsPerSecond} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.errors} | ${s.peakRssMb} |`);
  out.push('');
  out.push(`- S4 completed ${r.S4.handoversCompleted} handovers (each a send and an accept).`);
  out.push(
    `- S6 audit verification: ${r.S6.events.toLocaleString('en')} events in ${r.S6.seconds} s = **${r.S6.eventsPerSecond.toLocaleString('en')} events/s** (${r.S6.ok ? 'all chains verify' : 'BROKEN'}).`,
  );
  out.push(
    `- Audited writes through AuditWriter, one event per transaction, ${r.W.writers} writers: **${r.W.eventsPerSecond.toLocaleString('en')} events/s**; during S1 the API wrote ${r.S1.auditEventsPerSecond} events/s.`,
  );
  if (r.ceiling?.tps) {
    out.push(
      `- Ceiling: pgbench replaying the ${r.ceiling.statementsPerRequest} SQL statements of one S1 request (${r.ceiling.scripts} captured requests, ${r.ceiling.connections} connections): ` +
        `**${r.ceiling.tps} tps** (${r.ceiling.latencyAverageMs} ms average, ${r.ceiling.failed} failed). S1 / pgbench = **${round(r.S1.requestsPerSecond / r.ceiling.tps, 2)}**.`,
    );
  } else out.push(`- Ceiling: ${r.ceiling?.skipped ?? 'not measured'}.`);
  out.push(`- Framework ceiling: S1 / S7 = **${round(r.S1.requestsPerSecond / r.S7.requestsPerSecond, 3)}**.`);
  if (r.S2ratio)
    out.push(`- S2 p95 flanders / small (the worse of first and later page): ${r.S2ratio.flanders} / ${r.S2ratio.small} ms = **${r.S2ratio.ratio}**.`);
  if (r.adapters) {
    out.push('', '## HTTP adapter', '', '| adapter | S1 req/s | S1 p99 ms | S7 req/s | S7 p99 ms |', '|---|---:|---:|---:|---:|');
    for (const [name, a] of Object.entries(r.adapters))
      out.push(`| ${name} | ${a.S1.requestsPerSecond} | ${a.S1.p99} | ${a.S7.requestsPerSecond} | ${a.S7.p99} |`);
  }
  out.push('', '## Targets', '', '| target | measured | met |', '|---|---|---|');
  for (const v of r.verdicts) out.push(`| ${v.target} | ${v.measured} | ${v.met === null ? '–' : v.met ? 'yes' : '**no**'} |`);
  out.push('');
  return out.join('\n');
}

/** CPU time the hypervisor gave to others (steal) over a stretch of the run, in percent: on a shared VM it lowers every figure. */
function cpuTimes() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = fields.map(Number);
  return { total: n.reduce((a, b) => a + b, 0), steal: n[7] ?? 0 };
}

// ---------- main ----------

async function ensureDatabase(cluster, wanted) {
  const url = databaseUrl(cluster.adminUrl, databaseName(wanted));
  if (wanted === 'small' || flag('fresh')) return { url, meta: await generate({ adminUrl: cluster.adminUrl, scale: wanted, seed }) };
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query(`SELECT meta FROM bench_meta`);
    const meta = rows[0]?.meta;
    if (meta && meta.generatorVersion === GENERATOR_VERSION && meta.seed === seed) {
      log(`reusing the ${wanted} database generated ${meta.generatedAt} (--fresh regenerates)`);
      return { url, meta };
    }
  } catch {
    /* not generated yet */
  } finally {
    await client.end().catch(() => undefined);
  }
  return { url, meta: await generate({ adminUrl: cluster.adminUrl, scale: wanted, seed }) };
}

async function adapterRun(url, meta, adapter) {
  const api = await startApi({ url, adapter, name: `API (${adapter})` });
  try {
    const S1 = await dossierReads(api, population(meta));
    const S7 = await load(api.base, { pid: api.pid, connections: 50, requests: [{ method: 'GET', path: '/health/live' }] });
    log(line(`S1 on ${adapter}`, S1));
    log(line(`S7 on ${adapter}`, S7));
    return { S1, S7 };
  } finally {
    await api.stop();
  }
}

/** The figures beyond the API scenarios, the verdicts, and the report files. */
async function completeReport(cluster, report, url, meta) {
  report.S6 = await verification(url);
  log(`S6 verification                     ${report.S6.eventsPerSecond.toLocaleString('en')} events/s over ${report.S6.events.toLocaleString('en')} events`);
  report.W = await auditedWrites(url, meta);
  log(`W  audited writes                   ${report.W.eventsPerSecond.toLocaleString('en')} events/s (${report.W.writers} writers)`);
  report.ceiling = pgbenchCeiling(url, await captureS1(url, meta), 50);
  log(`ceiling: pgbench of S1's SQL        ${report.ceiling.tps ?? report.ceiling.skipped} tps`);
  if (scale === 'flanders') {
    const small = await ensureDatabase(cluster, 'small');
    const api2 = await startApi({ url: small.url });
    try {
      const people = population(small.meta);
      const { S2first: first, S2later: next } = await caseloadPages(api2, await login(api2.base, staffEmail(people.org('OFFICE', people.office), 2)));
      const smallP95 = Math.max(first.p95, next.p95);
      const flandersP95 = Math.max(report.S2first.p95, report.S2later.p95);
      report.S2ratio = { small: smallP95, flanders: flandersP95, ratio: round(flandersP95 / smallP95, 2), smallFirst: first, smallLater: next };
      log(`S2 p95 flanders/small                ${report.S2ratio.ratio}`);
    } finally {
      await api2.stop();
    }
  }
  if (compareAdapters) {
    report.adapters = {};
    for (const adapter of ['express', 'fastify']) report.adapters[adapter] = await adapterRun(url, meta, adapter);
  }
  report.verdicts = verdicts(report);
  report.seconds = round((performance.now() - started) / 1000);
  const dir = resolve(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stem = `${report.date.slice(0, 10)}-${scale}${compareAdapters ? '-adapters' : ''}`;
  writeFileSync(resolve(dir, `${stem}.json`), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(resolve(dir, `${stem}.md`), markdown(report));
  log(`\n${markdown(report)}\nwritten to bench/results/${stem}.md and .json in ${report.seconds} s`);
}

const started = performance.now();
const cluster = await openCluster();
let exitCode = 0;
try {
  const { url, meta } = await ensureDatabase(cluster, scale);
  const adminPool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const report = {
      date: new Date().toISOString(),
      scale,
      duration,
      adapter: 'express',
      machine: machine(),
      postgres: await serverVersion(url),
      database: cluster.describe,
      meta,
    };
    log(
      `\nscenarios against ${scale} (${meta.counts.persons.toLocaleString('en')} persons, ${meta.counts.auditEvents.toLocaleString('en')} audit events), ${duration} s each`,
    );
    const api = await startApi({ url });
    const cpuBefore = existsSync('/proc/stat') ? cpuTimes() : undefined;
    try {
      Object.assign(report, await scenarios(api, meta, adminPool));
    } finally {
      await api.stop();
    }
    if (cpuBefore) {
      const after = cpuTimes();
      report.machine.stealPercent = round((100 * (after.steal - cpuBefore.steal)) / Math.max(1, after.total - cpuBefore.total));
    }
    if (only) log(`\n--only ${only.join(',')}: no report written (CPU steal ${report.machine.stealPercent ?? '?'}%)`);
    else await completeReport(cluster, report, url, meta);
  } finally {
    await adminPool.end();
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await cluster.stop();
}
process.exit(exitCode);
