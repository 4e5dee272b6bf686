// Load scenarios against the real API running as a separate process, with the database's own ceiling
// measured in the same run, on a committed tree and a database whose audit chains verify:
//   npm run bench                               (small: generated fresh)
//   npm run bench -- --scale medium             (100k persons: generated once, then reused)
//   npm run bench -- --scale flanders           (1M persons: generated once, ~20 minutes, then reused;
//                                                the medium database is used for S2's flat-cost ratio)
// Options: --duration <s> per measured run (10), --warmup <s> per scenario (5), --repeats <n> (3),
// --fresh (regenerate the kept database), --seed <n>, --dirty (run on an uncommitted tree: the report
// says it is not a result), --allow-broken (run on chains that do not verify: the report says so),
// --only S1[,S2first,...] (those scenarios only, printed, no report: a partial run is not a benchmark result).
//
// Method, per HTTP scenario: a warm-up (closed loop, not measured), then `repeats` times an open-loop
// run at the scenario's fixed arrival rate (latency, measured from each operation's scheduled send
// time, so a slow answer cannot hold back the next sends and hide the queueing: no coordinated
// omission) and a closed-loop run at fixed connections (throughput, autocannon). Figures are the
// median of the runs with their spread (min-max). The ceiling is pgbench doing the minimal work of a
// dossier read on the same data with the API's pool size as clients.
// Writes bench/results/<date>-<scale>.md and .json; `npm run bench:readme` copies the newest committed
// report into the README.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../dist/apps/api/src/config/app-config.js';
import { createDataSource } from '../dist/apps/api/src/database/data-source.js';
import { AuditSequencer, AuditWriter, signingKeys, verifyAuditChains } from '../dist/libs/audit/src/index.js';
import { freePort } from '../test/setup/database-url.mjs';
import {
  BENCH_PASSWORD,
  GENERATOR_VERSION,
  PRESETS,
  VDAB_SHARE,
  benchId,
  benchSigningKeyPem,
  databaseName,
  generate,
  organisations,
  prng,
  staffEmail,
  staffId,
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
const warmup = Number(option('warmup', '5'));
const repeats = Number(option('repeats', '3'));
const allowDirty = flag('dirty');
const allowBroken = flag('allow-broken');
const only = option('only', undefined)?.split(',');
const wanted = (scenario) => !only || only.includes(scenario);
/** an open-loop operation not answered this long after its scheduled send counts as a timeout */
const DEADLINE_MS = 5000;
if (!PRESETS[scale]) throw new Error(`--scale must be one of ${Object.keys(PRESETS).join(', ')} (got ${scale})`);

/** The acceptance of issue 15 (flanders scale, committed report, same run for every ratio). */
export const TARGETS = {
  S1: { ceilingRatio: 0.25, p99Ms: 25, rate: 1000, oneOrganisationRatio: 0.8 },
  S2: { p95Ms: 15, flandersToMedium: 1.3 },
  S3: { p95Ms: 20 },
  S4: { pairP95Ms: 50, concurrent: 20 },
  S5: { pageP95Ms: 50 },
  S8: { p95Ms: 30 },
  S6: { eventsPerSecond: 250_000 },
  W: { eventsPerSecond: 5_000 },
  RSS: { peakMb: 250 },
  coldStart: { seconds: 10 },
};

/**
 * Per HTTP scenario: connections of the closed loop (and the most the open loop keeps on the wire), and
 * the open loop's arrival rate per second. S1's rate is the acceptance's; the others are assumed peak
 * rates of the Flemish network (about 1,300 VDAB mediators: a caseload or inbox look a minute each, a
 * handover every few minutes, an access report now and then). Where a rate is above what the API
 * serves in the closed loop the report marks the scenario saturated: its latency is then queueing.
 */
export const LOAD = {
  S1: { connections: 50, rate: TARGETS.S1.rate },
  S1org: { connections: 50, rate: TARGETS.S1.rate },
  S2first: { connections: 10, rate: 25 },
  S2later: { connections: 10, rate: 25 },
  S3: { connections: 10, rate: 25 },
  S4: { connections: TARGETS.S4.concurrent, rate: 10 },
  S5first: { connections: 10, rate: 5 },
  S5later: { connections: 10, rate: 5 },
  S8: { connections: 10, rate: 25 },
  S7: { connections: 50, rate: 1000 },
};

const log = (...parts) => console.log(...parts);
const percentile = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
const round = (value, digits = 1) => (value === null || value === undefined || Number.isNaN(value) ? null : +Number(value).toFixed(digits));
/** median and spread of repeated figures */
const spread = (values) => {
  const v = values.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (v.length === 0) return { median: null, min: null, max: null, runs: values };
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median: round(median, 2), min: round(v[0], 2), max: round(v[v.length - 1], 2), runs: values };
};
const num = (x) => (typeof x === 'number' && Math.abs(x) >= 10_000 ? Math.round(x).toLocaleString('en') : x);
const fmt = (s, unit = '') => (s?.median === null || s?.median === undefined ? '–' : `${num(s.median)}${unit} (${num(s.min)}–${num(s.max)})`);

// ---------- the tree and the machine ----------

const git = (...argv) => execFileSync('git', argv, { cwd: ROOT, encoding: 'utf8' }).trim();

/** The commit measured, and what of the tree is not committed (bench/results does not count). */
function treeState() {
  const commit = git('rev-parse', 'HEAD');
  const changes = git('status', '--porcelain', '--', '.', ':(exclude)bench/results').split('\n').filter(Boolean);
  return { commit, dirty: changes.length > 0, changes };
}

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** CPU time the hypervisor gave to others (steal) over a stretch of the run, in percent: on a shared VM it lowers every figure. */
function cpuTimes() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = fields.map(Number);
  return { total: n.reduce((a, b) => a + b, 0), steal: n[7] ?? 0 };
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

// ---------- the API as a separate process ----------

/** The API's environment: the same one gives the API its pool size and the ceiling its clients. */
function apiEnv(url, port, scaleName) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: url,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    AUDIT_SIGNING_KEY: benchSigningKeyPem(),
    AUDIT_CHECKPOINT_FILE: resolve(BENCH_DIR, `checkpoints-${scaleName}.jsonl`),
    // The load comes from one address and a few accounts: the per-address and per-user limits are
    // the ones a public deployment sets in front of real users, not in front of a load generator.
    RATE_LIMIT_PER_USER_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
  };
}

const rssMb = (pid) => {
  try {
    return round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return null; // not on Linux, or the process is gone
  }
};

/** The V8 memory flags of `npm start` (package.json's start script), so the bench runs the API as it is run. */
function startMemoryFlags() {
  const start = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).scripts.start;
  return start.split(/\s+/).filter((word) => /^--max-(old|semi)-space-size=\d+$/.test(word));
}

/** Starts the API and measures its cold start (spawn to /health/ready answering 200) and its idle RSS. */
async function startApi({ url, name = 'api', scaleName = scale }) {
  const port = await freePort();
  const entry = 'dist/apps/api/src/main.js';
  // the memory limits `npm start` sets (package.json), unless BENCH_API_HEAP_MB overrides the heap's
  const heap = startMemoryFlags().map((f) =>
    process.env.BENCH_API_HEAP_MB && f.startsWith('--max-old-space-size=') ? `--max-old-space-size=${process.env.BENCH_API_HEAP_MB}` : f,
  );
  // for probes (--only runs write no report): e.g. --cpu-prof, or --import ./bench/support/time-sql.mjs
  const extra = process.env.BENCH_API_NODE_ARGS ? process.env.BENCH_API_NODE_ARGS.split(' ') : [];
  const spawned = performance.now();
  const child = spawn(process.execPath, [...heap, ...extra, resolve(ROOT, entry)], {
    cwd: ROOT,
    env: apiEnv(url, port, scaleName),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up:\n${output}`);
    try {
      const res = await fetch(`${base}/health/ready`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready within 120 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const coldStartMs = Math.round(performance.now() - spawned);
  await new Promise((r) => setTimeout(r, 2000)); // start-up jobs settle
  const idleRssMb = rssMb(child.pid);
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  return { base, pid: child.pid, stop, coldStartMs, idleRssMb, output: () => output };
}

/** Samples the API's resident memory every 100 ms while `work` runs. */
async function withRss(pid, work) {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, rssMb(pid) ?? 0));
  sample();
  const timer = setInterval(sample, 100);
  try {
    const result = await work();
    sample();
    return { ...result, peakRssMb: peak };
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

// ---------- load: open loop (latency) and closed loop (throughput) ----------

/**
 * A scenario's work: `next()` gives the next request ({method, path, headers, body}); a pair
 * scenario (S4) also has `then(firstAnswer)` for its second request, and its latency is the pair's.
 * `left()` (optional) is how many operations the scenario's data still allows.
 */
const ok2xx = (status) => status >= 200 && status < 300;

/**
 * One request over a keep-alive agent; resolves with status 0 on a network error or at the deadline.
 * A request already on the wire at its deadline is left to finish (the API does the work anyway, and
 * dropping the connection would only let the next request pile more on it); `wire` holds it until then.
 * One still waiting for a connection is dropped: it never reaches the API.
 */
function send(agent, base, req, deadlineAt, wire) {
  let closed;
  wire.add((closed = new Promise((r) => (req.closed = r))));
  closed.finally(() => wire.delete(closed));
  return new Promise((done) => {
    const url = new URL(req.path, base);
    const headers = { ...req.headers, ...(req.body ? { 'content-length': Buffer.byteLength(req.body) } : {}) };
    const request = http.request({ agent, host: url.hostname, port: url.port, method: req.method, path: url.pathname + url.search, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        done({ status: res.statusCode, body: Buffer.concat(chunks).toString() });
      });
      res.on('error', () => done({ status: 0, error: 'response' }));
    });
    let onWire = false;
    request.on('socket', () => (onWire = true));
    request.on('close', () => req.closed());
    const timer = setTimeout(
      () => {
        done({ status: 0, error: 'deadline', timeout: true });
        if (!onWire) request.destroy(new Error('deadline'));
      },
      Math.max(0, deadlineAt - performance.now()),
    );
    request.on('error', (e) => {
      clearTimeout(timer);
      done({ status: 0, error: e.message });
    });
    if (req.body) request.write(req.body);
    request.end();
  });
}

/**
 * Open loop: operation i is due at start + i / rate, whatever happened to the ones before; its latency
 * is from that due time to its last answer (a send held up by busy connections or a late timer is
 * counted as waiting). At most `connections` requests are on the wire; the rest wait in the client.
 * An operation not done DEADLINE_MS after its due time is a timeout, counted at DEADLINE_MS (the
 * percentiles are then lower bounds, marked "≥").
 */
async function openLoop(api, scenario, seconds) {
  const { rate, connections } = LOAD[scenario.key];
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const planned = Math.floor(rate * seconds);
  const total = scenario.left ? Math.min(planned, scenario.left()) : planned;
  const interval = 1000 / rate;
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let timeouts = 0;
  let firstUnexpected;
  let maxLag = 0;
  const pending = new Set();
  const wire = new Set();
  const expect = scenario.expect ?? ok2xx;
  const one = async (due) => {
    const deadlineAt = due + DEADLINE_MS;
    let failed = false;
    const call = async (req) => {
      const answer = await send(agent, api.base, req, deadlineAt, wire);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.timeout) timeouts += 1;
      if (!expect(answer.status)) {
        failed = true;
        firstUnexpected ??= `${answer.status} ${answer.error ?? answer.body.slice(0, 300)}`;
      }
      return answer;
    };
    const first = await call(scenario.next());
    if (scenario.then && !failed) await call(scenario.then(first));
    if (failed) errors += 1;
    latencies.push(Math.min(performance.now() - due, DEADLINE_MS));
  };
  const start = performance.now() + 20;
  await new Promise((done) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      while (i < total && start + i * interval <= now) {
        const due = start + i * interval;
        maxLag = Math.max(maxLag, now - due);
        const p = one(due);
        pending.add(p);
        p.finally(() => pending.delete(p));
        i += 1;
      }
      if (i < total) setTimeout(tick, Math.max(0, start + i * interval - performance.now() - 1));
      else done();
    };
    tick();
  });
  await Promise.all(pending);
  // the requests still on the wire finish before the next run starts (at most `connections` of them)
  await Promise.race([Promise.all(wire), new Promise((r) => setTimeout(r, 60_000).unref())]);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p) => percentile(latencies, p);
  return {
    rate,
    connections,
    seconds,
    operations: latencies.length,
    p50: round(at(50), 2),
    p95: round(at(95), 2),
    p99: round(at(99), 2),
    errors,
    timeouts,
    statuses,
    /** the latest a send left after its due time, the driver's own lag */
    maxDispatchLagMs: round(maxLag, 1),
    ...(firstUnexpected ? { firstUnexpected } : {}),
  };
}

/**
 * Closed loop with autocannon: `connections` connections, each sending its next request as soon as the
 * previous is answered; the figure is requests (S4: pairs) per second. Latencies here are at saturation
 * and only informative (a pair's is recorded for S4's "at 20 concurrent" target).
 */
async function closedLoop(api, scenario, seconds, { connections = LOAD[scenario.key].connections } = {}) {
  const latencies = [];
  const pairLatencies = [];
  const statuses = {};
  let unexpected = 0;
  let firstUnexpected;
  const expect = scenario.expect ?? ok2xx;
  const watch = (status, body) => {
    if (!expect(status)) {
      unexpected += 1;
      firstUnexpected ??= `${status} ${String(body).slice(0, 300)}`;
    }
  };
  const requests = scenario.then
    ? [
        {
          method: 'POST',
          setupRequest: (req, context) => {
            context.started = performance.now();
            return { ...req, ...scenario.next() };
          },
          onResponse: (status, body, context) => {
            watch(status, body);
            context.first = { status, body };
          },
        },
        {
          method: 'POST',
          setupRequest: (req, context) => ({ ...req, ...scenario.then(context.first) }),
          onResponse: (status, body, context) => {
            watch(status, body);
            if (expect(status) && expect(context.first.status)) pairLatencies.push(performance.now() - context.started);
          },
        },
      ]
    : [{ method: 'GET', setupRequest: (req) => ({ ...req, ...scenario.next() }), onResponse: (status, body) => watch(status, body) }];
  const started = performance.now();
  const instance = autocannon({ url: api.base, connections, duration: seconds, requests, timeout: 10 });
  let stopped = false;
  instance.on('response', (_client, status, _bytes, time) => {
    latencies.push(time);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (!stopped && scenario.left && scenario.left() <= connections) {
      stopped = true; // the scenario's data is used up
      instance.stop();
    }
  });
  const result = await new Promise((done, fail) => instance.once('done', done).once('error', fail));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  pairLatencies.sort((a, b) => a - b);
  const operations = scenario.then ? pairLatencies.length : latencies.length;
  return {
    connections,
    seconds: round(elapsed, 2),
    operations,
    perSecond: round(operations / elapsed),
    p50: round(percentile(latencies, 50), 2),
    p95: round(percentile(latencies, 95), 2),
    p99: round(percentile(latencies, 99), 2),
    ...(scenario.then ? { pairP50: round(percentile(pairLatencies, 50), 2), pairP95: round(percentile(pairLatencies, 95), 2) } : {}),
    errors: result.errors + result.timeouts + unexpected,
    statuses,
    ...(firstUnexpected ? { firstUnexpected } : {}),
  };
}

/** A scenario: warm-up, then `repeats` x (open loop, closed loop); the API's peak RSS over all of it. */
async function measure(api, scenario) {
  return withRss(api.pid, async () => {
    const warm = await closedLoop(api, scenario, warmup);
    const open = [];
    const closed = [];
    for (let run = 0; run < repeats; run++) {
      scenario.beforeRun?.(run, 'open');
      open.push(await openLoop(api, scenario, duration));
      scenario.beforeRun?.(run, 'closed');
      closed.push(await closedLoop(api, scenario, duration));
    }
    const latency = (key) => spread(open.map((r) => r[key]));
    return {
      label: scenario.label,
      ...LOAD[scenario.key],
      warmupErrors: warm.errors,
      open: { p50: latency('p50'), p95: latency('p95'), p99: latency('p99'), runs: open },
      closed: {
        perSecond: spread(closed.map((r) => r.perSecond)),
        ...(scenario.then ? { pairP95: spread(closed.map((r) => r.pairP95)) } : {}),
        runs: closed,
      },
      /** the open loop's rate is above what the closed loop serves: its latency is queueing */
      saturated: LOAD[scenario.key].rate > (spread(closed.map((r) => r.perSecond)).median ?? 0),
      errors: warm.errors + [...open, ...closed].reduce((sum, r) => sum + r.errors, 0),
      timeouts: open.reduce((sum, r) => sum + r.timeouts, 0),
      ...(scenario.extra ?? {}),
    };
  });
}

const atLeast = (value) => (value !== null && value >= DEADLINE_MS ? '≥ ' : '');
const line = (r) =>
  `${r.label.slice(0, 44).padEnd(44)} open ${String(r.rate).padStart(5)}/s${r.saturated ? ' (saturated)' : ''}: p50 ${fmt(r.open.p50)} p95 ${fmt(r.open.p95)} p99 ${atLeast(r.open.p99.median)}${fmt(r.open.p99)} ms` +
  ` | closed ${r.connections}: ${fmt(r.closed.perSecond)}/s | errors ${r.errors}, timeouts ${r.timeouts} | peak RSS ${r.peakRssMb} MB` +
  [...r.open.runs, ...r.closed.runs]
    .filter((x) => x.firstUnexpected)
    .slice(0, 1)
    .map((x) => `\n    first unexpected answer: ${x.firstUnexpected}`)
    .join('');

// ---------- the generated population, asked of the database ----------

async function population(adminPool, meta) {
  const preset = PRESETS[meta.scale];
  const orgs = organisations(preset, meta.seed);
  const vdab = orgs.find((o) => o.key === 'VDAB');
  const ocmws = orgs.filter((o) => o.key === 'OCMW');
  /** a seeded sample of an organisation's files (its persons), the same in every run */
  const filesOf = async (org, limit) =>
    (
      await adminPool.query(`SELECT person_id::text AS id FROM client_file WHERE organisation_id = $1 ORDER BY md5(person_id::text || $2) LIMIT $3`, [
        org.id,
        String(meta.seed),
        limit,
      ])
    ).rows.map((r) => r.id);
  return { preset, orgs, vdab, ocmws, filesOf, mediator: (i) => staffEmail(vdab, 2 + (i % (vdab.staff - 2))) };
}

// ---------- scenarios ----------

/**
 * S1's load. Spread: a third of the reads from VDAB's mediators (their job seekers and shared clients),
 * two thirds from social workers of OCMWs drawn by size (the large OCMWs more often), each reading its
 * own clients. One organisation: every read from VDAB's mediators.
 */
async function dossierReads(api, people, { oneOrganisation = false } = {}) {
  const random = prng(seed * 31 + (oneOrganisation ? 1 : 0));
  const vdabReaders = oneOrganisation ? 30 : 10;
  const readers = [];
  const vdabFiles = await people.filesOf(people.vdab, 20_000);
  for (let i = 0; i < vdabReaders; i++) readers.push({ email: people.mediator(i), files: vdabFiles, purpose: 'MEDIATION', vdab: true });
  if (!oneOrganisation) {
    const cumulative = [];
    people.ocmws.reduce((sum, o) => (cumulative.push(sum + o.share), sum + o.share), 0);
    const picked = new Map();
    for (let i = 0; i < 20; i++) {
      const x = random();
      const k = cumulative.findIndex((c) => x < c);
      const org = people.ocmws[k < 0 ? people.ocmws.length - 1 : k];
      picked.set(org, (picked.get(org) ?? 0) + 1);
    }
    for (const [org, count] of picked) {
      const files = await people.filesOf(org, 5000);
      for (let i = 0; i < count; i++) readers.push({ email: staffEmail(org, 2 + (i % (org.staff - 2))), files, purpose: 'ACTIVATION', vdab: false });
    }
  }
  for (const reader of readers) reader.token = await login(api.base, reader.email);
  const fromVdab = readers.filter((r) => r.vdab);
  const fromOcmws = readers.filter((r) => !r.vdab);
  const pick = prng(seed * 7919);
  return {
    readers: { vdab: fromVdab.length, ocmw: fromOcmws.length, ocmws: new Set(fromOcmws.map((r) => r.email.split('.')[1])).size },
    next: () => {
      const group = fromOcmws.length === 0 || pick() < VDAB_SHARE ? fromVdab : fromOcmws;
      const reader = group[Math.floor(pick() * group.length)];
      const person = reader.files[Math.floor(pick() * reader.files.length)];
      return { method: 'GET', path: `/clients/${person}`, headers: { authorization: `Bearer ${reader.token}`, 'x-purpose': reader.purpose } };
    },
  };
}

async function scenarios(api, meta, adminPool) {
  const people = await population(adminPool, meta);
  const results = {};
  const bearer = (token) => ({ authorization: `Bearer ${token}` });
  const mediators = await Promise.all(Array.from({ length: 4 }, (_, i) => login(api.base, people.mediator(i))));
  const run = async (key, label, scenario) => {
    if (!wanted(key)) return;
    results[key] = await measure(api, { key, label, ...scenario });
    log(line(results[key]));
  };

  // S1: dossier reads (authentication, the sharing rule, the audit insert), spread over organisations.
  if (wanted('S1')) {
    const reads = await dossierReads(api, people);
    await run('S1', `S1 dossier read, spread (${Math.round(VDAB_SHARE * 100)}% VDAB)`, { ...reads, extra: { readers: reads.readers } });
  }
  // S1 with all load from VDAB's users: one organisation, one audit chain.
  if (wanted('S1org')) {
    const reads = await dossierReads(api, people, { oneOrganisation: true });
    await run('S1org', 'S1 dossier read, all from VDAB', { ...reads, extra: { readers: reads.readers } });
  }

  // S2: VDAB's caseload list (every mediator of Flanders shares it), first page and a later page by cursor.
  const caseload = { authorization: `Bearer ${mediators[0]}`, 'x-purpose': 'MEDIATION' };
  const middle = Buffer.from('80000000-0000-4000-8000-000000000000').toString('base64url');
  await run('S2first', 'S2 caseload list, first page', { next: () => ({ method: 'GET', path: '/clients?limit=25', headers: caseload }) });
  await run('S2later', 'S2 caseload list, later page (cursor)', {
    next: () => ({ method: 'GET', path: `/clients?limit=25&cursor=${middle}`, headers: caseload }),
  });

  // S3: VDAB's referral inbox with its counts per status.
  await run('S3', 'S3 referral inbox with counts', { next: () => ({ method: 'GET', path: '/handovers?box=inbox', headers: bearer(mediators[1]) }) });

  // S4: a new warm handover sent by an OCMW and accepted by VDAB, for persons never referred (the pool
  // r = 3, m % 4 <> 3), shared out over the runs so each run has its own persons.
  if (wanted('S4')) {
    const candidates = [];
    for (let n = 3; n <= people.preset.persons; n += 5) if (Math.floor(n / 5) % 4 !== 3) candidates.push(benchId(meta.seed, 'person', n));
    const { rows } = await adminPool.query(
      `SELECT f.person_id::text AS person, f.organisation_id::text AS org FROM client_file f
        WHERE f.person_id = ANY ($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.person_id = f.person_id)
        ORDER BY md5(f.person_id::text)`,
      [candidates],
    );
    const byOcmw = new Map();
    for (const r of rows) byOcmw.set(r.org, [...(byOcmw.get(r.org) ?? []), r.person]);
    const senders = people.ocmws.filter((o) => (byOcmw.get(o.id)?.length ?? 0) >= 20).slice(0, 26);
    for (const o of senders) o.token = await login(api.base, staffEmail(o, 2));
    const pool = senders.flatMap((o) => byOcmw.get(o.id).map((person) => ({ person, org: o })));
    if (pool.length < 200) throw new Error(`only ${pool.length} persons left who were never referred; run with --fresh`);
    // interleave the OCMWs, then share the pool out: the warm-up a little, each measured run the same
    pool.sort((a, b) => byOcmw.get(a.org.id).indexOf(a.person) - byOcmw.get(b.org.id).indexOf(b.person));
    // (a closed loop stops when its share is down to one per connection: the requests in flight may take those)
    const runs = 2 * repeats;
    const slack = LOAD.S4.connections;
    const warmShare = Math.floor(pool.length / (runs + 1) / 2);
    const perRun = Math.floor((pool.length - warmShare - (runs + 1) * slack) / runs);
    let budget = warmShare;
    let handovers = 0;
    await run('S4', `S4 warm handover send + accept (pair)`, {
      expect: (status) => status === 200 || status === 201,
      left: () => Math.max(0, Math.min(budget, pool.length - slack)),
      beforeRun: () => (budget = perRun),
      next: () => {
        const { person, org } = pool.shift();
        budget -= 1;
        handovers += 1;
        return {
          method: 'POST',
          path: '/handovers',
          headers: { ...bearer(org.token), 'content-type': 'application/json' },
          body: JSON.stringify({
            kind: 'WARM_HANDOVER',
            clientId: person,
            toOrganisationId: people.vdab.id,
            categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT'],
            send: true,
          }),
        };
      },
      then: (first) => {
        const referral = first.status === 201 || first.status === 200 ? JSON.parse(first.body) : { id: '00000000-0000-4000-8000-000000000000', version: 1 };
        return {
          method: 'POST',
          path: `/handovers/${referral.id}/accept`,
          headers: { ...bearer(mediators[2 + (handovers % 2)]), 'content-type': 'application/json' },
          body: JSON.stringify({ version: referral.version }),
        };
      },
      extra: { pool: pool.length, perRun },
    });
    if (results.S4) results.S4.handoversStarted = handovers;
  }

  // S5: who saw my data, for the person with a long history (10,000 events), as the owning OCMW's
  // privacy officer: the first page, and a page from the middle by the cursor the service gave out.
  if (wanted('S5first') || wanted('S5later')) {
    const ocmw = people.ocmws[meta.shape.historyOcmwN];
    const historyPerson = meta.shape.historyPersonId;
    const officer = await login(api.base, staffEmail(ocmw, 0));
    // the person's events, not counting the audit of earlier runs' report reads (audit.access-report names the person too)
    const [{ lines }] = (
      await adminPool.query(`SELECT count(*)::int AS lines FROM audit_event WHERE subject_person_id = $1 AND action NOT LIKE 'audit.%'`, [historyPerson])
    ).rows;
    const path = `/clients/${historyPerson}/access-report`;
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
    const extra = { historyEvents: lines, reportLines, pageSize: 50 };
    log(`S5: ${lines} events on the person, ${reportLines} lines in the owner's report; pages of 50`);
    await run('S5first', 'S5 who-saw-my-data, first page', { next: () => ({ method: 'GET', path, headers: bearer(officer) }), extra });
    await run('S5later', 'S5 who-saw-my-data, later page (cursor)', {
      next: () => ({ method: 'GET', path: `${path}?cursor=${middle}`, headers: bearer(officer) }),
      extra,
    });
  }

  // S8: a social worker of the largest OCMW finds a client by name the way people type it: a first
  // name, both names in any order, a typo, a part of a name (issue 13; only identities the caller may read).
  if (wanted('S8')) {
    const searcher = await login(api.base, staffEmail(people.ocmws[0], 2));
    const searches = ['amina', 'peeters amina', 'Janssen', 'el amrani lena', 'mertns', 'goossens 42', 'sofie wouters'];
    let searchPick = 0;
    await run('S8', 'S8 name search', {
      next: () => ({
        method: 'GET',
        path: `/clients?limit=25&search=${encodeURIComponent(searches[searchPick++ % searches.length])}`,
        headers: bearer(searcher),
      }),
    });
  }

  // S7: the framework's own ceiling.
  await run('S7', 'S7 /health/live', { next: () => ({ method: 'GET', path: '/health/live', headers: {} }) });
  return results;
}

// ---------- the audit chains: verification (gate and S6) and audited writes (W) ----------

/** The service's own verification over every chain (what `npm run audit:verify` runs). */
async function verifyChains(url) {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  try {
    const report = await verifyAuditChains(
      { query: async (sql, params) => (await pool.query(sql, params)).rows },
      signingKeys(benchSigningKeyPem()).publicKeyPem,
      { concurrency: 2 },
    );
    const broken = report.chains.filter((c) => !c.ok);
    return {
      ok: report.ok,
      events: report.events,
      seconds: round(report.seconds, 2),
      eventsPerSecond: Math.round(report.eventsPerSecond),
      brokenChains: broken.length,
      ...(broken.length ? { broken: broken.slice(0, 5).map((c) => ({ chain: c.chain, firstBroken: c.firstBroken })) } : {}),
    };
  } finally {
    await pool.end();
  }
}

/**
 * W's unit of work, the one place bench/run writes through the service's AuditWriter: one audited
 * event in its own transaction, as the request role (as one dossier read writes). The sequencer
 * design changes how the writer appends; adapt here (and report the unsequenced backlog in W).
 */
async function writeOneAuditedEvent(client, writer, actor, record) {
  // as RequestTransaction: BEGIN with the transaction's settings in one round trip
  await client.query(`BEGIN; SET LOCAL ROLE casework_app`);
  try {
    await writer.write(async (sql, params) => (await client.query(sql, params)).rows, actor, [record]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/**
 * The service's AuditSequencer as the API runs it (every 250 ms), for the time of W: the backlog of
 * entries waiting is sampled every 100 ms; `stop()` drains what is left and says how long that took.
 */
async function runningSequencer(url) {
  const ds = createDataSource(url, 2);
  await ds.initialize();
  const sequencer = new AuditSequencer(ds, { sequenceIntervalMs: 250, sequenceBatch: 5000, sequenceMaxLagSeconds: 60 });
  sequencer.onApplicationBootstrap();
  let maxBacklog = 0;
  let sampling = Promise.resolve();
  const sampler = setInterval(() => {
    sampling = ds
      .query(`SELECT count(*)::int AS n FROM audit_entry`)
      .then(([{ n }]) => void (maxBacklog = Math.max(maxBacklog, n)))
      .catch(() => undefined);
  }, 100);
  return {
    async stop() {
      clearInterval(sampler);
      await sampling;
      const [{ n: waiting }] = await ds.query(`SELECT count(*)::int AS n FROM audit_entry`);
      const t0 = performance.now();
      await sequencer.beforeApplicationShutdown();
      const drainMs = round(performance.now() - t0);
      await ds.destroy();
      return { maxBacklog, waitingAtEnd: waiting, drainMs };
    },
  };
}

/** W: audited writes from 8 concurrent writers of 8 OCMWs (8 chains), for `seconds`. */
async function auditedWrites(url, meta, seconds) {
  const orgs = organisations(PRESETS[meta.scale], meta.seed)
    .filter((o) => o.key === 'OCMW')
    .slice(0, 8);
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  const writer = new AuditWriter();
  const sequencer = await runningSequencer(url);
  const until = performance.now() + seconds * 1000;
  let events = 0;
  let chaining;
  try {
    await Promise.all(
      orgs.map(async (org, i) => {
        const client = await pool.connect();
        try {
          while (performance.now() < until) {
            await writeOneAuditedEvent(
              client,
              writer,
              {
                userId: staffId(meta.seed, org, 2),
                organisationId: org.id,
                roles: ['SOCIAL_WORKER'],
                purpose: 'ACTIVATION',
                requestId: `bench-w-${i}-${events}`,
              },
              {
                action: 'client.read',
                decision: 'ALLOW',
                resourceType: 'ClientFile',
                subjectPersonId: benchId(meta.seed, 'person', 5 * (i + 1) + 1),
                categories: ['IDENTITY'],
              },
            );
            events += 1;
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    chaining = await sequencer.stop();
    await pool.end();
  }
  return { writers: orgs.length, seconds, events, eventsPerSecond: Math.round(events / seconds), ...chaining };
}

// ---------- the ceiling: the minimal work of a dossier read, in pgbench ----------

function pgbenchArgs(url) {
  const u = new URL(url);
  return {
    connection: ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username), u.pathname.slice(1)],
    env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) },
  };
}

/**
 * The script: a person drawn uniformly from every generated person, its identity and all its sections
 * of one of its files read by primary key, and one audit row with the columns of audit_event inserted
 * into a scratch table (no chain: no head to lock, no hash to link). The person is found by number
 * through a scratch map (n -> file), one primary-key probe more than a read by id needs.
 */
function ceilingScript() {
  return [
    '\\set n random(1, :persons)',
    'BEGIN;',
    'SELECT t.organisation_id AS org, t.person_id AS pid, t.file_id AS file, i.insz, i.first_name, i.last_name, i.birth_date FROM bench_ceiling_person t JOIN client_identity i ON i.organisation_id = t.organisation_id AND i.person_id = t.person_id WHERE t.n = :n \\gset',
    'SELECT s.category, s.content FROM client_section s WHERE s.organisation_id = :org AND s.person_id = :pid;',
    'INSERT INTO bench_ceiling_audit (chain_id, seq, occurred_at, actor_user_id, actor_organisation_id, actor_roles, action, resource_type, resource_id, subject_person_id, owner_organisation_id, categories, purpose, decision, ground_kind, request_id, client_address, user_agent, prev_hash, hash) ' +
      "VALUES (:org, nextval('bench_ceiling_seq'), now(), :actor, :org, '{MEDIATOR}', 'client.read', 'ClientFile', :file, :pid, :org, '{IDENTITY,CONTACT,EMPLOYMENT}', 'MEDIATION', 'ALLOW', 'OWNER', 'pgbench-' || :client_id::text, '127.0.0.1', 'pgbench', sha256(convert_to(:pid, 'UTF8')), sha256(convert_to(:file, 'UTF8')));",
    'COMMIT;',
    '',
  ].join('\n');
}

const CEILING_DROP = `DROP TABLE IF EXISTS bench_ceiling_person, bench_ceiling_audit; DROP SEQUENCE IF EXISTS bench_ceiling_seq`;

async function ceiling(url, adminPool, meta, clients) {
  const bin = ['pgbench', '/usr/lib/postgresql/18/bin/pgbench', '/usr/lib/postgresql/15/bin/pgbench'].find((b) => spawnSync(b, ['--version']).status === 0);
  if (!bin) return { skipped: 'pgbench not found (Debian: apt-get install postgresql-client)' };
  await adminPool.query(CEILING_DROP);
  try {
    await adminPool.query(
      `CREATE TABLE bench_ceiling_person AS
       SELECT (row_number() OVER (ORDER BY person_id))::int AS n, organisation_id, person_id, id AS file_id
         FROM (SELECT DISTINCT ON (person_id) organisation_id, person_id, id FROM client_file ORDER BY person_id, organisation_id) f`,
    );
    await adminPool.query(`ALTER TABLE bench_ceiling_person ADD PRIMARY KEY (n)`);
    await adminPool.query(`CREATE SEQUENCE bench_ceiling_seq`);
    // audit_event's columns, defaults, checks and indexes, not its partitions, triggers or chain
    await adminPool.query(`CREATE TABLE bench_ceiling_audit (LIKE audit_event INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
    const serials = await adminPool.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'bench_ceiling_audit' AND column_default LIKE 'nextval(%'`,
    );
    for (const { column_name: c } of serials.rows)
      await adminPool.query(`ALTER TABLE bench_ceiling_audit ALTER COLUMN "${c}" SET DEFAULT nextval('bench_ceiling_seq')`);
    await adminPool.query(`ANALYZE bench_ceiling_person`);
    const [{ persons }] = (await adminPool.query(`SELECT count(*)::int AS persons FROM bench_ceiling_person`)).rows;
    const dir = resolve(BENCH_DIR, 'pgbench');
    mkdirSync(dir, { recursive: true });
    const file = resolve(dir, 'dossier-read.sql');
    writeFileSync(file, ceilingScript());
    const { connection, env } = pgbenchArgs(url);
    const actor = staffId(meta.seed, organisations(PRESETS[meta.scale], meta.seed)[0], 2);
    const once = (seconds) => {
      const result = spawnSync(
        bin,
        [
          '-n',
          '-M',
          'prepared',
          '-c',
          String(clients),
          '-j',
          String(Math.min(2, clients)),
          '-T',
          String(seconds),
          '-D',
          `persons=${persons}`,
          '-D',
          `actor=${actor}`,
          '-f',
          file,
          ...connection,
        ],
        { env, encoding: 'utf8' },
      );
      const out = `${result.stdout}\n${result.stderr}`;
      const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
      if (!tps) throw new Error(`pgbench failed:\n${out.slice(-2000)}\nscript:\n${ceilingScript()}`);
      return {
        tps: round(tps),
        latencyAverageMs: Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]),
        failed: Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0),
      };
    };
    once(warmup);
    const runs = Array.from({ length: repeats }, () => once(duration));
    return {
      tool: spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim(),
      mode: 'prepared',
      clients,
      persons,
      tps: spread(runs.map((r) => r.tps)),
      latencyAverageMs: spread(runs.map((r) => r.latencyAverageMs)),
      failed: runs.reduce((sum, r) => sum + r.failed, 0),
      auditRows: Number((await adminPool.query(`SELECT count(*) AS n FROM bench_ceiling_audit`)).rows[0].n),
      script: ceilingScript(),
      runs,
    };
  } finally {
    await adminPool.query(CEILING_DROP);
  }
}

// ---------- report ----------

/** Each target of TARGETS against the figures: met true/false, null when not measured (or invalid). */
function verdicts(r) {
  const v = [];
  const check = (target, measured, ok) => v.push({ target, measured, met: ok === null || ok === undefined ? null : !!ok });
  const s = r.scenarios;
  const T = TARGETS;
  const latency = (x, key) => (x ? `${atLeast(x.open[key].median)}${x.open[key].median} ms (${x.open[key].min}–${x.open[key].max})` : 'not run');
  const ratio = r.ratios.S1toCeiling;
  check(
    `S1 >= ${T.S1.ceilingRatio} of the minimal-work ceiling`,
    ratio ? `${ratio.invalid ? '**INVALID** (> 1): ' : ''}${ratio.value} (${ratio.api} req/s / ${ratio.ceiling} tps)` : 'not measured',
    ratio && !ratio.invalid ? ratio.value >= T.S1.ceilingRatio : null,
  );
  check(`S1 p99 <= ${T.S1.p99Ms} ms at ${T.S1.rate.toLocaleString('en')} req/s`, latency(s.S1, 'p99'), s.S1 ? s.S1.open.p99.median <= T.S1.p99Ms : null);
  const org = r.ratios.S1oneOrganisation;
  check(
    `S1 with all load from one organisation >= ${T.S1.oneOrganisationRatio} of the spread figure`,
    org ? `${org.value} (${org.oneOrganisation} / ${org.spread} req/s)` : 'not run',
    org ? org.value >= T.S1.oneOrganisationRatio : null,
  );
  const s2 = s.S2first && s.S2later ? Math.max(s.S2first.open.p95.median, s.S2later.open.p95.median) : null;
  check(
    `S2 p95 <= ${T.S2.p95Ms} ms`,
    s2 === null ? 'not run' : `${latency(s.S2first, 'p95')} first page, ${latency(s.S2later, 'p95')} later page`,
    s2 === null ? null : s2 <= T.S2.p95Ms,
  );
  const flat = r.ratios.S2flandersToMedium;
  check(
    `S2 p95(flanders) / p95(medium) <= ${T.S2.flandersToMedium}`,
    flat ? `${flat.value} (${flat.flanders} ms / ${flat.medium} ms)` : 'measured by a flanders run',
    flat ? flat.value <= T.S2.flandersToMedium : null,
  );
  check(`S3 p95 <= ${T.S3.p95Ms} ms`, latency(s.S3, 'p95'), s.S3 ? s.S3.open.p95.median <= T.S3.p95Ms : null);
  const pair = s.S4?.closed.pairP95;
  check(
    `S4 pair p95 <= ${T.S4.pairP95Ms} ms at ${T.S4.concurrent} concurrent`,
    pair ? `${fmt(pair, ' ms')}; at ${LOAD.S4.rate} pairs/s open loop ${latency(s.S4, 'p95')}` : 'not run',
    pair ? pair.median <= T.S4.pairP95Ms : null,
  );
  const s5 = s.S5first && s.S5later ? Math.max(s.S5first.open.p95.median, s.S5later.open.p95.median) : null;
  check(
    `S5 page p95 <= ${T.S5.pageP95Ms} ms over ${r.meta.counts.auditEvents.toLocaleString('en')} events`,
    s5 === null ? 'not run' : `${latency(s.S5first, 'p95')} first page, ${latency(s.S5later, 'p95')} later page`,
    s5 === null ? null : s5 <= T.S5.pageP95Ms,
  );
  if (s.S8)
    check(
      `S8 name search p95 <= ${T.S8.p95Ms} ms over ${r.meta.counts.persons.toLocaleString('en')} persons`,
      latency(s.S8, 'p95'),
      s.S8.open.p95.median <= T.S8.p95Ms,
    );
  check(
    `verification >= ${T.S6.eventsPerSecond.toLocaleString('en')} events/s`,
    r.S6 ? `${fmt(r.S6.eventsPerSecond)} events/s` : 'not run',
    r.S6 ? r.S6.eventsPerSecond.median >= T.S6.eventsPerSecond : null,
  );
  check(
    `audited writes >= ${T.W.eventsPerSecond.toLocaleString('en')} events/s`,
    r.W ? `${fmt(r.W.eventsPerSecond)} events/s` : 'not run',
    r.W ? r.W.eventsPerSecond.median >= T.W.eventsPerSecond : null,
  );
  const peaks = Object.values(s).map((x) => x.peakRssMb);
  const rss = peaks.length ? Math.max(...peaks) : null;
  check(
    `API peak RSS <= ${T.RSS.peakMb} MB under every scenario`,
    rss === null ? 'not run' : `${rss} MB (idle ${r.api.idleRssMb} MB)`,
    rss === null ? null : rss <= T.RSS.peakMb,
  );
  const cold = r.api.coldStartMs;
  check(`cold start to ready <= ${T.coldStart.seconds} s (every start)`, `${fmt(cold, ' ms')}`, cold.max <= T.coldStart.seconds * 1000);
  return v;
}

function ratios(r) {
  const s = r.scenarios;
  const out = {};
  const api = s.S1?.closed.perSecond.median;
  const db = r.ceiling?.tps?.median;
  if (api && db) {
    const value = round(api / db, 3);
    out.S1toCeiling = { value, api, ceiling: db, invalid: value > 1 };
  }
  if (api && s.S1org)
    out.S1oneOrganisation = { value: round(s.S1org.closed.perSecond.median / api, 3), oneOrganisation: s.S1org.closed.perSecond.median, spread: api };
  if (api && s.S7) out.S1toS7 = { value: round(api / s.S7.closed.perSecond.median, 3) };
  return out;
}

function markdown(r) {
  const out = [];
  const c = r.meta.counts;
  out.push(`# Benchmark ${r.scale}, ${r.date.slice(0, 10)}`, '');
  if (r.dirty)
    out.push(
      `> **DIRTY TREE: not a result.** Run with --dirty on uncommitted changes: ${r.changes
        .slice(0, 10)
        .map((c) => c.slice(3))
        .join(', ')}${r.changes.length > 10 ? ', ...' : ''}`,
      '',
    );
  if (r.chains.gate.ok === false)
    out.push(`> **AUDIT CHAINS DO NOT VERIFY (--allow-broken): not a result.** ${r.chains.gate.brokenChains} broken chains before the run.`, '');
  if (r.chains.after && !r.chains.after.ok) out.push(`> **THE AUDIT CHAINS DO NOT VERIFY AFTER THE RUN** (${r.chains.after.brokenChains} broken chains).`, '');
  if (r.ratios.S1toCeiling?.invalid)
    out.push(`> **INVALID: S1 is faster than its own ceiling** (ratio ${r.ratios.S1toCeiling.value}): the ceiling does not measure the minimal work.`, '');
  out.push(
    `Commit \`${r.commit}\`${r.dirty ? ' **plus uncommitted changes**' : ''}; ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB; Node ${r.machine.node}; ` +
      `PostgreSQL ${r.postgres} (${r.database}); adapter ${r.adapter}. CPU steal during the scenarios: ${r.machine.stealPercent ?? '?'}%. ` +
      `Load average when the run started (others' work on the machine): ${r.machine.loadAverageAtStart?.join(', ') ?? '?'} (1, 5, 15 min).`,
    '',
    `Method: per scenario a ${r.warmup} s warm-up (not measured), then ${r.repeats} × (open loop for ${r.duration} s at the fixed arrival rate, ` +
      `closed loop for ${r.duration} s at the fixed connections). Open loop: ${r.method.open}. Closed loop: ${r.method.closed}. ` +
      `Figures are the median of the ${r.repeats} runs with their spread (min–max). "≥" marks a percentile that is an operation past the ${DEADLINE_MS / 1000} s deadline; ` +
      `"saturated": the arrival rate is above what the API serves in the closed loop, so that latency is queueing.`,
    '',
  );
  out.push(
    `Data (generator v${r.meta.generatorVersion}, seed ${r.meta.seed}, generated ${r.meta.generatedAt.slice(0, 10)} in ${r.meta.seconds} s): ${c.organisations} organisations, ` +
      `${c.users.toLocaleString('en')} users, ${c.persons.toLocaleString('en')} persons with ${c.files.toLocaleString('en')} files ` +
      `(${Object.entries(c.filesPerPerson)
        .map(([k, n]) => `${n.toLocaleString('en')} at ${k}`)
        .join(
          ', ',
        )} organisations), OCMW files largest ${c.ocmwFiles.largest.toLocaleString('en')}, median ${c.ocmwFiles.median.toLocaleString('en')}, smallest ${c.ocmwFiles.smallest.toLocaleString('en')}; ` +
      `${c.consents.toLocaleString('en')} consents, ${c.involvements.toLocaleString('en')} involvements, ${c.trajectories.toLocaleString('en')} trajectories, ` +
      `${c.referrals.toLocaleString('en')} referrals, ${c.auditEvents.toLocaleString('en')} audit events in ${c.chains} chains (VDAB's ${Math.round(r.meta.shape.vdabShareOfEvents * 100)}%); ` +
      `${(c.bytes / 2 ** 30).toFixed(2)} GiB.`,
    '',
  );
  const g = r.chains.gate;
  out.push(
    `Audit chains before the run: ${g.ok ? 'all verify' : `**${g.brokenChains} do not verify**`} (${g.events.toLocaleString('en')} events). ` +
      (r.chains.after ? `After the run: ${r.chains.after.ok ? 'all verify' : `**${r.chains.after.brokenChains} do not verify**`}.` : ''),
    '',
  );
  out.push(
    `API: cold start to ready ${fmt(r.api.coldStartMs, ' ms')} over ${r.api.coldStartMs.runs.length} starts; idle RSS after start ${r.api.idleRssMb} MB; pool ${r.api.poolSize} connections.`,
    '',
  );
  out.push(
    '| scenario | open-loop rate /s | p50 ms | p95 ms | p99 ms | closed-loop connections | per second | errors | timeouts | API peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of Object.values(r.scenarios)) {
    out.push(
      `| ${s.label} | ${s.rate}${s.saturated ? ' (saturated)' : ''} | ${fmt(s.open.p50)} | ${fmt(s.open.p95)} | ${atLeast(s.open.p99.median)}${fmt(s.open.p99)} | ${s.connections} | ${fmt(s.closed.perSecond)} | ${s.errors} | ${s.timeouts} | ${s.peakRssMb} |`,
    );
  }
  out.push('');
  const s = r.scenarios;
  if (s.S1)
    out.push(
      `- S1 spread: ${s.S1.readers.vdab} VDAB mediators (${Math.round(VDAB_SHARE * 100)}% of the reads), ${s.S1.readers.ocmw} social workers of ${s.S1.readers.ocmws} OCMWs drawn by size.`,
    );
  if (s.S4)
    out.push(
      `- S4: ${s.S4.pool} never-referred persons, ${s.S4.perRun} per measured run; pair (send + accept) p95 in the closed loop at ${s.S4.connections} concurrent: ${fmt(s.S4.closed.pairP95, ' ms')}; per second = pairs.`,
    );
  if (s.S5first)
    out.push(
      `- S5: ${s.S5first.historyEvents.toLocaleString('en')} events on the person, ${s.S5first.reportLines.toLocaleString('en')} lines in the owner's report; pages of 50.`,
    );
  if (r.ceiling?.tps) {
    out.push(
      `- Ceiling: pgbench ${r.ceiling.mode}, ${r.ceiling.clients} clients (the API's pool), the minimal work of a dossier read (a person drawn uniformly from ${r.ceiling.persons.toLocaleString('en')}, ` +
        `its identity and sections by primary key, one audit row into a scratch table without chain, dropped afterwards): **${fmt(r.ceiling.tps)} tps** ` +
        `(${fmt(r.ceiling.latencyAverageMs, ' ms')} average, ${r.ceiling.failed} failed).`,
    );
  } else out.push(`- Ceiling: ${r.ceiling?.skipped ?? 'not measured'}.`);
  const x = r.ratios;
  if (x.S1toCeiling)
    out.push(
      `- S1 / ceiling = ${x.S1toCeiling.api} / ${x.S1toCeiling.ceiling} = **${x.S1toCeiling.value}**${x.S1toCeiling.invalid ? ' **INVALID (> 1)**' : ''}.`,
    );
  if (x.S1oneOrganisation)
    out.push(`- S1 all from VDAB / S1 spread = ${x.S1oneOrganisation.oneOrganisation} / ${x.S1oneOrganisation.spread} = **${x.S1oneOrganisation.value}**.`);
  if (x.S1toS7) out.push(`- Framework: S1 / S7 = ${x.S1toS7.value}.`);
  if (x.S2flandersToMedium)
    out.push(
      `- S2 p95 flanders / medium (the worse of first and later page): ${x.S2flandersToMedium.flanders} / ${x.S2flandersToMedium.medium} ms = **${x.S2flandersToMedium.value}**.`,
    );
  if (r.S6) out.push(`- S6 audit verification: ${r.S6.events.toLocaleString('en')} events, **${fmt(r.S6.eventsPerSecond)} events/s**.`);
  if (r.W)
    out.push(
      `- W audited writes through AuditWriter, one event per transaction, ${r.W.writers} writers on ${r.W.writers} chains: **${fmt(r.W.eventsPerSecond)} events/s**; ` +
        `the AuditSequencer alongside (every 250 ms): largest backlog ${r.W.maxBacklog ? fmt(r.W.maxBacklog) : '–'} entries, ` +
        `${r.W.drainMs ? fmt(r.W.drainMs, ' ms') : '–'} to chain what was left when the writers stopped.`,
    );
  out.push('', '## Targets (issue 15)', '', '| target | measured | met |', '|---|---|---|');
  for (const v of r.verdicts) out.push(`| ${v.target} | ${v.measured} | ${v.met === null ? '–' : v.met ? 'yes' : '**no**'} |`);
  out.push('');
  return out.join('\n');
}

// ---------- main ----------

/**
 * The database of a scale: small is generated for every run; medium and flanders are kept and reused
 * while their generator version and seed match. A kept one of another version is not replaced without
 * --fresh (regenerating drops it: ~20 minutes at flanders).
 */
async function ensureDatabase(cluster, wantedScale, { fresh }) {
  const url = databaseUrl(cluster.adminUrl, databaseName(wantedScale));
  if (wantedScale === 'small' || fresh) return { url, meta: await generate({ adminUrl: cluster.adminUrl, scale: wantedScale, seed }) };
  const client = new pg.Client({ connectionString: url });
  let meta;
  try {
    await client.connect();
    meta = (await client.query(`SELECT meta FROM bench_meta`)).rows[0]?.meta;
  } catch {
    /* not generated yet */
  } finally {
    await client.end().catch(() => undefined);
  }
  if (meta && meta.generatorVersion === GENERATOR_VERSION && meta.seed === seed) {
    log(`reusing the ${wantedScale} database generated ${meta.generatedAt} (--fresh regenerates)`);
    return { url, meta };
  }
  if (meta)
    throw new Error(
      `the kept ${wantedScale} database was generated by generator v${meta.generatorVersion} with seed ${meta.seed}; this bench needs v${GENERATOR_VERSION} with seed ${seed}. ` +
        `Run with --fresh to regenerate it (that drops it).`,
    );
  return { url, meta: await generate({ adminUrl: cluster.adminUrl, scale: wantedScale, seed }) };
}

/** Refuses a database whose chains do not verify, unless --allow-broken. */
async function gate(url, name) {
  const result = await verifyChains(url);
  log(
    `audit chains of ${name}: ${result.ok ? 'all verify' : `${result.brokenChains} DO NOT VERIFY`} (${result.events.toLocaleString('en')} events, ${result.seconds} s)`,
  );
  if (!result.ok) {
    for (const b of result.broken) log(`  chain ${b.chain}: ${JSON.stringify(b.firstBroken)}`);
    if (!allowBroken) {
      const error = new Error(
        `the audit chains of ${name} do not verify: not benchmarking on it (--fresh regenerates; --allow-broken runs anyway, reported as not a result)`,
      );
      error.refusal = true;
      throw error;
    }
    log('  --allow-broken: running anyway; the report says so');
  }
  return result;
}

/** S2 on the medium database in the same run, for the flat-cost ratio flanders/medium. */
async function mediumS2(cluster, report) {
  const medium = await ensureDatabase(cluster, 'medium', { fresh: false });
  report.chains.medium = await gate(medium.url, 'the medium database');
  const api = await startApi({ url: medium.url, name: 'API (medium)', scaleName: 'medium' });
  const pool = new pg.Pool({ connectionString: medium.url, max: 2 });
  try {
    const people = await population(pool, medium.meta);
    const headers = { authorization: `Bearer ${await login(api.base, people.mediator(0))}`, 'x-purpose': 'MEDIATION' };
    const middle = Buffer.from('80000000-0000-4000-8000-000000000000').toString('base64url');
    const first = await measure(api, { key: 'S2first', label: 'S2 medium, first page', next: () => ({ method: 'GET', path: '/clients?limit=25', headers }) });
    const later = await measure(api, {
      key: 'S2later',
      label: 'S2 medium, later page',
      next: () => ({ method: 'GET', path: `/clients?limit=25&cursor=${middle}`, headers }),
    });
    log(line(first));
    log(line(later));
    const mediumP95 = Math.max(first.open.p95.median, later.open.p95.median);
    const flandersP95 = Math.max(report.scenarios.S2first.open.p95.median, report.scenarios.S2later.open.p95.median);
    report.ratios.S2flandersToMedium = {
      value: round(flandersP95 / mediumP95, 2),
      flanders: flandersP95,
      medium: mediumP95,
      mediumFirst: first,
      mediumLater: later,
    };
  } finally {
    await pool.end();
    await api.stop();
  }
}

const started = performance.now();
/** the machine's load before this run added any: what others run beside the bench (1, 5, 15 minutes) */
const loadAtStart = os.loadavg().map((x) => round(x, 2));
const tree = treeState();
if (tree.dirty && !allowDirty) {
  console.error(
    `The tree has uncommitted changes (bench/results aside):\n  ${tree.changes.join('\n  ')}\nCommit them, or run with --dirty (the report then says it is not a result).`,
  );
  process.exit(2);
}
if (tree.dirty) log(`\n*** DIRTY TREE: not a result (--dirty; ${tree.changes.length} uncommitted changes) ***\n`);

const cluster = await openCluster();
let exitCode = 0;
try {
  const { url, meta } = await ensureDatabase(cluster, scale, { fresh: flag('fresh') });
  const adminPool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const report = {
      benchVersion: 2,
      date: new Date().toISOString(),
      scale,
      commit: tree.commit,
      dirty: tree.dirty,
      changes: tree.changes,
      allowBroken,
      duration,
      warmup,
      repeats,
      adapter: 'fastify',
      deadlineMs: DEADLINE_MS,
      method: {
        open: `hand-rolled driver (node:http, keep-alive, at most the scenario's connections on the wire), latency from each operation's scheduled send time (no coordinated omission), deadline ${DEADLINE_MS / 1000} s`,
        closed: 'autocannon',
      },
      targets: TARGETS,
      load: LOAD,
      machine: { ...machine(), loadAverageAtStart: loadAtStart },
      postgres: await serverVersion(url),
      database: cluster.describe,
      meta,
      chains: { gate: await gate(url, `the ${scale} database`) },
      ratios: {},
    };
    log(
      `\nscenarios against ${scale} (${meta.counts.persons.toLocaleString('en')} persons, ${meta.counts.auditEvents.toLocaleString('en')} audit events): ` +
        `${warmup} s warm-up, ${repeats} x (${duration} s open loop + ${duration} s closed loop) each`,
    );
    // Cold start: three starts of the API on the database; the last one serves the scenarios.
    const coldStarts = [];
    let api;
    for (let i = 0; i < 3; i++) {
      if (api) await api.stop();
      api = await startApi({ url });
      coldStarts.push(api.coldStartMs);
    }
    const poolSize = loadConfig(apiEnv(url, 0, scale)).database.poolSize;
    report.api = { coldStartMs: spread(coldStarts), idleRssMb: api.idleRssMb, poolSize };
    log(`API: cold start to ready ${fmt(report.api.coldStartMs, ' ms')}, idle RSS ${api.idleRssMb} MB, pool ${poolSize}`);
    const cpuBefore = existsSync('/proc/stat') ? cpuTimes() : undefined;
    try {
      report.scenarios = await scenarios(api, meta, adminPool);
    } finally {
      await api.stop();
    }
    if (cpuBefore) {
      const after = cpuTimes();
      report.machine.stealPercent = round((100 * (after.steal - cpuBefore.steal)) / Math.max(1, after.total - cpuBefore.total));
    }
    if (only) {
      log(`\n--only ${only.join(',')}: no report written (CPU steal ${report.machine.stealPercent ?? '?'}%)`);
    } else {
      report.ceiling = await ceiling(url, adminPool, meta, poolSize);
      log(
        `ceiling: pgbench, minimal work of a dossier read, ${poolSize} clients: ${report.ceiling.tps ? fmt(report.ceiling.tps) : report.ceiling.skipped} tps`,
      );
      const writes = [];
      for (let i = 0; i < repeats; i++) writes.push(await auditedWrites(url, meta, Math.min(duration, 10)));
      report.W = {
        writers: writes[0].writers,
        eventsPerSecond: spread(writes.map((w) => w.eventsPerSecond)),
        maxBacklog: spread(writes.map((w) => w.maxBacklog)),
        drainMs: spread(writes.map((w) => w.drainMs)),
        runs: writes,
      };
      log(
        `W  audited writes: ${fmt(report.W.eventsPerSecond)} events/s (${report.W.writers} writers); sequencer alongside: ` +
          `largest backlog ${fmt(report.W.maxBacklog)} entries, ${fmt(report.W.drainMs, ' ms')} to drain at the end`,
      );
      const verifications = [];
      for (let i = 0; i < repeats; i++) verifications.push(await verifyChains(url));
      report.chains.after = verifications.at(-1);
      report.S6 = { events: report.chains.after.events, eventsPerSecond: spread(verifications.map((x) => x.eventsPerSecond)), runs: verifications };
      log(
        `S6 verification: ${fmt(report.S6.eventsPerSecond)} events/s over ${report.S6.events.toLocaleString('en')} events; chains ${report.chains.after.ok ? 'verify' : 'DO NOT VERIFY'}`,
      );
      report.ratios = ratios(report);
      if (report.ratios.S1toCeiling?.invalid)
        log(`\n*** INVALID: S1 / ceiling = ${report.ratios.S1toCeiling.value} > 1: the API cannot be faster than the minimal work ***\n`);
      if (scale === 'flanders') await mediumS2(cluster, report);
      report.verdicts = verdicts(report);
      report.seconds = round((performance.now() - started) / 1000);
      const dir = resolve(ROOT, 'bench/results');
      mkdirSync(dir, { recursive: true });
      const stem = `${report.date.slice(0, 10)}-${scale}${tree.dirty ? '-DIRTY' : ''}${report.chains.gate.ok ? '' : '-BROKEN'}`;
      writeFileSync(resolve(dir, `${stem}.json`), JSON.stringify(report, null, 2) + '\n');
      writeFileSync(resolve(dir, `${stem}.md`), markdown(report));
      log(`\n${markdown(report)}\nwritten to bench/results/${stem}.md and .json in ${report.seconds} s`);
      if (tree.dirty) log('*** DIRTY TREE: not a result ***');
    }
  } finally {
    await adminPool.end();
  }
} catch (error) {
  if (error.refusal) console.error(`\n${error.message}`);
  else console.error(error);
  exitCode = 1;
} finally {
  await cluster.stop();
  rmSync(resolve(BENCH_DIR, 'pgbench'), { recursive: true, force: true });
}
process.exit(exitCode);
