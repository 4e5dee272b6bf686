// Deterministic data at the size of a job-shop network, written set-based into a migrated database:
//   npm run build && node bench/generate.mjs [--scale small|medium|flanders] [--seed 1]
// small: 20 OCMWs, 20,000 persons, 200,000 audit events (well under a minute).
// medium: the flanders organisations with 100,000 persons and 1,000,000 audit events (the flat-cost
// ratio flanders/medium compares 1M persons with 100k, not with 20k).
// flanders: 300 local governments with their OCMW, VDAB, RVA, PWA, ATB and social-economy organisations,
// ~6,000 users, 1,000,000 persons, ~1.6M consents, 400,000 trajectories, ~250,000 referrals,
// 10,000,000 audit events in valid hash chains with signed checkpoints.
//
// The shapes the load depends on:
// - VDAB is one organisation with every mediator of Flanders (as the service models an organisation:
//   one audit chain, one caseload): a third of all audit events are its own.
// - OCMWs differ in size: OCMW k has a share 1/(k+1) (Zipf) of the OCMW clients and of the OCMW staff
//   (at least 3 each), so OCMW 0 is the Antwerp of the data set and most are small.
// - A person has files at 1 to 3 organisations (about half one, 45% two, 5% three).
//
// Every identifier is md5(seed:kind:n) shaped as a version-4 UUID, so the same seed gives the same rows; dates are relative to
// the day of generation (recorded in bench_meta). Person n = 5m + r decides the person's story; the
// person's OCMW is drawn from the Zipf shares by md5(seed:ocmw:n):
//   r = 0: VDAB's own job seeker, with a consent to the OCMW for advice; m even: the OCMW has a file too;
//   r = 1..4: a client of the OCMW, with a notice to VDAB:
//     r = 1 shared: VDAB's EXECUTOR involvement, MEDIATION trajectory directed by the OCMW, accepted warm
//           handover, an older revoked consent, and VDAB's own file; m % 4 = 0: a PWA file as well;
//     r = 2 an ACTIVATION trajectory of the OCMW (planned, active, completed or stopped), older revoked consent;
//     r = 3 m % 4 <> 3: no referral yet (the pool the handover scenario draws from);
//           m % 4 = 3: a referral to VDAB in one of the other states;
//     r = 4 a consent naming an ATB, which has its own file.
// Audit events: one hash chain per organisation, VDAB's a third of them, the rest proportional to staff,
// over two years, hashed with the service's own canonicalisation; the generated database is checked by
// the service's own verification before it is declared done. The signed checkpoints are also written
// to .data/bench/checkpoints-<scale>.jsonl (the file the API appends to), replacing an older one.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import argon2 from 'argon2';
import cliProgress from 'cli-progress';
import { createDataSource, runMigrations } from '../dist/apps/api/src/database/data-source.js';
import { GENESIS_HASH, chainHash, checkpointPayload, signingKeys, verifyAuditChains } from '../dist/libs/audit/src/index.js';
import { BENCH_DIR, databaseUrl, openCluster, withAdmin } from './support/cluster.mjs';

// 2: the office's EXECUTOR involvement is recorded by the file's owner (the OCMW that handed over), as
// only the owner's records are grounds for its data
// 3: the history person has 10,000 events (2,500 on the OCMW's chain, 7,500 on the office's, its shared
// reads grounded on the OCMW's notice), all of them in the OCMW's report; events of the last year name
// their owner as the writer does today, older ones do not (written before events named their owner)
// 4: VDAB one organisation (no regional offices) with a third of the events; OCMWs of Zipf sizes; files at
// 1-3 organisations; S4's pool 3/4 of the r = 3 persons; the history person is the first shared client
// of the largest OCMW (bench_meta names it); checkpoints written to the scale's checkpoint file
export const GENERATOR_VERSION = 4;
export const BENCH_PASSWORD = 'bench-password-not-secret';

const FLANDERS_STAFF = { OCMW: 10, VDAB: 1320, MUNICIPALITY: 1, RVA: 50, PWA: 5, ATB: 20, SOCIAL_ECONOMY_DIRECTOR: 5 };
/** staff.OCMW is the mean: OCMW k gets its Zipf share of ocmws x staff.OCMW, at least 3 */
export const PRESETS = {
  small: {
    ocmws: 20,
    pwas: 2,
    atbs: 1,
    socialEconomy: 2,
    persons: 20_000,
    auditEvents: 200_000,
    staff: { OCMW: 6, VDAB: 108, MUNICIPALITY: 1, RVA: 5, PWA: 3, ATB: 4, SOCIAL_ECONOMY_DIRECTOR: 3 },
  },
  medium: { ocmws: 300, pwas: 20, atbs: 5, socialEconomy: 20, persons: 100_000, auditEvents: 1_000_000, staff: FLANDERS_STAFF },
  flanders: { ocmws: 300, pwas: 20, atbs: 5, socialEconomy: 20, persons: 1_000_000, auditEvents: 10_000_000, staff: FLANDERS_STAFF },
};
/** VDAB's share of all audit events (and of S1's spread load in bench/run) */
export const VDAB_SHARE = 1 / 3;
/** the history person's events per chain: the owning OCMW's own reads, VDAB's shared reads (10,000 in all) */
export const HISTORY_EVENTS = { OCMW: 2500, VDAB: 7500 };

/** OCMW k's share of the OCMW clients and staff: 1/(k+1), normalised (Zipf with exponent 1). */
export function ocmwShares(preset) {
  const weights = Array.from({ length: preset.ocmws }, (_, k) => 1 / (k + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
}

export const databaseName = (scale) => `casework_bench_${scale}`;
/** The same uuid PostgreSQL's md5(text)::uuid gives. */
/** md5(seed:kind:n) with the RFC 9562 version 4 and variant bits set, so the API accepts it as a UUID. */
export function benchId(seed, kind, n) {
  const h = createHash('md5').update(`${seed}:${kind}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
}

/** The benchmark's audit signing key, kept beside the generated databases (the API gets it at start). */
export function benchSigningKeyPem() {
  const file = resolve(BENCH_DIR, 'audit-signing-key.pem');
  if (!existsSync(file)) {
    mkdirSync(BENCH_DIR, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8');
}

/** Organisations as (kind, n, staff): the same list the SQL writes, so Node knows every id and user. */
export function organisations(preset, seed) {
  const list = [];
  const add = (kind, key, count, extra = {}) => {
    for (let n = 0; n < count; n++) list.push({ kind, key, n, id: benchId(seed, `org:${key}`, n), staff: preset.staff[key], ...extra });
  };
  add('VDAB', 'VDAB', 1);
  add('MUNICIPALITY', 'MUNICIPALITY', preset.ocmws);
  ocmwShares(preset).forEach((share, n) =>
    list.push({
      kind: 'OCMW',
      key: 'OCMW',
      n,
      id: benchId(seed, 'org:OCMW', n),
      staff: Math.max(3, Math.round(preset.staff.OCMW * preset.ocmws * share)),
      share,
    }),
  );
  add('RVA', 'RVA', 1);
  add('PWA', 'PWA', preset.pwas);
  add('ATB', 'ATB', preset.atbs);
  add('SOCIAL_ECONOMY_DIRECTOR', 'SOCIAL_ECONOMY_DIRECTOR', preset.socialEconomy);
  return list;
}

const ROLE = {
  OCMW: 'SOCIAL_WORKER',
  VDAB: 'MEDIATOR',
  ATB: 'TRAJECTORY_GUIDE',
  RVA: 'SOCIAL_WORKER',
  PWA: 'SOCIAL_WORKER',
  SOCIAL_ECONOMY_DIRECTOR: 'SOCIAL_WORKER',
  MUNICIPALITY: 'ORG_ADMIN',
};
/** staff member u of an organisation: 0 privacy officer, 1 admin, the rest case workers (a municipality has one admin) */
export function staffRole(key, u) {
  if (key === 'MUNICIPALITY') return 'ORG_ADMIN';
  return u === 0 ? 'PRIVACY_OFFICER' : u === 1 ? 'ORG_ADMIN' : ROLE[key];
}
export const staffEmail = (org, u) =>
  `${staffRole(org.key, u).toLowerCase().replace(/_/g, '-')}${u}.${org.key.toLowerCase().replace(/_/g, '-')}${org.n}@bench.test`;
export const staffId = (seed, org, u) => benchId(seed, `user:${org.key}:${org.n}`, u);

/** mulberry32: a small seeded PRNG, so audit events (and bench/run.mjs's load) are the same for the same seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function generate({ adminUrl, scale = 'small', seed = 1, log = console.log }) {
  const preset = PRESETS[scale];
  if (!preset) throw new Error(`unknown scale "${scale}" (${Object.keys(PRESETS).join(', ')})`);
  const name = databaseName(scale);
  const started = performance.now();
  await withAdmin(adminUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const ds = createDataSource(databaseUrl(adminUrl, name), 3);
  await ds.initialize();
  const steps = [];
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | {step} | {duration_formatted}', hideCursor: true, noTTYOutput: true, notTTYSchedule: 15_000, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  const WEIGHTS = { schema: 2, organisations: 1, persons: 14, sharing: 12, trajectories: 10, referrals: 5, audit: 50, verify: 5, analyze: 4 };
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  let done = 0;
  bar.start(total, 0, { step: 'schema' });
  const step = async (key, label, work) => {
    const t = performance.now();
    bar.update(done, { step: label });
    const result = await work((fraction) => bar.update(done + WEIGHTS[key] * fraction, { step: label }));
    done += WEIGHTS[key];
    bar.update(done, { step: label });
    steps.push({ step: label, seconds: +((performance.now() - t) / 1000).toFixed(1) });
    return result;
  };
  const runner = ds.createQueryRunner();
  const q = (sql, params) => runner.query(sql, params);
  const S = `'${Number(seed)}'`;
  const id = (kind, n) => `overlay(overlay(md5(${S} || ':${kind}:' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;
  const orgs = organisations(preset, seed);
  const vdabId = orgs.find((o) => o.key === 'VDAB').id;
  const keys = benchSigningKeyPem();
  try {
    await step('schema', 'migrations', () => runMigrations(ds));
    await q(`SET synchronous_commit = off`);

    await step('organisations', 'organisations and staff', async () => {
      await q(`CREATE TEMP TABLE o (kind text, key text, n int, id uuid, staff int, PRIMARY KEY (key, n))`);
      await q(`INSERT INTO o SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(kind text, key text, n int, id uuid, staff int)`, [
        JSON.stringify(orgs.map(({ kind, key, n, id, staff }) => ({ kind, key, n, id, staff }))),
      ]);
      await q(
        `INSERT INTO organisation (id, kind, name, kbo_number, nis_code)
         SELECT id, kind, name, body || lpad((97 - (body::bigint % 97))::text, 2, '0'), nis
           FROM (SELECT o.id, o.kind,
                        CASE o.key WHEN 'VDAB' THEN 'VDAB' ELSE initcap(replace(o.key, '_', ' ')) || ' ' || (o.n + 1) END AS name,
                        '0' || lpad((row_number() OVER (ORDER BY o.key, o.n) + 2000000)::text, 7, '0') AS body,
                        CASE WHEN o.key IN ('OCMW','MUNICIPALITY') THEN lpad((11000 + o.n)::text, 5, '0') END AS nis
                   FROM o) x`,
      );
      const hash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
      const staff = orgs.flatMap((org) =>
        Array.from({ length: org.staff }, (_, u) => ({ id: staffId(seed, org, u), org: org.id, email: staffEmail(org, u), role: staffRole(org.key, u) })),
      );
      await q(
        `INSERT INTO app_user (id, organisation_id, email, display_name, password_hash)
         SELECT id, org, email, initcap(split_part(email, '@', 1)), $2 FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, org uuid, email text, role text)`,
        [JSON.stringify(staff), hash],
      );
      await q(`INSERT INTO user_role (user_id, role) SELECT id, role FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, role text)`, [JSON.stringify(staff)]);
      await q(
        `INSERT INTO user_certification (user_id, kind, obtained_on, expires_on)
         SELECT u.user_id, 'PARTNER_PORTAL_BASIC', current_date - 200, current_date + 900 FROM user_role u
          WHERE u.role IN ('SOCIAL_WORKER','MEDIATOR','TRAJECTORY_GUIDE')`,
      );
    });

    await step('persons', 'persons, files, identities, sections', async (progress) => {
      // The person's OCMW: the bucket of md5(seed:ocmw:n) as a fraction in [0, 1) among the OCMWs' cumulative Zipf shares.
      const shares = ocmwShares(preset);
      const lows = shares.map((_, k) => shares.slice(0, k).reduce((a, b) => a + b, 0));
      await q(
        `CREATE TEMP TABLE p AS
         SELECT x.n, x.id, x.r, x.m, x.ocmw_n, c.id AS ocmw, $2::uuid AS vdab, CASE WHEN x.r = 0 THEN $2::uuid ELSE c.id END AS owner
           FROM (SELECT n, ${id('person', 'n')} AS id, n % 5 AS r, n / 5 AS m,
                        width_bucket(('x' || lpad(substr(md5(${S} || ':ocmw:' || n), 1, 8), 16, '0'))::bit(64)::bigint / 4294967296.0, $1::float8[]) - 1 AS ocmw_n
                   FROM generate_series(1, ${preset.persons}) n) x
           JOIN o c ON c.key = 'OCMW' AND c.n = x.ocmw_n`,
        [lows, vdabId],
      );
      await q(`CREATE INDEX ON p (r)`);
      await q(`CREATE UNIQUE INDEX ON p (n)`);
      await q(`ANALYZE p`);
      // Every file: the story's own (main), and the other organisations that know the person.
      await q(
        `CREATE TEMP TABLE pf AS
         SELECT n, r, m, id AS person, owner AS org, CASE WHEN r = 0 THEN 'VDAB' ELSE 'OCMW' END AS key, true AS main FROM p
         UNION ALL SELECT n, r, m, id, vdab, 'VDAB', false FROM p WHERE r = 1
         UNION ALL SELECT n, r, m, id, ocmw, 'OCMW', false FROM p WHERE r = 0 AND m % 2 = 0
         UNION ALL SELECT p.n, p.r, p.m, p.id, w.id, 'PWA', false FROM p JOIN o w ON w.key = 'PWA' AND w.n = p.ocmw_n % ${preset.pwas} WHERE p.r = 1 AND p.m % 4 = 0
         UNION ALL SELECT p.n, p.r, p.m, p.id, t.id, 'ATB', false FROM p JOIN o t ON t.key = 'ATB' AND t.n = p.ocmw_n % ${preset.atbs} WHERE p.r = 4`,
      );
      await q(`ANALYZE pf`);
      progress(0.1);
      await q(
        `INSERT INTO person (id, insz, created_at)
         SELECT id, lpad((100000000 + n)::text, 9, '0') || lpad((97 - ((100000000 + n) % 97))::text, 2, '0'), now() - interval '2 years' FROM p`,
      );
      progress(0.25);
      await q(`INSERT INTO client_file (organisation_id, person_id, created_at) SELECT org, person, now() - interval '2 years' FROM pf`);
      progress(0.4);
      await q(
        `INSERT INTO client_identity (organisation_id, person_id, insz, first_name, last_name, birth_date)
         SELECT pf.org, pf.person, pe.insz,
                (ARRAY['Lena','Youssef','Marieke','Dries','Amina','Kevin','Olena','Sofie','Jonas','Fatima','Pieter','Nora'])[1 + pf.n % 12],
                (ARRAY['Peeters','Janssens','Maes','Jacobs','Mertens','Willems','Claes','Goossens','Wouters','De Smet','El Amrani','Dubois'])[1 + (pf.n / 12) % 12]
                  || ' ' || (pf.n % 997),
                date '1960-01-01' + (pf.n % 15000)::int
           FROM pf JOIN person pe ON pe.id = pf.person`,
      );
      progress(0.65);
      await q(
        `INSERT INTO client_section (organisation_id, person_id, category, content)
         SELECT org, person, 'CONTACT', jsonb_build_object('phone', '+32 470 ' || lpad((n % 1000000)::text, 6, '0'), 'municipality', 'Gemeente ' || (m % 300)) FROM pf
         UNION ALL
         SELECT org, person, 'EMPLOYMENT', jsonb_build_object('lastJob', 'Magazijnier', 'yearsWorked', n % 20) FROM pf
          WHERE key IN ('VDAB', 'ATB') OR (key = 'OCMW' AND main AND r = 1)
         UNION ALL
         SELECT org, person, 'WELFARE', jsonb_build_object('income', 'leefloon', 'since', '2024') FROM pf
          WHERE key = 'OCMW' AND (r IN (1, 2) OR NOT main)`,
      );
      progress(0.9);
      await q(
        `INSERT INTO involvement (organisation_id, person_id, capacity, purpose, valid_from, source, recorded_by_organisation_id, recorded_at)
         SELECT org, person, 'OWNER', CASE WHEN key = 'VDAB' THEN 'MEDIATION' ELSE 'ACTIVATION' END, current_date - 700, 'REGISTRATION', org,
                now() - interval '700 days' FROM pf`,
      );
    });

    await step('sharing', 'agreements, consents, involvements', async (progress) => {
      // Agreements: each OCMW with VDAB, each OCMW with its ATB; confirmed by both parties.
      await q(
        `CREATE TEMP TABLE pairing AS
         SELECT c.id AS a, v.id AS b, ${id('agreement-vdab', 'c.n')} AS agreement, 'VDAB' AS partner
           FROM o c JOIN o v ON v.key = 'VDAB' WHERE c.key = 'OCMW'
         UNION ALL
         SELECT c.id, t.id, ${id('agreement-atb', 'c.n')}, 'ATB'
           FROM o c JOIN o t ON t.key = 'ATB' AND t.n = c.n % ${preset.atbs} WHERE c.key = 'OCMW'`,
      );
      await q(
        `INSERT INTO agreement (id, purposes, valid_from, valid_until, document_reference, activated_at, created_by_organisation_id)
         SELECT agreement, '{ACTIVATION,MEDIATION,ADVICE}', current_date - 730, current_date + 1500, 'Samenwerkingsovereenkomst bench ' || agreement, now() - interval '730 days', a
           FROM pairing`,
      );
      await q(
        `INSERT INTO agreement_party (agreement_id, organisation_id, confirmed_at)
         SELECT agreement, a, now() - interval '730 days' FROM pairing UNION ALL SELECT agreement, b, now() - interval '730 days' FROM pairing`,
      );
      await q(
        `INSERT INTO agreement_flow (agreement_id, from_organisation_id, to_organisation_id, categories)
         SELECT agreement, a, b, '{IDENTITY,CONTACT,EMPLOYMENT,TRAJECTORY,OBSTACLES}'::text[] FROM pairing
         UNION ALL SELECT agreement, b, a, '{IDENTITY,CONTACT,EMPLOYMENT}'::text[] FROM pairing`,
      );
      progress(0.05);
      const [recorder] = await q(`SELECT id FROM app_user ORDER BY id LIMIT 1`);
      // Notices from every OCMW client's file to VDAB.
      await q(
        `INSERT INTO consent (id, organisation_id, person_id, recipient_organisation_ids, purposes, categories, legal_basis, method, valid_from, recorded_by, recorded_at)
         SELECT ${id('consent-notice', 'n')}, ocmw, id, ARRAY[vdab], '{ACTIVATION,MEDIATION}', '{IDENTITY,CONTACT,EMPLOYMENT,TRAJECTORY}',
                'PUBLIC_TASK_NOTICE', 'SIGNED_FORM', current_date - 400, $1, now() - interval '400 days'
           FROM p WHERE r <> 0`,
        [recorder.id],
      );
      progress(0.35);
      // An older consent, revoked, for the shared and activation clients.
      await q(
        `INSERT INTO consent (id, organisation_id, person_id, recipient_organisation_ids, purposes, categories, legal_basis, method, valid_from,
                              recorded_by, recorded_at, revoked_at, revoked_by, revocation_reason)
         SELECT ${id('consent-old', 'n')}, ocmw, id, ARRAY[vdab], '{MEDIATION}', '{IDENTITY,CONTACT,WELFARE}', 'CONSENT', 'SIGNED_FORM', current_date - 700,
                $1, now() - interval '700 days', now() - interval '420 days', $1, 'Replaced by the notice of the renewed agreement'
           FROM p WHERE r IN (1, 2)`,
        [recorder.id],
      );
      progress(0.6);
      await q(
        `INSERT INTO consent (id, organisation_id, person_id, recipient_organisation_ids, purposes, categories, legal_basis, method, valid_from, recorded_by, recorded_at)
         SELECT ${id('consent-advice', 'n')}, owner, id, ARRAY[ocmw], '{ADVICE}'::text[], '{IDENTITY,CONTACT}'::text[], 'CONSENT', 'DIGITAL', current_date - 300, $1::uuid, now() - interval '300 days'
           FROM p WHERE r = 0
         UNION ALL
         SELECT ${id('consent-atb', 'p.n')}, p.owner, p.id, ARRAY[t.id], '{ACTIVATION}', '{IDENTITY,CONTACT,EMPLOYMENT}', 'CONSENT', 'VERBAL', current_date - 200, $1, now() - interval '200 days'
           FROM p JOIN o t ON t.key = 'ATB' AND t.n = p.ocmw_n % ${preset.atbs} WHERE r = 4`,
        [recorder.id],
      );
      progress(0.85);
      await q(
        `INSERT INTO involvement (id, organisation_id, person_id, capacity, purpose, valid_from, source, recorded_by_organisation_id, recorded_at)
         SELECT ${id('involvement-executor', 'n')}, vdab, id, 'EXECUTOR', 'MEDIATION', current_date - 380, 'HANDOVER', owner, now() - interval '380 days'
           FROM p WHERE r = 1`,
      );
    });

    await step('trajectories', 'trajectories and participants', async (progress) => {
      await q(
        `INSERT INTO trajectory (id, person_id, director_organisation_id, type, status, outcome, started_at, closed_at, created_at, updated_at)
         SELECT ${id('trajectory', 'n')}, id, ocmw,
                CASE WHEN r = 1 THEN 'MEDIATION' ELSE 'ACTIVATION' END,
                CASE WHEN r = 1 THEN 'ACTIVE' ELSE (ARRAY['PLANNED','ACTIVE','COMPLETED','STOPPED'])[1 + m % 4] END,
                CASE WHEN r = 2 AND m % 4 = 2 THEN 'EMPLOYED' WHEN r = 2 AND m % 4 = 3 THEN 'NOT_READY' END,
                CASE WHEN r = 1 OR m % 4 <> 0 THEN now() - interval '380 days' END,
                CASE WHEN r = 2 AND m % 4 >= 2 THEN now() - interval '30 days' END,
                now() - interval '390 days', now() - interval '30 days'
           FROM p WHERE r IN (1, 2)`,
      );
      progress(0.4);
      await q(
        `INSERT INTO trajectory_participant (trajectory_id, organisation_id, capacity, since)
         SELECT ${id('trajectory', 'n')}, ocmw, 'DIRECTOR', now() - interval '390 days' FROM p WHERE r IN (1, 2)
         UNION ALL
         SELECT ${id('trajectory', 'n')}, vdab, 'EXECUTOR', now() - interval '380 days' FROM p WHERE r = 1`,
      );
      progress(0.7);
      await q(
        `INSERT INTO trajectory_history (trajectory_id, at, kind, to_value, by_organisation)
         SELECT ${id('trajectory', 'n')}, now() - interval '390 days', 'CREATED', CASE WHEN r = 1 THEN 'MEDIATION' ELSE 'ACTIVATION' END, ocmw FROM p WHERE r IN (1, 2)`,
      );
    });

    await step('referrals', 'referrals', async () => {
      await q(
        `CREATE TEMP TABLE sender AS
         SELECT o.id AS org, ${id("user:OCMW:' || o.n || '", '2')} AS user_id FROM o WHERE o.key = 'OCMW'`,
      );
      await q(
        `INSERT INTO referral (id, kind, person_id, from_organisation_id, to_organisation_id, sender_user_id, categories, note, status, sent_at, due_date,
                               question, decline_reason_code, trajectory_id, created_at, updated_at)
         SELECT ${id('referral', 'p.n')}, 'WARM_HANDOVER', p.id, p.ocmw, p.vdab, s.user_id, '{IDENTITY,CONTACT,EMPLOYMENT}'::text[], 'Klaar voor bemiddeling',
                'COMPLETED', now() - interval '385 days', current_date - 370, NULL, NULL, ${id('trajectory', 'p.n')}, now() - interval '386 days', now() - interval '380 days'
           FROM p JOIN sender s ON s.org = p.ocmw WHERE p.r = 1
         UNION ALL
         SELECT ${id('referral', 'p.n')}, 'WARM_HANDOVER', p.id, p.ocmw, p.vdab, s.user_id, '{IDENTITY,CONTACT,EMPLOYMENT}', 'Graag een intake',
                st.status, CASE WHEN st.status <> 'DRAFT' THEN now() - ((p.m % 20) || ' days')::interval END,
                CASE WHEN st.status <> 'DRAFT' THEN current_date + 14 - (p.m % 20)::int END,
                CASE WHEN st.status = 'INFO_REQUESTED' THEN 'Is er een attest van de huisarts?' END,
                CASE WHEN st.status = 'DECLINED' THEN 'NOT_IN_TARGET_GROUP' END, NULL,
                now() - ((p.m % 20 + 1) || ' days')::interval, now() - ((p.m % 20) || ' days')::interval
           FROM p JOIN sender s ON s.org = p.ocmw
           CROSS JOIN LATERAL (SELECT (ARRAY['SENT','SENT','SENT','SENT','INFO_REQUESTED','DECLINED','DECLINED','WITHDRAWN','EXPIRED','DRAFT'])[1 + (p.m / 4) % 10] AS status) st
          WHERE p.r = 3 AND p.m % 4 = 3`,
      );
    });

    // What the audit history needs of the person story: each person's OCMW, and the history person
    // (the first shared client of the largest OCMW, OCMW 0).
    const [{ ocmws: ocmwList, history }] = await q(
      `SELECT string_agg(ocmw_n::text, ',' ORDER BY n) AS ocmws, min(n) FILTER (WHERE r = 1 AND ocmw_n = 0) AS history FROM p`,
    );
    const ocmwOf = new Int16Array(preset.persons + 1).fill(-1);
    ocmwList.split(',').forEach((k, i) => (ocmwOf[i + 1] = Number(k)));
    const historyN = Number(history);
    const { chains, checkpoints } = await step('audit', 'audit events in hash chains', (progress) =>
      writeAudit(ds, { preset, seed, orgs, keys, ocmwOf, historyN, progress }),
    );
    // The API appends its checkpoints to this file; one of an older generation would name other heads.
    writeFileSync(resolve(BENCH_DIR, `checkpoints-${scale}.jsonl`), checkpoints.map((c) => JSON.stringify(c) + '\n').join(''), { mode: 0o600 });

    const verification = await step('verify', 'verifying the audit chains', async () => {
      const report = await verifyAuditChains(ds, signingKeys(keys).publicKeyPem, { concurrency: 2 });
      if (!report.ok) throw new Error(`generated audit chains do not verify: ${JSON.stringify(report.chains.filter((c) => !c.ok).slice(0, 3))}`);
      return { events: report.events, eventsPerSecond: report.eventsPerSecond };
    });

    const counts = await step('analyze', 'checks and statistics', async () => {
      await consistencyChecks(q);
      await ds.query(`VACUUM ANALYZE`);
      const [row] = await q(
        `SELECT (SELECT count(*) FROM organisation)::int AS organisations, (SELECT count(*) FROM app_user)::int AS users,
                (SELECT count(*) FROM person)::int AS persons, (SELECT count(*) FROM client_section)::int AS sections,
                (SELECT count(*) FROM involvement)::int AS involvements, (SELECT count(*) FROM consent)::int AS consents,
                (SELECT count(*) FROM trajectory)::int AS trajectories, (SELECT count(*) FROM referral)::int AS referrals,
                (SELECT count(*) FROM audit_event)::int AS "auditEvents", (SELECT count(*) FROM audit_checkpoint)::int AS checkpoints,
                pg_database_size(current_database())::bigint AS bytes`,
      );
      const filesPerPerson = await q(
        `SELECT files, count(*)::int AS persons FROM (SELECT count(*)::int AS files FROM client_file GROUP BY person_id) x GROUP BY files ORDER BY files`,
      );
      const [ocmwSizes] = await q(
        `SELECT max(c)::int AS largest, (percentile_disc(0.5) WITHIN GROUP (ORDER BY c))::int AS median, min(c)::int AS smallest
           FROM (SELECT count(*) AS c FROM client_file f JOIN organisation o ON o.id = f.organisation_id AND o.kind = 'OCMW' GROUP BY o.id) x`,
      );
      const [{ files }] = await q(`SELECT count(*)::int AS files FROM client_file`);
      return {
        ...row,
        bytes: Number(row.bytes),
        chains,
        files,
        filesPerPerson: Object.fromEntries(filesPerPerson.map((r) => [r.files, r.persons])),
        ocmwFiles: ocmwSizes,
      };
    });

    const meta = {
      scale,
      seed,
      generatorVersion: GENERATOR_VERSION,
      generatedAt: new Date().toISOString(),
      seconds: +((performance.now() - started) / 1000).toFixed(1),
      counts,
      steps,
      verification,
      // the shapes bench/run draws its load from
      shape: {
        vdabShareOfEvents: VDAB_SHARE,
        ocmwSizes: 'Zipf 1/(k+1)',
        historyPersonN: historyN,
        historyPersonId: benchId(seed, 'person', historyN),
        historyOcmwN: 0,
        handoverPool: 'r = 3, m % 4 <> 3',
      },
    };
    await q(`CREATE TABLE bench_meta (meta jsonb NOT NULL)`);
    await q(`INSERT INTO bench_meta VALUES ($1)`, [JSON.stringify(meta)]);
    bar.stop();
    log(`generated ${scale} (seed ${seed}) in ${meta.seconds} s: ${JSON.stringify(counts)}`);
    for (const s of steps) log(`  ${s.step.padEnd(34)} ${s.seconds} s`);
    return meta;
  } catch (error) {
    bar.stop();
    throw error;
  } finally {
    await runner.release();
    await ds.destroy();
  }
}

/** The invariants the service relies on, asked of the generated rows; a failure stops the generation. */
async function consistencyChecks(q) {
  const checks = {
    'every client file has an identity': `SELECT count(*) FROM client_file f WHERE NOT EXISTS (SELECT 1 FROM client_identity i WHERE i.organisation_id = f.organisation_id AND i.person_id = f.person_id)`,
    'every file owner has an OWNER involvement': `SELECT count(*) FROM client_file f WHERE NOT EXISTS (SELECT 1 FROM involvement i WHERE i.organisation_id = f.organisation_id AND i.person_id = f.person_id AND i.capacity = 'OWNER')`,
    'every executor has a trajectory participation': `SELECT count(*) FROM involvement i WHERE i.capacity = 'EXECUTOR' AND NOT EXISTS (SELECT 1 FROM trajectory t JOIN trajectory_participant tp ON tp.trajectory_id = t.id WHERE t.person_id = i.person_id AND tp.organisation_id = i.organisation_id)`,
    'every consent recipient is party to an active agreement with the owner': `SELECT count(*) FROM consent c WHERE c.revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM agreement_flow fl JOIN agreement a ON a.id = fl.agreement_id WHERE fl.from_organisation_id = c.organisation_id AND fl.to_organisation_id = ANY (c.recipient_organisation_ids) AND a.activated_at IS NOT NULL AND a.terminated_at IS NULL)`,
    'every person has a file at 1 to 3 organisations': `SELECT count(*) FROM person pe WHERE (SELECT count(*) FROM client_file f WHERE f.person_id = pe.id) NOT BETWEEN 1 AND 3`,
    'every audit chain head matches its last event': `SELECT count(*) FROM audit_chain c WHERE NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.chain_id = c.chain_id AND e.seq = c.seq AND e.hash = c.head_hash)`,
  };
  for (const [label, sql] of Object.entries(checks)) {
    const [{ count }] = await q(sql);
    if (Number(count) !== 0) throw new Error(`generated data breaks "${label}": ${count} rows`);
  }
}

/** One chain per organisation with staff, hashed in Node, written in batches over two connections. */
async function writeAudit(ds, { preset, seed, orgs, keys, ocmwOf, historyN, progress }) {
  const key = signingKeys(keys);
  const span = 730 * 86_400_000;
  const end = Date.now() - 3_600_000;
  const startAt = end - span;
  // Monthly partitions for the two years of history (the service creates the current ones itself).
  await ds.query(
    `DO $$ DECLARE month date := date_trunc('month', now() - interval '731 days'); name text;
     BEGIN
       WHILE month <= date_trunc('month', now()) LOOP
         name := 'audit_event_' || to_char(month, 'YYYY_MM');
         IF to_regclass(name) IS NULL THEN
           EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)', name, month, month + interval '1 month');
         END IF;
         month := month + interval '1 month';
       END LOOP;
     END $$`,
  );
  // VDAB's chain a third of the events, the other organisations' the rest in proportion to their staff.
  const vdab = orgs.find((o) => o.key === 'VDAB');
  const vdabEvents = Math.round(preset.auditEvents * VDAB_SHARE);
  const othersStaff = orgs.filter((o) => o !== vdab).reduce((sum, o) => sum + o.staff, 0);
  const plan = orgs.map((org, index) => ({
    org,
    index,
    events: org === vdab ? vdabEvents : Math.floor(((preset.auditEvents - vdabEvents) * org.staff) / othersStaff),
  }));
  plan[plan.findIndex((p) => p.org === vdab)].events += preset.auditEvents - plan.reduce((s, p) => s + p.events, 0);
  const person = (n) => benchId(seed, 'person', n);
  const blocks = Math.floor(preset.persons / 5);
  const ocmwIds = orgs.filter((o) => o.key === 'OCMW').map((o) => o.id);
  const historyOcmw = ocmwOf[historyN];
  const historyOwner = ocmwIds[historyOcmw];
  // the OCMW's notice to VDAB (r = 1): the ground of VDAB's shared reads of the history person
  const historyConsent = benchId(seed, 'consent-notice', historyN);
  /** each OCMW's clients (r = 1..4), as n */
  const clientsOf = Array.from({ length: preset.ocmws }, () => []);
  for (let n = 1; n <= preset.persons; n++) if (n % 5 !== 0) clientsOf[ocmwOf[n]].push(n);
  /** whose file person n is in the person's story: r = 0 VDAB's, else the OCMW's */
  const ownerOf = (n) => (n % 5 === 0 ? vdab.id : ocmwIds[ocmwOf[n]]);
  // Events of the last year name their owner, as the writer does since migration 1765000000000; older
  // ones are as they were written before, their owner derived from their ground (audit_event_owner).
  const ownersNamedFrom = end - 365 * 86_400_000;
  let written = 0;
  const allCheckpoints = [];

  const writeChain = async ({ org, index, events }) => {
    const random = prng(seed * 7919 + index);
    const staff = Array.from({ length: org.staff }, (_, u) => ({ id: staffId(seed, org, u), role: staffRole(org.key, u) }));
    const workers = staff.filter((s) => !['PRIVACY_OFFICER', 'ORG_ADMIN'].includes(s.role));
    const actors = workers.length > 0 ? workers : staff;
    const holdsHistory = (org.key === 'OCMW' && org.n === historyOcmw) || org === vdab;
    const historyEvery = holdsHistory ? Math.max(1, Math.floor(events / HISTORY_EVENTS[org.key])) : 0;
    // A subject from this organisation's own caseload (OCMW: its clients; VDAB: its job seekers and the shared clients), as n.
    const subject = () => {
      if (org.key === 'OCMW' && clientsOf[org.n].length > 0) return clientsOf[org.n][Math.floor(random() * clientsOf[org.n].length)];
      if (org === vdab) return 5 * (1 + Math.floor(random() * (blocks - 1))) + (random() < 0.5 ? 0 : 1);
      return 1 + Math.floor(random() * preset.persons);
    };
    const caseload = org.key === 'OCMW' || org === vdab;
    let prev = GENESIS_HASH;
    let seq = 0;
    const checkpoints = [];
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL session_replication_role = replica`); // bulk load: the chain trigger is checked by verification afterwards
      await runner.query(`SET LOCAL synchronous_commit = off`);
      while (seq < events) {
        const batch = [];
        for (let i = 0; i < 5000 && seq < events; i++) {
          seq += 1;
          const actor = actors[Math.floor(random() * actors.length)];
          const dice = random();
          const history = historyEvery > 0 && seq % historyEvery === 0;
          let action,
            resourceType,
            decision = 'ALLOW',
            categories = [],
            subjectN = null,
            owner = null,
            groundConsentId = null,
            groundKind = null;
          if (history || (caseload && dice < 0.55)) {
            action = 'client.read';
            resourceType = 'ClientFile';
            categories = org.key === 'OCMW' ? ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'WELFARE'] : ['IDENTITY', 'CONTACT', 'EMPLOYMENT'];
            groundKind = org === vdab && history ? 'SHARED' : 'OWNER';
            subjectN = history ? historyN : subject();
            if (groundKind === 'SHARED') [owner, groundConsentId] = [historyOwner, historyConsent];
          } else if (caseload && dice < 0.75) {
            action = 'client.list';
            resourceType = 'ClientFile';
            categories = ['IDENTITY'];
            groundKind = 'OWNER';
            subjectN = subject();
          } else if (caseload && dice < 0.85) {
            action = 'client.update';
            resourceType = 'ClientFile';
            categories = ['CONTACT'];
            groundKind = 'OWNER';
            subjectN = subject();
          } else if (caseload && dice < 0.9) {
            action = 'referral.read';
            resourceType = 'Referral';
            subjectN = subject();
          } else if (caseload ? dice < 0.95 : dice < 0.1) {
            action = 'access.denied';
            resourceType = 'ClientFile';
            decision = 'DENY';
            subjectN = 1 + Math.floor(random() * preset.persons);
            owner = ownerOf(subjectN);
          } else {
            action = 'auth.login';
            resourceType = 'Session';
          }
          const subjectPersonId = subjectN === null ? null : person(subjectN);
          const at = startAt + Math.floor(((seq - 1 + random()) * span) / events);
          // the writer's owner: the one the record names, else the actor's own organisation for an event on a person
          const ownerOrganisationId = at >= ownersNamedFrom && subjectPersonId ? (owner ?? org.id) : undefined;
          const event = {
            chain: org.id,
            seq,
            occurredAt: new Date(at).toISOString(),
            actorUserId: actor.id,
            actorOrganisationId: org.id,
            actorRoles: [actor.role],
            action,
            resourceType,
            resourceId: null,
            subjectPersonId,
            categories,
            purpose: caseload && subjectPersonId ? (org === vdab ? 'MEDIATION' : 'ACTIVATION') : null,
            decision,
            groundKind: decision === 'ALLOW' ? groundKind : null,
            groundInvolvementId: null,
            groundAgreementId: null,
            groundConsentId: decision === 'ALLOW' ? groundConsentId : null,
            groundBreakGlassId: null,
            requestId: `bench-${index}-${seq}`,
            clientAddress: `10.${index % 250}.${(seq >> 8) & 255}.${seq & 255}`,
            userAgent: 'Mozilla/5.0 (casework bench)',
            ...(ownerOrganisationId ? { ownerOrganisationId } : {}),
          };
          const hash = chainHash(prev, event);
          batch.push([event, prev, hash]);
          prev = hash;
          if (seq % 10_000 === 0 || seq === events) checkpoints.push({ seq, hash, time: event.occurredAt });
        }
        await runner.query(
          `INSERT INTO audit_event (chain_id, seq, occurred_at, actor_user_id, actor_organisation_id, actor_roles, action, resource_type, subject_person_id,
                                    categories, purpose, decision, ground_kind, request_id, client_address, user_agent, prev_hash, hash,
                                    owner_organisation_id, ground_consent_id)
           SELECT $1, seq, at, actor, $1, ARRAY[role], action, rtype, subject, string_to_array(cats, ','), purpose, decision, ground, rid, addr, $2, prev, hash,
                  owner, consent
             FROM unnest($3::bigint[], $4::timestamptz[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::text[], $11::text[],
                         $12::text[], $13::text[], $14::text[], $15::text[], $16::bytea[], $17::bytea[], $18::uuid[], $19::uuid[])
                  AS e(seq, at, actor, role, action, rtype, subject, cats, purpose, decision, ground, rid, addr, prev, hash, owner, consent)`,
          [
            org.id,
            'Mozilla/5.0 (casework bench)',
            batch.map(([e]) => e.seq),
            batch.map(([e]) => e.occurredAt),
            batch.map(([e]) => e.actorUserId),
            batch.map(([e]) => e.actorRoles[0]),
            batch.map(([e]) => e.action),
            batch.map(([e]) => e.resourceType),
            batch.map(([e]) => e.subjectPersonId),
            batch.map(([e]) => e.categories.join(',')),
            batch.map(([e]) => e.purpose),
            batch.map(([e]) => e.decision),
            batch.map(([e]) => e.groundKind),
            batch.map(([e]) => e.requestId),
            batch.map(([e]) => e.clientAddress),
            batch.map(([, p]) => p),
            batch.map(([, , h]) => h),
            batch.map(([e]) => e.ownerOrganisationId ?? null),
            batch.map(([e]) => e.groundConsentId),
          ],
        );
        written += batch.length;
        progress(written / preset.auditEvents);
      }
      if (events > 0) {
        await runner.query(`INSERT INTO audit_chain (chain_id, seq, head_hash, updated_at) VALUES ($1, $2, $3, now())`, [org.id, seq, prev]);
        for (const c of checkpoints) {
          const unsigned = { chain: org.id, seq: c.seq, headHash: c.hash.toString('hex'), time: c.time };
          const signature = sign(null, checkpointPayload(unsigned), key.privateKey);
          allCheckpoints.push({ ...unsigned, keyId: key.keyId, signature: signature.toString('base64') });
          await runner.query(`INSERT INTO audit_checkpoint (chain_id, seq, head_hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)`, [
            org.id,
            c.seq,
            c.hash,
            c.time,
            key.keyId,
            signature,
          ]);
        }
      }
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  };
  // Two writers: hashing in Node overlaps with PostgreSQL inserting the other writer's batch.
  const queue = [...plan].sort((a, b) => b.events - a.events);
  await Promise.all(
    [0, 1].map(async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await writeChain(next);
    }),
  );
  // The history counts as reviewed: the anomaly detector of the API starts from now, not from two years back.
  await ds.query(`INSERT INTO audit_detector_state (name, checked_until) VALUES ('anomalies', now())`);
  allCheckpoints.sort((a, b) => a.time.localeCompare(b.time) || a.chain.localeCompare(b.chain));
  return { chains: plan.filter((p) => p.events > 0).length, checkpoints: allCheckpoints };
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const cluster = await openCluster();
  try {
    await generate({ adminUrl: cluster.adminUrl, scale: arg('scale', 'small'), seed: Number(arg('seed', '1')) });
  } finally {
    await cluster.stop();
  }
}
