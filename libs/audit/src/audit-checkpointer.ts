import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sign } from 'node:crypto';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditFlagDetector } from './audit-flags.js';
import { checkpointPayload } from './canonical.js';
import { AuditSequencer } from './audit-sequencer.js';
import { verifyAuditChains, type VerificationReport } from './audit-verifier.js';
import { AUDIT_CONFIG, signingKeys, type AuditConfig, type SigningKeys } from './audit.config.js';

export interface Checkpoint {
  chain: string;
  seq: number;
  headHash: string;
  time: string;
  keyId: string;
  signature: string;
}

/**
 * Signs the head of every chain that has new events, at least every 5 minutes or every 10,000 events
 * (configurable), stores the signature and appends it to a file outside the database. Truncating a
 * chain's tail, or rewriting it wholesale, is then caught against the last signed head.
 */
@Injectable()
export class AuditCheckpointer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditCheckpointer');
  readonly keys: SigningKeys;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AUDIT_CONFIG) private readonly config: AuditConfig,
    @Optional() private readonly detector?: AuditFlagDetector,
    @Optional() private readonly sequencer?: AuditSequencer,
  ) {
    this.keys = signingKeys(config.signingKeyPem);
  }

  onApplicationBootstrap(): void {
    if (this.config.checkpointPollSeconds <= 0) return;
    this.timer = setInterval(() => {
      // the entries committed so far on their chains first, so the checkpoints sign them
      this.running ??= Promise.resolve(this.sequencer?.flush())
        // a sequencing failure is logged and does not stop the checkpoints of what is chained, nor detection
        .catch((error) => this.logger.error(`sequencing audit entries failed: ${(error as Error).message}`))
        .then(() => this.checkpointDue())
        .then(() => this.detector?.detect())
        .catch((error) => this.logger.error(`checkpointing or anomaly detection failed: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.config.checkpointPollSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * Verifies the chains (all, or `chains`) against the checkpoints in the database and in the exported
   * file, and reports entries the sequencer left waiting longer than its bound.
   */
  verify(chains?: string[]): Promise<VerificationReport> {
    return verifyAuditChains(this.dataSource, this.keys.publicKeyPem, {
      chains,
      concurrency: 2,
      checkpointFile: this.config.checkpointFile,
      maxLagSeconds: this.config.sequenceMaxLagSeconds,
    });
  }

  /**
   * For each chain, the first signed checkpoint at or after `seq`: the one that covers an event there.
   * A chain whose events are newer than its last checkpoint is checkpointed now, so a report handed out
   * is covered the moment it is made.
   */
  async covering(needs: ReadonlyArray<{ chain: string; seq: number }>): Promise<Checkpoint[]> {
    const wanted = new Map<string, number>();
    for (const { chain, seq } of needs) wanted.set(chain, Math.max(seq, wanted.get(chain) ?? 0));
    if (wanted.size === 0) return [];
    const find = () =>
      this.dataSource.query(
        `SELECT DISTINCT ON (k.chain_id) k.chain_id, k.seq, k.head_hash, k.signed_at, k.key_id, k.signature
           FROM unnest($1::uuid[], $2::bigint[]) AS w(chain_id, seq)
           JOIN audit_checkpoint k ON k.chain_id = w.chain_id AND k.seq >= w.seq
          ORDER BY k.chain_id, k.seq`,
        [[...wanted.keys()], [...wanted.values()]],
      ) as Promise<Array<Record<string, any>>>;
    let rows = await find();
    if (rows.length < wanted.size) {
      await this.checkpointDue(
        true,
        [...wanted.keys()].filter((chain) => !rows.some((r) => r.chain_id === chain)),
      );
      rows = await find();
    }
    return rows.map((r) => ({
      chain: r.chain_id,
      seq: Number(r.seq),
      headHash: (r.head_hash as Buffer).toString('hex'),
      time: (r.signed_at as Date).toISOString(),
      keyId: r.key_id,
      signature: (r.signature as Buffer).toString('base64'),
    }));
  }

  /**
   * Checkpoints every chain that is due; with `force`, every chain with events since its last checkpoint
   * (of `only`, when given). One run at a time across every process (a transaction-scoped advisory
   * lock), so two runs never sign the same head twice with different times.
   */
  checkpointDue(force = false, only?: string[]): Promise<Checkpoint[]> {
    return this.dataSource.transaction((manager) => this.checkpointLocked(manager, force, only));
  }

  private async checkpointLocked(manager: { query(sql: string, params?: unknown[]): Promise<any> }, force: boolean, only?: string[]): Promise<Checkpoint[]> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('casework.audit-checkpoint'))`);
    const due = await manager.query(
      `SELECT c.chain_id, c.seq, c.head_hash
         FROM audit_chain c
         LEFT JOIN LATERAL (SELECT k.seq, k.signed_at FROM audit_checkpoint k WHERE k.chain_id = c.chain_id ORDER BY k.seq DESC LIMIT 1) last ON true
        WHERE c.seq > coalesce(last.seq, 0) AND ($4::uuid[] IS NULL OR c.chain_id = ANY ($4::uuid[]))
          AND ($1 OR c.seq - coalesce(last.seq, 0) >= $2 OR last.signed_at IS NULL
               OR last.signed_at <= now() - make_interval(secs => $3))`,
      [force, this.config.checkpointMaxEvents, this.config.checkpointMaxAgeSeconds - this.config.checkpointPollSeconds, only ?? null],
    );
    const made: Checkpoint[] = [];
    for (const row of due) {
      const unsigned = {
        chain: row.chain_id as string,
        seq: Number(row.seq),
        headHash: (row.head_hash as Buffer).toString('hex'),
        time: new Date().toISOString(),
      };
      const signature = sign(null, checkpointPayload(unsigned), this.keys.privateKey);
      const checkpoint: Checkpoint = { ...unsigned, keyId: this.keys.keyId, signature: signature.toString('base64') };
      await mkdir(dirname(this.config.checkpointFile), { recursive: true });
      // The file first: a checkpoint in the database but not outside it would protect less.
      await appendFile(this.config.checkpointFile, JSON.stringify(checkpoint) + '\n', { mode: 0o600 });
      await manager.query(
        `INSERT INTO audit_checkpoint (chain_id, seq, head_hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (chain_id, seq) DO NOTHING`,
        [checkpoint.chain, checkpoint.seq, row.head_hash, checkpoint.time, checkpoint.keyId, signature],
      );
      made.push(checkpoint);
    }
    return made;
  }
}
