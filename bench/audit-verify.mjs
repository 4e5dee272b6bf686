// Audit chain verification speed, run on purpose:
//   npm run build && node bench/audit-verify.mjs [--events 1000000] [--chains 300]
// Writes valid hash chains (hashed in Node with the same canonicalize code the service uses), then
// runs the verification the API and `npm run audit:verify` run, and prints events per second.
// Uses DATABASE_URL (a server you can create databases on) or a throwaway embedded PostgreSQL.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openBenchDatabase } from './support/database.mjs';
import { GENESIS_HASH, chainHash, signingKeys, verifyAuditChains } from '../dist/libs/audit/src/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const total = arg('events', 1_000_000);
const chainCount = arg('chains', 300);

const { ds, close } = await openBenchDatabase('casework_bench_audit', 3);
try {
  const chains = Array.from({ length: chainCount }, () => randomUUID());
  const perChain = Math.ceil(total / chainCount);
  const persons = Array.from({ length: 5000 }, () => randomUUID());
  const users = Array.from({ length: 2000 }, () => randomUUID());
  const actions = ['client.read', 'client.list', 'client.update', 'consent.record', 'access.denied'];
  const started = performance.now();
  let written = 0;
  await ds.transaction(async (tx) => {
    // Bulk load: the per-row chain trigger is skipped and the heads are set at the end.
    await tx.query(`SET LOCAL session_replication_role = replica`);
    const day = Date.now() - 86_400_000;
    for (const [c, chain] of chains.entries()) {
      let prev = GENESIS_HASH;
      const rows = [];
      for (let seq = 1; seq <= perChain && written < total; seq++, written++) {
        const i = c * perChain + seq;
        const event = {
          chain,
          seq,
          occurredAt: new Date(day + i).toISOString(),
          actorUserId: users[i % users.length],
          actorOrganisationId: chain,
          actorRoles: ['MEDIATOR'],
          action: actions[i % actions.length],
          resourceType: 'ClientFile',
          resourceId: null,
          subjectPersonId: persons[i % persons.length],
          categories: ['IDENTITY', 'CONTACT'],
          purpose: 'MEDIATION',
          decision: i % actions.length === 4 ? 'DENY' : 'ALLOW',
          groundKind: 'OWNER',
          groundInvolvementId: null,
          groundAgreementId: null,
          groundConsentId: null,
          groundBreakGlassId: null,
          requestId: `bench-${i}`,
          clientAddress: '10.0.0.1',
          userAgent: 'bench',
        };
        const hash = chainHash(prev, event);
        rows.push([event, prev, hash]);
        prev = hash;
      }
      for (let from = 0; from < rows.length; from += 5000) {
        const part = rows.slice(from, from + 5000);
        await tx.query(
          `INSERT INTO audit_event (chain_id, seq, occurred_at, actor_user_id, actor_organisation_id, actor_roles, action, resource_type, subject_person_id,
                                    categories, purpose, decision, ground_kind, request_id, client_address, user_agent, prev_hash, hash)
           SELECT $1, seq, at, actor, $1, '{MEDIATOR}', action, 'ClientFile', subject, '{IDENTITY,CONTACT}', 'MEDIATION', decision, 'OWNER', rid, '10.0.0.1', 'bench', prev, hash
             FROM unnest($2::bigint[], $3::timestamptz[], $4::uuid[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::bytea[], $10::bytea[])
                  AS e(seq, at, actor, action, subject, decision, rid, prev, hash)`,
          [
            chain,
            part.map(([e]) => e.seq),
            part.map(([e]) => e.occurredAt),
            part.map(([e]) => e.actorUserId),
            part.map(([e]) => e.action),
            part.map(([e]) => e.subjectPersonId),
            part.map(([e]) => e.decision),
            part.map(([e]) => e.requestId),
            part.map(([, p]) => p),
            part.map(([, , h]) => h),
          ],
        );
      }
      await tx.query(`INSERT INTO audit_chain (chain_id, seq, head_hash) VALUES ($1, $2, $3)`, [chain, rows.length, prev]);
    }
  });
  await ds.query(`VACUUM ANALYZE audit_event`);
  console.log(`wrote ${written.toLocaleString('en')} events in ${chainCount} chains in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = signingKeys(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).publicKeyPem;
  for (const concurrency of [1, 2]) {
    const report = await verifyAuditChains(ds, publicKeyPem, { concurrency });
    console.log(
      `verify, ${concurrency} connection(s): ${report.ok ? 'ok' : 'BROKEN'}, ${report.events.toLocaleString('en')} events in ${report.seconds.toFixed(2)} s = ` +
        `${report.eventsPerSecond.toLocaleString('en')} events/s`,
    );
  }
} finally {
  await close();
}
