import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { AuditCheckpointer, AuditSequencer, AuditWriter, checkpointPayload, verifyAuditChains, type AuditConfig } from '@app/audit';
import type { AuditRecord } from '@app/kernel';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../../apps/api/src/database/data-source.js';
import { createTestDatabase, TEST_AUDIT_KEY } from '../support/test-app.js';

/**
 * The hash chains themselves: the database's canonical text equals the library's byte for byte, the
 * app role can only append entries (the sequencer chains them) and cannot change history, writers of
 * one chain do not wait for each other, and 1,000 random tamper trials by a superuser are each caught
 * at the right chain and row; deleting events with their checkpoints, or a whole chain, is caught
 * through the exported checkpoint file.
 */
describe('audit hash chains', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let checkpointer: AuditCheckpointer;
  let sequencer: AuditSequencer;
  let checkpointFile: string;
  let config: AuditConfig;
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
    config = {
      signingKeyPem: TEST_AUDIT_KEY,
      checkpointFile,
      checkpointMaxAgeSeconds: 300,
      checkpointMaxEvents: 100,
      checkpointPollSeconds: 0,
      sequenceIntervalMs: 0,
      sequenceBatch: 50, // small batches, so a flush takes several
      sequenceMaxLagSeconds: 60,
      flagPersonsPerHour: 50,
      flagDenialsPerTenMinutes: 10,
      workingHours: [7, 19],
    };
    checkpointer = new AuditCheckpointer(ds, config);
    sequencer = new AuditSequencer(ds, config);
    // Written as the application writes: as casework_app, in transactions of 1 to 7 events, sequenced
    // every few transactions as the sequencer would.
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
      if (round % 5 === 4) await sequencer.flush();
      if (round % 40 === 39) await checkpointer.checkpointDue();
    }
    await sequencer.flush();
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

  it('lets the app role append entries, never write on a chain, change or remove', async () => {
    for (const sql of [
      `UPDATE audit_event SET action = 'x'`,
      `DELETE FROM audit_event`,
      `TRUNCATE audit_event`,
      `UPDATE audit_chain SET seq = 0`,
      `INSERT INTO audit_event (chain_id, seq, occurred_at, action, decision, prev_hash, hash) SELECT chain_id, seq + 1, now(), 'forged', 'ALLOW', head_hash, head_hash FROM audit_chain LIMIT 1`,
      `DELETE FROM audit_entry`,
      `UPDATE audit_entry SET action = 'x'`,
      `SELECT * FROM audit_entry`,
      `INSERT INTO audit_flag (organisation_id, kind) VALUES (gen_random_uuid(), 'BREAK_GLASS')`,
    ]) {
      await expect(
        ds.transaction(async (tx) => {
          await tx.query(`SET LOCAL ROLE casework_app`);
          await tx.query(sql);
        }),
      ).rejects.toThrow(/permission denied/);
    }
    // and even the owner is stopped by the trigger unless it switches triggers off
    await expect(ds.query(`DELETE FROM audit_event WHERE chain_id = $1`, [chains[0]])).rejects.toThrow(/append-only/);
    await writer.write(withQuery(ds), { organisationId: chains[2] }, [record(0)]);
    await expect(ds.query(`UPDATE audit_entry SET action = 'x'`)).rejects.toThrow(/append-only/);
    expect(await sequencer.flush()).toBe(1);
    // an event that does not continue its chain is refused, for the sequencer (the owner) as well
    for (const [seq, prev] of [
      [1, Buffer.alloc(32)],
      [EVENTS_PER_CHAIN + 100, Buffer.alloc(32)],
    ] as const) {
      await expect(
        ds.query(`INSERT INTO audit_event (chain_id, seq, occurred_at, action, decision, prev_hash, hash) VALUES ($1, $2, now(), 'forged', 'ALLOW', $3, $3)`, [
          chains[0],
          seq,
          prev,
        ]),
      ).rejects.toThrow(/does not extend its chain/);
    }
  });

  it('numbers and stamps entries in the database, and lets them leave only onto their chains', async () => {
    const chain = randomUUID();
    // the app role cannot choose an entry's place in the queue or its time
    for (const columns of ['id, chain_id', 'occurred_at, chain_id']) {
      await expect(
        ds.transaction(async (tx) => {
          await tx.query(`SET LOCAL ROLE casework_app`);
          await tx.query(
            `INSERT INTO audit_entry (${columns}, action, decision) OVERRIDING SYSTEM VALUE VALUES (${columns.startsWith('id') ? '1' : "'2001-01-01'"}, $1, 'client.read', 'ALLOW')`,
            [chain],
          );
        }),
      ).rejects.toThrow(/permission denied/);
    }
    await writer.write(withQuery(ds), { organisationId: chain }, [record(1), record(2)]);
    const [{ n, stamped }] = await ds.query(
      `SELECT count(*)::int AS n, bool_and(occurred_at > now() - interval '1 minute' AND occurred_at = date_trunc('milliseconds', occurred_at)) AS stamped
         FROM audit_entry WHERE chain_id = $1`,
      [chain],
    );
    expect({ n, stamped }).toEqual({ n: 2, stamped: true });
    // an entry is not removed but onto its chain, even by the owner
    await expect(ds.query(`DELETE FROM audit_entry WHERE chain_id = $1`, [chain])).rejects.toThrow(/leaves only onto its chain/);
    // a malformed flag is refused at the door instead of stopping the sequencing of every other entry
    await expect(
      ds.transaction(async (tx) => {
        await tx.query(`SET LOCAL ROLE casework_app`);
        await writer.write(withQuery(tx), { organisationId: chain }, [{ ...record(1), flag: { organisationId: randomUUID(), kind: 'BREAK_GLASS' } }]);
      }),
    ).rejects.toThrow(/foreign key/);
    await sequencer.flush();
    expect((await ds.query(`SELECT seq::int FROM audit_event WHERE chain_id = $1 ORDER BY seq`, [chain])).map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect((await verifyAuditChains(ds, checkpointer.keys.publicKeyPem, { chains: [chain], maxLagSeconds: 0 })).ok).toBe(true);
  });

  it('does not make two writers of one chain wait for each other; the sequencer chains them in commit order', async () => {
    const chain = randomUUID();
    const actor = { organisationId: chain, userId: randomUUID(), roles: ['MEDIATOR'], purpose: 'MEDIATION' };
    const write = (tx: EntityManager, i: number) => writer.write(withQuery(tx), actor, [record(i)]);
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstWritten!: () => void;
    const firstHasWritten = new Promise<void>((resolve) => (firstWritten = resolve));
    // the first transaction writes and stays open ...
    const first = ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE casework_app`);
      await write(tx, 1);
      firstWritten();
      await firstHeld;
    });
    await firstHasWritten;
    // ... while a second writes on the same chain and commits: with a head lock it would wait for the first
    await ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE casework_app; SET LOCAL lock_timeout = '2s'`);
      await write(tx, 2);
    });
    expect(await sequencer.flush()).toBeGreaterThanOrEqual(1); // the first is not committed: not visible yet
    releaseFirst();
    await first;
    await sequencer.flush();
    const events = await ds.query(`SELECT seq::int, action FROM audit_event WHERE chain_id = $1 ORDER BY seq`, [chain]);
    expect(events).toEqual([
      { seq: 1, action: record(2).action },
      { seq: 2, action: record(1).action },
    ]);
    // 40 concurrent writers on one chain: every event lands once, seqs without gaps, chain valid
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        ds.transaction(async (tx) => {
          await tx.query(`SET LOCAL ROLE casework_app`);
          await write(tx, 10 + i);
        }),
      ),
    );
    await sequencer.flush();
    const [{ n, max }] = await ds.query(`SELECT count(*)::int AS n, max(seq)::int AS max FROM audit_event WHERE chain_id = $1`, [chain]);
    expect({ n, max }).toEqual({ n: 42, max: 42 });
    expect((await verifyAuditChains(ds, checkpointer.keys.publicKeyPem, { chains: [chain] })).ok).toBe(true);
  });

  it('reports entries left unsequenced longer than the bound as a fault', async () => {
    const chain = randomUUID();
    await ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE casework_app`);
      await writer.write(withQuery(tx), { organisationId: chain }, [record(7)]);
    });
    const waiting = await verifyAuditChains(ds, checkpointer.keys.publicKeyPem, { chains: [chain], maxLagSeconds: 0 });
    expect(waiting).toMatchObject({ ok: false, unsequenced: { entries: 1, oldest: expect.any(String), maxLagSeconds: 0 } });
    // younger than the bound: normal, not a fault
    expect((await verifyAuditChains(ds, checkpointer.keys.publicKeyPem, { chains: [chain], maxLagSeconds: 60 })).ok).toBe(true);
    await sequencer.flush();
    const sequenced = await verifyAuditChains(ds, checkpointer.keys.publicKeyPem, { chains: [chain], maxLagSeconds: 0 });
    expect(sequenced).toMatchObject({ ok: true, events: 1, unsequenced: { entries: 0, oldest: null } });
  });

  it('catches events deleted together with their checkpoints, and a whole chain deleted, through the exported file', async () => {
    const victim = randomUUID();
    for (let round = 0; round < 3; round++) {
      await ds.transaction(async (tx) => {
        await tx.query(`SET LOCAL ROLE casework_app`);
        await writer.write(withQuery(tx), { organisationId: victim }, [record(round), record(round + 1)]);
      });
      await sequencer.flush();
      await checkpointer.checkpointDue(true, [victim]);
    }
    const tampered = async (...tamper: string[]) =>
      ds
        .transaction(async (tx) => {
          await tx.query(`SET LOCAL session_replication_role = replica`);
          for (const sql of tamper) await tx.query(sql, [victim]);
          throw Object.assign(new Error('rollback'), { report: await verifyAuditChains(tx, checkpointer.keys.publicKeyPem, { checkpointFile }) });
        })
        .catch((error: { report?: Awaited<ReturnType<typeof verifyAuditChains>> }) => {
          if (!error.report) throw error;
          return error.report;
        });
    // the tail and its checkpoint: the database alone would look whole
    const tail = await tampered(`DELETE FROM audit_event WHERE chain_id = $1 AND seq > 4`, `DELETE FROM audit_checkpoint WHERE chain_id = $1 AND seq > 4`);
    expect(tail.chains.find((c) => c.chain === victim)).toMatchObject({ ok: false, firstBroken: { seq: 5, reason: 'truncated' } });
    expect(tail.chains.find((c) => c.chain === victim)!.broken).toContainEqual({ seq: 6, reason: 'checkpoint-deleted' });
    // the whole chain, its checkpoints and its head
    const gone = await tampered(
      `DELETE FROM audit_event WHERE chain_id = $1`,
      `DELETE FROM audit_checkpoint WHERE chain_id = $1`,
      `DELETE FROM audit_chain WHERE chain_id = $1`,
    );
    expect(gone.chains.find((c) => c.chain === victim)).toMatchObject({ ok: false, events: 0, firstBroken: { seq: 1, reason: 'truncated' } });
    expect(gone.ok).toBe(false);
    // a checkpoint only the file has, over an intact event (a run that died before its commit), is no break;
    // nor a torn last line (a write in progress); a line that is not a checkpoint is
    const [{ seq, hash }] = await ds.query(`SELECT seq::int, encode(hash, 'hex') AS hash FROM audit_event WHERE chain_id = $1 AND seq = 5`, [victim]);
    const unsigned = { chain: victim, seq, headHash: hash, time: new Date().toISOString() };
    const signature = sign(null, checkpointPayload(unsigned), createPrivateKey(TEST_AUDIT_KEY)).toString('base64');
    appendFileSync(checkpointFile, JSON.stringify({ ...unsigned, keyId: checkpointer.keys.keyId, signature }) + '\n{"chain": "torn');
    expect(await verifyAuditChains(ds, checkpointer.keys.publicKeyPem, { chains: [victim], checkpointFile })).toMatchObject({
      ok: true,
      checkpointFile: { checkpoints: 4, unreadableLines: 0 },
    });
    appendFileSync(checkpointFile, '\nnot a checkpoint\n');
    expect(await verifyAuditChains(ds, checkpointer.keys.publicKeyPem, { chains: [victim], checkpointFile })).toMatchObject({
      ok: false,
      checkpointFile: { unreadableLines: 2 },
    });
    // untouched, the file agrees with the database
    const whole = await verifyAuditChains(ds, checkpointer.keys.publicKeyPem, { chains: [victim], checkpointFile });
    expect(whole.chains).toEqual([{ chain: victim, events: 6, ok: true }]);
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
