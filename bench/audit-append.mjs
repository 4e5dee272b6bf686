// Audited writes without a chain lock, run on purpose:
//   npm run build && node bench/audit-append.mjs [--writers 50] [--chains 1] [--seconds 10] [--report]
// `writers` concurrent transactions, each appending one audit event (as one dossier read does) through
// the service's AuditWriter, as the request role, on `chains` organisation chains (1: all load from one
// organisation, the case the old per-chain lock capped at 222 tps with 50 clients). Meanwhile the
// service's AuditSequencer runs as in the API (every AUDIT_SEQUENCE_MS, 250 ms). Reports events
// appended per second, the append latency (p50/p99), events sequenced per second, the largest backlog
// of entries waiting, how long the last ones waited, and verifies the chains afterwards.
// With --report, writes bench/results/<date>-audit-append-<chains>.md (refused from a dirty tree).
// Uses DATABASE_URL (a server you can create databases on) or a throwaway embedded PostgreSQL.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openBenchDatabase } from './support/database.mjs';
import { AuditSequencer, AuditWriter, signingKeys, verifyAuditChains } from '../dist/libs/audit/src/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const writers = arg('writers', 50);
const chainCount = arg('chains', 1);
const seconds = arg('seconds', 10);
const report = process.argv.includes('--report');
const ROOT = resolve(import.meta.dirname, '..');
const git = (...a) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
const commit = git('rev-parse', 'HEAD');
const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
if (report && dirty) throw new Error('refusing to write a report from a dirty tree: commit first');

const { ds, close } = await openBenchDatabase('casework_bench_append', writers + 2);
const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const config = {
  signingKeyPem: pem,
  checkpointFile: join(mkdtempSync(join(os.tmpdir(), 'casework-bench-append-')), 'checkpoints.jsonl'),
  checkpointMaxAgeSeconds: 300,
  checkpointMaxEvents: 10_000,
  checkpointPollSeconds: 0,
  sequenceIntervalMs: Number(process.env.AUDIT_SEQUENCE_MS ?? 250),
  sequenceBatch: Number(process.env.AUDIT_SEQUENCE_BATCH ?? 5000),
  sequenceMaxLagSeconds: 60,
  flagPersonsPerHour: 50,
  flagDenialsPerTenMinutes: 10,
  workingHours: [7, 19],
};
try {
  const chains = Array.from({ length: chainCount }, () => randomUUID());
  const writer = new AuditWriter();
  const sequencer = new AuditSequencer(ds, config);
  const write = (tx, w, i) =>
    writer.write(
      (sql, params) => tx.query(sql, params),
      { userId: randomUUID(), organisationId: chains[w % chains.length], roles: ['MEDIATOR'], purpose: 'MEDIATION', requestId: `bench-${w}-${i}` },
      [{ action: 'client.read', decision: 'ALLOW', resourceType: 'ClientFile', subjectPersonId: randomUUID(), categories: ['IDENTITY', 'CONTACT'] }],
    );
  const appendOne = (w, i) =>
    ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE casework_app`);
      await write(tx, w, i);
    });
  // warm-up: connections open, plans cached
  await Promise.all(Array.from({ length: writers }, (_, w) => appendOne(w, -1)));
  await sequencer.flush();

  sequencer.onApplicationBootstrap();
  let maxBacklog = 0;
  const sampler = setInterval(async () => {
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_entry`);
    maxBacklog = Math.max(maxBacklog, n);
  }, 100);
  const [{ before }] = await ds.query(`SELECT count(*)::int AS before FROM audit_event`);
  const latencies = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < until; i++) {
        const t0 = performance.now();
        await appendOne(w, i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const [{ sequenced, waiting }] = await ds.query(
    `SELECT (SELECT count(*)::int FROM audit_event) - $1 AS sequenced, (SELECT count(*)::int FROM audit_entry) AS waiting`,
    [before],
  );
  clearInterval(sampler);
  const drainStarted = performance.now();
  await sequencer.beforeApplicationShutdown();
  const drainMs = performance.now() - drainStarted;
  const verification = await verifyAuditChains(ds, signingKeys(pem).publicKeyPem, { chains, maxLagSeconds: 0 });
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
  const [{ version }] = await ds.query(`SELECT current_setting('server_version') AS version`);
  const lines = [
    `# Audited writes without a chain lock (${writers} writers, ${chainCount} chain${chainCount > 1 ? 's' : ''})`,
    '',
    `- Commit ${commit}${dirty ? ' (DIRTY TREE: not a result)' : ''}; ${new Date().toISOString()}; ${os.cpus().length} CPUs, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${version}; \`node bench/audit-append.mjs --writers ${writers} --chains ${chainCount} --seconds ${seconds}\``,
    `- Each transaction: SET LOCAL ROLE casework_app, one AuditWriter append (one INSERT), COMMIT; the AuditSequencer every ${config.sequenceIntervalMs} ms, batches of ${config.sequenceBatch}.`,
    '',
    `| figure | value |`,
    `|---|---|`,
    `| events appended per second | ${Math.round(latencies.length / elapsed).toLocaleString('en')} |`,
    `| append transaction p50 / p99 ms | ${pct(50)} / ${pct(99)} |`,
    `| events sequenced per second during the run | ${Math.round(sequenced / elapsed).toLocaleString('en')} |`,
    `| largest backlog of entries waiting (sampled every 100 ms) | ${maxBacklog.toLocaleString('en')} |`,
    `| entries waiting when the writers stopped; time to drain them | ${waiting.toLocaleString('en')}; ${drainMs.toFixed(0)} ms |`,
    `| chains verify after the run | ${verification.ok ? 'yes' : 'NO'} (${verification.events.toLocaleString('en')} events, ${verification.unsequenced.entries} unsequenced) |`,
  ];
  console.log(lines.join('\n'));
  if (report) {
    const file = join(ROOT, 'bench/results', `${new Date().toISOString().slice(0, 10)}-audit-append-${writers}w-${chainCount}c.md`);
    writeFileSync(file, lines.join('\n') + '\n');
    console.log(`written ${file}`);
  }
  if (!verification.ok) process.exitCode = 1;
} finally {
  await close();
}
