import { randomUUID } from 'node:crypto';
import { AuditCheckpointer, AuditWriter, verifyAuditChains, type AuditConfig } from '@app/audit';
import type { AuditRecord } from '@app/kernel';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../../apps/api/src/database/data-source.js';
import { createTestDatabase, TEST_AUDIT_KEY } from '../support/test-app.js';

/**
 * The hash chains themselves: the database's canonical text equals the library's byte for byte, the
 * app role cannot change history, and 1,000 random tamper trials by a superuser are each caught at
 * the right chain and row.
 */
describe('audit hash chains', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let checkpointer: AuditCheckpointer;
  let checkpointFile: string;
  const writer = new AuditWriter();
  const chains = [randomUUID(), randomUUID(), randomUUID()];
  const EVENTS_PER_CHAIN = 240;

  /** Strings that stress canonical JSON: quotes, backslashes, control characters, non-ASCII, emoji. */
  const nasty = (i: number) =>
    [`Mozilla/5.0 "quoted" \\ back`, `tab\there\nnewline\u0001\u001f`, `Zoë Ça été ✓ 𝄞 😀`, `ünïcödé </script>`, ''][i % 5] + ` #${i}`;

  const record = (i: number): AuditRecord => ({
    action: ['client.read', 'client.list', 'consent.record', 'access.denied'][i % 4],
    decision: i % 4 === 3 ? 'DENY' : 'ALLOW',
    resourceType: i % 3 === 0 ? 'ClientFile' : undefined,
    resourceId: i % 2 === 0 ? randomUUID() : nasty(i),
    subjectPersonId: i % 5 === 0 ? undefined : randomUUID(),
    categories: ['IDENTITY', 'CONTACT', 'WELFARE'].slice(0, i % 4),
    // an open handover's read names the referral (hashed only when set): both forms in every chain
    ground:
      i % 3 === 0
        ? { kind: 'OWNER' }
        : i % 3 === 1
          ? { kind: 'SHARED', agreementId: randomUUID(), consentId: randomUUID(), referralId: randomUUID() }
          : { kind: 'SHARED', involvementId: randomUUID(), agreementId: randomUUID(), consentId: randomUUID() },
  });

  const withQuery = (tx: EntityManager | DataSource) => (sql: string, params?: unknown[]) => tx.query(sql, params);

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    ds = createDataSource(db.url, 4);
    await ds.initialize();
    checkpointFile = join(mkdtempSync(join(tmpdir(), 'casework-audit-test-')), 'checkpoints.jsonl');
    const config: AuditConfig = {
      signingKeyPem: TEST_AUDIT_KEY,
      checkpointFile,
      checkpointMaxAgeSeconds: 300,
      checkpointMaxEvents: 100,
      checkpointPollSeconds: 0,
      flagPersonsPerHour: 50,
      flagDenialsPerTenMinutes: 10,
      workingHours: [7, 19],
    };
    checkpointer = new AuditCheckpointer(ds, config);
    // Written as the application writes: as casework_app, in transactions of 1 to 7 events.
    let i = 0;
    for (let round = 0; i < EVENTS_PER_CHAIN * chains.length; round++) {
      const chain = chains[round % chains.length];
      const batch = Array.from({ length: 1 + (round % 7) }, () => record(i++));
      await ds.transaction(async (tx) => {
        await tx.query(`SET LOCAL ROLE casework_app`);
        await writer.write(
          withQuery(tx),
          {
            organisationId: chain,
            userId: randomUUID(),
            roles: ['MEDIATOR'],
            purpose: 'MEDIATION',
            userAgent: nasty(round),
            requestId: nasty(round + 1),
            clientAddress: '::1',
          },
          batch,
        );
      });
      if (round % 40 === 39) await checkpointer.checkpointDue();
    }
    await checkpointer.checkpointDue(true);
  }, 120_000);
  afterAll(async () => {
    await ds.destroy();
    await drop();
  });

  it('verifies: the SQL canonical text hashes to exactly what the canonicalize library produced', async () => {
    const report = await verifyAuditChains(ds, checkpointer.keys.publicKeyPem, { chains });
    expect(report.chains.map((c) => ({ ok: c.ok, broken: c.firstBroken }))).toEqual(chains.map(() => ({ ok: true, broken: undefined })));
    expect(report.events).toBeGreaterThanOrEqual(EVENTS_PER_CHAIN * chains.length);
  });

  it('signs checkpoints, stores them and appends them to the export file', async () => {
    const stored = await ds.query(`SELECT count(*)::int AS n FROM audit_checkpoint WHERE chain_id = ANY ($1)`, [chains]);
    const lines = readFileSync(checkpointFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(stored[0].n).toBeGreaterThanOrEqual(chains.length * 2);
    expect(lines.filter((l) => chains.includes(l.chain))).toHaveLength(stored[0].n);
    expect(lines[0]).toEqual({
      chain: expect.any(String),
      seq: expect.any(Number),
      headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      time: expect.any(String),
      keyId: checkpointer.keys.keyId,
      signature: expect.any(String),
    });
  });

  it('lets the app role insert and read, never change or remove', async () => {
    for (const sql of [`UPDATE audit_event SET action = 'x'`, `DELETE FROM audit_event`, `TRUNCATE audit_event`, `UPDATE audit_chain SET seq = 0`]) {
      await expect(
        ds.transaction(async (tx) => {
          await tx.query(`SET LOCAL ROLE casework_app`);
          await tx.query(sql);
        }),
      ).rejects.toThrow(/permission denied/);
    }
    // and even the owner is stopped by the trigger unless it switches triggers off
    await expect(ds.query(`DELETE FROM audit_event WHERE chain_id = $1`, [chains[0]])).rejects.toThrow(/append-only/);
    // an event that does not continue its chain is refused
    await expect(
      ds.transaction(async (tx) => {
        await tx.query(`SET LOCAL ROLE casework_app`);
        await tx.query(
          `INSERT INTO audit_event (chain_id, seq, occurred_at, action, decision, prev_hash, hash) VALUES ($1, 1, now(), 'forged', 'ALLOW', $2, $2)`,
          [chains[0], Buffer.alloc(32)],
        );
      }),
    ).rejects.toThrow(/does not extend its chain/);
  });

  it('catches 1,000 random tamper trials by a superuser, each at the right chain and row', async () => {
    const kinds = ['edit', 'delete', 'insert', 'reorder', 'truncate'] as const;
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const missed: string[] = [];
    const counts: Record<string, number> = {};
    for (let trial = 0; trial < 1000; trial++) {
      const kind = kinds[trial % kinds.length];
      const chain = chains[random(chains.length)];
      const [{ n }] = await ds.query(`SELECT max(seq)::int AS n FROM audit_event WHERE chain_id = $1`, [chain]);
      const k = 1 + random(n - 2); // 1 .. n-2, so k+1 exists
      let expected: { seq: number; reasons: string[] };
      const outcome = await ds
        .transaction(async (tx) => {
          await tx.query(`SET LOCAL session_replication_role = replica`); // switches the append-only triggers off
          switch (kind) {
            case 'edit': {
              const column = ['action', 'decision', 'purpose', 'subject_person_id', 'categories', 'occurred_at', 'actor_user_id'][random(7)];
              const value = {
                action: `'client.erased'`,
                decision: `CASE decision WHEN 'ALLOW' THEN 'DENY' ELSE 'ALLOW' END`,
                purpose: `'TWE'`,
                subject_person_id: `gen_random_uuid()`,
                categories: `categories || '{OBSTACLES}'`,
                occurred_at: `occurred_at + interval '1 millisecond'`,
                actor_user_id: `gen_random_uuid()`,
              }[column];
              await tx.query(`UPDATE audit_event SET ${column} = ${value} WHERE chain_id = $1 AND seq = $2`, [chain, k]);
              expected = { seq: k, reasons: ['hash'] };
              break;
            }
            case 'delete':
              await tx.query(`DELETE FROM audit_event WHERE chain_id = $1 AND seq = $2`, [chain, k]);
              expected = { seq: k, reasons: ['sequence', 'checkpoint-mismatch'] };
              break;
            case 'insert':
              // a forged copy of event k with a recomputed-looking hash, slipped in after it
              await tx.query(
                `INSERT INTO audit_event SELECT chain_id, seq, occurred_at + interval '1 millisecond', actor_user_id, actor_organisation_id, actor_roles,
                        'client.read', resource_type, resource_id, subject_person_id, categories, purpose, decision, ground_kind, ground_involvement_id,
                        ground_agreement_id, ground_consent_id, ground_break_glass_id, request_id, client_address, user_agent, hash, sha256(hash)
                   FROM audit_event WHERE chain_id = $1 AND seq = $2`,
                [chain, k],
              );
              expected = { seq: k, reasons: ['hash', 'sequence'] };
              break;
            case 'reorder':
              for (const [from, to] of [
                [k, 1e12],
                [k + 1, k],
                [1e12, k + 1],
              ]) {
                await tx.query(`UPDATE audit_event SET seq = $3 WHERE chain_id = $1 AND seq = $2`, [chain, from, to]);
              }
              expected = { seq: k, reasons: ['hash'] };
              break;
            case 'truncate':
              await tx.query(`DELETE FROM audit_event WHERE chain_id = $1 AND seq > $2`, [chain, k]);
              expected = { seq: k + 1, reasons: ['truncated'] };
              break;
          }
          const report = await verifyAuditChains(tx, checkpointer.keys.publicKeyPem, { chains });
          throw Object.assign(new Error('rollback'), { report });
        })
        .catch((error: { report?: Awaited<ReturnType<typeof verifyAuditChains>> }) => {
          if (!error.report) throw error;
          return error.report;
        });
      const tampered = outcome.chains.find((c) => c.chain === chain)!;
      const others = outcome.chains.filter((c) => c.chain !== chain);
      const caught = !tampered.ok && tampered.firstBroken!.seq === expected!.seq && expected!.reasons.includes(tampered.firstBroken!.reason);
      if (!caught || others.some((c) => !c.ok)) missed.push(`${trial} ${kind} seq ${k}: ${JSON.stringify(tampered.firstBroken)}`);
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    console.log(`tamper trials: ${JSON.stringify(counts)}, missed or misplaced: ${missed.length}`);
    expect(missed.slice(0, 10)).toEqual([]);
    // nothing of it stayed
    expect((await verifyAuditChains(ds, checkpointer.keys.publicKeyPem, { chains })).ok).toBe(true);
  }, 300_000);

  it('names every broken row, so a later tampering cannot hide behind an earlier break', async () => {
    const chain = chains[0];
    const [{ n }] = await ds.query(`SELECT max(seq)::int AS n FROM audit_event WHERE chain_id = $1`, [chain]);
    const edited = [2, Math.floor(n / 2), n - 1];
    const report = await ds
      .transaction(async (tx) => {
        await tx.query(`SET LOCAL session_replication_role = replica`);
        await tx.query(`UPDATE audit_event SET action = 'client.erased' WHERE chain_id = $1 AND seq = ANY ($2)`, [chain, edited]);
        throw Object.assign(new Error('rollback'), { report: await verifyAuditChains(tx, checkpointer.keys.publicKeyPem, { chains: [chain] }) });
      })
      .catch((error: { report?: Awaited<ReturnType<typeof verifyAuditChains>> }) => {
        if (!error.report) throw error;
        return error.report;
      });
    const [tampered] = report.chains;
    expect(tampered.ok).toBe(false);
    expect(tampered.firstBroken).toEqual({ seq: 2, reason: 'hash' });
    expect(tampered.broken!.filter((b) => b.reason === 'hash').map((b) => b.seq)).toEqual(edited);
  });
});
