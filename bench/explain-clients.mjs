// Plans and timings of the client list query at Flanders size (1M persons), run on purpose:
//   npm run build && node bench/explain-clients.mjs [--persons 1000000]
// Uses DATABASE_URL (a server you can create databases on) or starts a throwaway embedded PostgreSQL.
// The list SQL is not copied here: ClientRepository.page() from the build is called with a runner
// that prefixes EXPLAIN, so the plan shown is the plan of the query the API runs.
import { performance } from 'node:perf_hooks';
import { openBenchDatabase } from './support/database.mjs';
import { ClientRepository } from '../dist/libs/domain/src/clients/client.repository.js';
import { defineAbilityFor } from '../dist/libs/access/src/index.js';

const args = process.argv.slice(2);
const persons = Number(args[args.indexOf('--persons') + 1] || 1_000_000);
const step = (label) => {
  const started = performance.now();
  process.stdout.write(`${label} ... `);
  return () => console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
};

const { ds, close } = await openBenchDatabase('casework_bench_explain', 2);
try {
  const q = (sql, params) => ds.query(sql, params);

  let done = step('organisations and users');
  // 300 local governments (municipality + OCMW), VDAB with 13 regional offices.
  await q(`INSERT INTO organisation (kind, name, kbo_number)
           SELECT 'VDAB', 'VDAB office ' || n, lpad((4000000 + n)::text, 8, '0') || lpad((97 - ((4000000 + n) % 97))::text, 2, '0')
             FROM generate_series(0, 12) n`);
  await q(`INSERT INTO organisation (kind, name, kbo_number)
           SELECT 'OCMW', 'OCMW ' || n, lpad((5000000 + n)::text, 8, '0') || lpad((97 - ((5000000 + n) % 97))::text, 2, '0')
             FROM generate_series(0, 299) n`);
  await q(`CREATE TEMP TABLE office AS SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM organisation WHERE kind = 'VDAB'`);
  await q(`CREATE TEMP TABLE ocmw AS SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM organisation WHERE kind = 'OCMW'`);
  await q(`INSERT INTO app_user (organisation_id, email, display_name, password_hash)
           SELECT o.id, 'mediator' || g || '.' || o.n || '@bench.test', 'Mediator', 'x' FROM office o, generate_series(1, 10) g`);
  await q(`INSERT INTO user_role (user_id, role) SELECT id, 'MEDIATOR' FROM app_user WHERE email LIKE 'mediator%@bench.test'`);
  await q(`INSERT INTO user_certification (user_id, kind, obtained_on, expires_on)
           SELECT id, 'PARTNER_PORTAL_BASIC', current_date - 100, current_date + 600 FROM app_user WHERE email LIKE 'mediator%@bench.test'`);
  done();

  done = step(`${persons.toLocaleString('en')} persons with files, identities, a section and owner involvements`);
  await q(
    `INSERT INTO person (insz)
           SELECT lpad((100000000 + n)::text, 9, '0') || lpad((97 - ((100000000 + n) % 97))::text, 2, '0') FROM generate_series(1, $1) n`,
    [persons],
  );
  // 80% of persons are OCMW clients, 20% VDAB's own.
  await q(`CREATE TEMP TABLE p AS SELECT id, row_number() OVER (ORDER BY insz) AS n FROM person`);
  await q(`CREATE TEMP TABLE owner AS
           SELECT p.id AS person_id, p.n, coalesce(f.id, c.id) AS org, p.n % 5 <> 0 AS ocmw_client
             FROM p LEFT JOIN office f ON p.n % 5 = 0 AND f.n = p.n % 13
                    LEFT JOIN ocmw c ON p.n % 5 <> 0 AND c.n = p.n % 300`);
  await q(`INSERT INTO client_file (organisation_id, person_id) SELECT org, person_id FROM owner`);
  await q(`INSERT INTO client_identity (organisation_id, person_id, insz, first_name, last_name, birth_date)
           SELECT o.org, o.person_id, pe.insz, (ARRAY['Lena','Youssef','Marieke','Dries','Amina','Kevin','Olena','Sofie'])[1 + o.n % 8],
                  (ARRAY['Peeters','Janssens','Maes','Jacobs','Mertens','Willems','Claes','Goossens','Wouters','De Smet'])[1 + (o.n / 8) % 10] || ' ' || (o.n % 997),
                  date '1960-01-01' + (o.n % 15000)::int
             FROM owner o JOIN person pe ON pe.id = o.person_id`);
  await q(`INSERT INTO client_section (organisation_id, person_id, category, content)
           SELECT org, person_id, 'CONTACT', jsonb_build_object('notes', 'bench') FROM owner`);
  await q(`INSERT INTO involvement (organisation_id, person_id, capacity, purpose, valid_from, source, recorded_by_organisation_id)
           SELECT org, person_id, 'OWNER', CASE WHEN ocmw_client THEN 'ACTIVATION' ELSE 'MEDIATION' END, current_date - 30, 'REGISTRATION', org FROM owner`);
  done();

  done = step('agreements per OCMW with its VDAB office; 30% of OCMW clients shared by notice and involvement');
  await q(`CREATE TEMP TABLE pairing AS SELECT c.id AS ocmw, f.id AS office, gen_random_uuid() AS agreement FROM ocmw c JOIN office f ON f.n = c.n % 13`);
  await q(`INSERT INTO agreement (id, purposes, valid_from, valid_until, document_reference, activated_at)
           SELECT agreement, '{ACTIVATION,MEDIATION,ADVICE}', current_date - 300, current_date + 1500, 'bench', now() FROM pairing`);
  await q(`INSERT INTO agreement_party (agreement_id, organisation_id, confirmed_at)
           SELECT agreement, ocmw, now() FROM pairing UNION ALL SELECT agreement, office, now() FROM pairing`);
  await q(`INSERT INTO agreement_flow SELECT agreement, ocmw, office, '{IDENTITY,CONTACT,EMPLOYMENT,TRAJECTORY,OBSTACLES}' FROM pairing`);
  await q(`CREATE TEMP TABLE shared AS SELECT o.person_id, o.org AS ocmw, pa.office FROM owner o JOIN pairing pa ON pa.ocmw = o.org
            WHERE o.ocmw_client AND o.n % 10 < 3`);
  await q(`INSERT INTO involvement (organisation_id, person_id, capacity, purpose, valid_from, source, recorded_by_organisation_id)
           SELECT office, person_id, 'EXECUTOR', 'MEDIATION', current_date - 20, 'MANUAL', ocmw FROM shared`);
  const [someone] = await q(`SELECT id FROM app_user LIMIT 1`);
  await q(
    `INSERT INTO consent (organisation_id, person_id, recipient_organisation_ids, purposes, categories, legal_basis, method, valid_from, recorded_by)
           SELECT ocmw, person_id, ARRAY[office], '{MEDIATION}', '{IDENTITY,CONTACT,EMPLOYMENT}', 'PUBLIC_TASK_NOTICE', 'VERBAL', current_date - 20, $1 FROM shared`,
    [someone.id],
  );
  await q(`ANALYZE`);
  done();

  const counts = await q(`SELECT (SELECT count(*) FROM person) persons, (SELECT count(*) FROM client_file) files,
                                 (SELECT count(*) FROM involvement) involvements, (SELECT count(*) FROM consent) consents`);
  console.log('rows:', counts[0]);

  const [mediator] = await q(`SELECT u.id, u.organisation_id FROM app_user u JOIN office o ON o.id = u.organisation_id WHERE o.n = 0 LIMIT 1`);
  const identity = {
    userId: mediator.id,
    organisationId: mediator.organisation_id,
    organisationKind: 'VDAB',
    roles: ['MEDIATOR'],
    certifications: [{ kind: 'PARTNER_PORTAL_BASIC', obtainedOn: '2000-01-01', expiresOn: '2999-01-01' }],
    purpose: 'MEDIATION',
  };
  const ctx = { ...identity, requestId: 'bench', sessionId: 'bench', ability: defineAbilityFor(identity) };
  const repository = new ClientRepository();
  const [mid] = await q(
    `SELECT person_id FROM involvement WHERE organisation_id = $1 AND capacity = 'EXECUTOR' ORDER BY person_id
           OFFSET (SELECT count(*) / 2 FROM involvement WHERE organisation_id = $1 AND capacity = 'EXECUTOR') LIMIT 1`,
    [mediator.organisation_id],
  );

  /** Runs work as a request would: restricted role, transaction-local settings. */
  const asRequest = (work) =>
    ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE casework_app`);
      await tx.query(`SELECT set_config('app.user_id', $1, true), set_config('app.organisation_id', $2, true), set_config('app.purpose', 'MEDIATION', true)`, [
        mediator.id,
        mediator.organisation_id,
      ]);
      return work({ query: async (sql, params) => (await tx.queryRunner.query(sql, params, true)).records });
    });
  const scenarios = {
    'first page (25)': { limit: 26 },
    'a later page by cursor': { limit: 26, afterId: mid.person_id },
    'search by name prefix "peeters 1"': { limit: 26, namePrefix: 'peeters 1' },
    'search by INSZ': {
      limit: 26,
      insz: (await q(`SELECT insz FROM shared s JOIN person p ON p.id = s.person_id WHERE s.office = $1 LIMIT 1`, [mediator.organisation_id]))[0].insz,
    },
  };
  for (const [label, query] of Object.entries(scenarios)) {
    let plan = [];
    await asRequest((tx) =>
      repository.page(
        {
          query: async (sql, params) => {
            plan = await tx.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
            return [];
          },
        },
        ctx,
        query,
      ),
    );
    const times = [];
    let found = 0;
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      found = (await asRequest((tx) => repository.page(tx, ctx, query))).length;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`\n### ${label}: ${found} rows; median ${times[15].toFixed(2)} ms, p95 ${times[28].toFixed(2)} ms (transaction included)\n`);
    console.log(plan.map((row) => row['QUERY PLAN']).join('\n'));
  }

  // The plans inside the functions (the caseload walk and one rule lookup), through auto_explain.
  const nested = [];
  await ds.transaction(async (tx) => {
    const client = tx.queryRunner.databaseConnection;
    const onNotice = (message) => nested.push(message.message);
    client.on('notice', onNotice);
    try {
      await tx.query(`LOAD 'auto_explain'`);
      for (const setting of [
        'auto_explain.log_min_duration = 0',
        'auto_explain.log_analyze = on',
        'auto_explain.log_buffers = on',
        'auto_explain.log_nested_statements = on',
        'auto_explain.log_timing = on',
        'client_min_messages = log',
      ]) {
        await tx.query(`SET LOCAL ${setting}`);
      }
      await tx.query(`SET LOCAL ROLE casework_app`);
      await tx.query(`SELECT set_config('app.user_id', $1, true), set_config('app.organisation_id', $2, true), set_config('app.purpose', 'MEDIATION', true)`, [
        mediator.id,
        mediator.organisation_id,
      ]);
      await repository.page({ query: async (sql, params) => (await tx.queryRunner.query(sql, params, true)).records }, ctx, { limit: 26 });
    } finally {
      client.off('notice', onNotice);
    }
  });
  const walk = nested.find((text) => text.includes('FROM involvement i') && text.includes('ORDER BY i.person_id'));
  const grounds = nested.find((text) => text.includes('agreement_flow'));
  console.log(`\n### inside casework_partner_persons: the caseload walk (first page)\n\n${walk ?? '(not captured)'}`);
  console.log(`\n### inside casework_access_grounds: one rule lookup\n\n${grounds ?? '(not captured)'}`);
} finally {
  await close();
}
