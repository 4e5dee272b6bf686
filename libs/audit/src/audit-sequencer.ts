import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Queryable } from './audit-verifier.js';
import { AUDIT_CONFIG, type AuditConfig } from './audit.config.js';
import { chainHash, GENESIS_HASH, type CanonicalEvent } from './canonical.js';

/** An entry as the sequencer reads it: its time as the canonical text spells it. */
interface EntryRow {
  id: string;
  chain_id: string;
  occurred_text: string;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  actor_roles: string[];
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  subject_person_id: string | null;
  owner_organisation_id: string | null;
  categories: string[];
  purpose: string | null;
  decision: 'ALLOW' | 'DENY';
  ground_kind: string | null;
  ground_involvement_id: string | null;
  ground_agreement_id: string | null;
  ground_consent_id: string | null;
  ground_break_glass_id: string | null;
  ground_referral_id: string | null;
  request_id: string | null;
  client_address: string | null;
  user_agent: string | null;
}

/** The event an entry becomes at `seq` on its chain: what its hash covers. */
export function canonicalOf(e: EntryRow, seq: number): CanonicalEvent {
  return {
    chain: e.chain_id,
    seq,
    occurredAt: e.occurred_text,
    ...(e.owner_organisation_id ? { ownerOrganisationId: e.owner_organisation_id } : {}),
    actorUserId: e.actor_user_id,
    actorOrganisationId: e.actor_organisation_id,
    actorRoles: e.actor_roles,
    action: e.action,
    resourceType: e.resource_type,
    resourceId: e.resource_id,
    subjectPersonId: e.subject_person_id,
    categories: e.categories,
    purpose: e.purpose,
    decision: e.decision,
    groundKind: e.ground_kind,
    groundInvolvementId: e.ground_involvement_id,
    groundAgreementId: e.ground_agreement_id,
    groundConsentId: e.ground_consent_id,
    groundBreakGlassId: e.ground_break_glass_id,
    ...(e.ground_referral_id ? { groundReferralId: e.ground_referral_id } : {}),
    requestId: e.request_id,
    clientAddress: e.client_address,
    userAgent: e.user_agent,
  };
}

const ENTRY_COLUMNS = `chain_id, occurred_at, actor_user_id, actor_organisation_id, actor_roles, action, resource_type, resource_id,
  subject_person_id, owner_organisation_id, categories, purpose, decision, ground_kind, ground_involvement_id, ground_agreement_id,
  ground_consent_id, ground_break_glass_id, ground_referral_id, request_id, client_address, user_agent`;

/**
 * Puts committed audit entries on their chains: in one transaction at a time across every process
 * (an advisory lock), it reads the oldest committed entries, gives each the next seq of its chain and
 * the hash over the previous one, and in one statement moves them into `audit_event` (whose trigger
 * checks that every chain is continued exactly), raises the flags they carry and deletes them. An
 * entry is on its chain within `sequenceIntervalMs` of its commit; a reader that must see every event
 * up to now (the console, the access report, a flag queue) calls `flush()` before it reads.
 *
 * Chain order is the order of sequencing, which for entries of one chain follows their commit; the
 * identity of the entry orders those seen in one batch.
 */
@Injectable()
export class AuditSequencer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditSequencer');
  private timer?: NodeJS.Timeout;
  private current?: Promise<number>;
  private next?: Promise<number>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AUDIT_CONFIG) private readonly config: AuditConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sequenceIntervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.current || this.stopped) return;
      this.run(false).catch((error) => this.logger.error(`sequencing audit entries failed: ${(error as Error).message}`));
    }, this.config.sequenceIntervalMs);
    this.timer.unref();
  }

  /** Before the pool closes: what this process committed goes on its chains before it stops. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (!this.dataSource.isInitialized) return;
    await this.flush().catch((error) => this.logger.error(`sequencing audit entries at shutdown failed: ${(error as Error).message}`));
  }

  /**
   * Sequences every entry committed before the call. Callers that arrive while a run is going share
   * the run after it (that one starts after their commits); it waits for any other process's run.
   */
  flush(): Promise<number> {
    this.next ??= (this.current ?? Promise.resolve(0))
      .catch(() => 0)
      .then(() => {
        this.next = undefined;
        return this.run(true);
      });
    return this.next;
  }

  private run(wait: boolean): Promise<number> {
    const run = (async () => {
      let total = 0;
      for (;;) {
        const moved = await this.dataSource.transaction((m) => this.batch(m, wait));
        total += moved;
        if (moved < this.config.sequenceBatch) return total;
      }
    })().finally(() => {
      if (this.current === run) this.current = undefined;
    });
    this.current = run;
    return run;
  }

  /** One batch in the caller's transaction; the number of entries it put on their chains. */
  async batch(m: Queryable, wait = true): Promise<number> {
    const [lock] = await m.query(
      wait
        ? `SELECT pg_advisory_xact_lock(hashtext('casework.audit-sequencer')) IS NULL AS got`
        : `SELECT pg_try_advisory_xact_lock(hashtext('casework.audit-sequencer')) AS got`,
    );
    if (!wait && !lock.got) return 0;
    const entries: EntryRow[] = await m.query(
      `SELECT id, chain_id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_text, actor_user_id,
              actor_organisation_id, actor_roles, action, resource_type, resource_id, subject_person_id, owner_organisation_id, categories,
              purpose, decision, ground_kind, ground_involvement_id, ground_agreement_id, ground_consent_id, ground_break_glass_id,
              ground_referral_id, request_id, client_address, user_agent
         FROM audit_entry ORDER BY id LIMIT $1`,
      [this.config.sequenceBatch],
    );
    if (entries.length === 0) return 0;
    const chains = [...new Set(entries.map((e) => e.chain_id))].sort();
    await m.query(`INSERT INTO audit_chain (chain_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING`, [chains]);
    const heads = new Map<string, { seq: number; hash: Buffer }>(
      (await m.query(`SELECT chain_id, seq, head_hash FROM audit_chain WHERE chain_id = ANY ($1::uuid[]) ORDER BY chain_id FOR UPDATE`, [chains])).map(
        (h: { chain_id: string; seq: string; head_hash: Buffer }) => [h.chain_id, { seq: Number(h.seq), hash: h.head_hash ?? GENESIS_HASH }],
      ),
    );
    const seqs: number[] = [];
    const prevs: Buffer[] = [];
    const hashes: Buffer[] = [];
    for (const entry of entries) {
      const head = heads.get(entry.chain_id)!;
      const seq = head.seq + 1;
      const hash = chainHash(head.hash, canonicalOf(entry, seq));
      seqs.push(seq);
      prevs.push(head.hash);
      hashes.push(hash);
      heads.set(entry.chain_id, { seq, hash });
    }
    // One statement: the entries leave audit_entry, land on their chains, and raise their flags.
    await m.query(
      `WITH placed AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[], $4::bytea[]) AS p(id, seq, prev_hash, hash)),
            moved AS (DELETE FROM audit_entry e USING placed p WHERE e.id = p.id
                      RETURNING e.id AS entry_id, p.seq, p.prev_hash, p.hash, e.*),
            events AS (INSERT INTO audit_event (${ENTRY_COLUMNS}, seq, prev_hash, hash, entry_id)
                       SELECT ${ENTRY_COLUMNS}, seq, prev_hash, hash, entry_id FROM moved ORDER BY chain_id, seq)
       INSERT INTO audit_flag (organisation_id, kind, actor_user_id, actor_organisation_id, subject_person_id, event_chain, event_seq, details)
       SELECT flag_organisation_id, flag_kind, actor_user_id, actor_organisation_id, subject_person_id, chain_id, seq,
              jsonb_build_object('action', action, 'categories', to_jsonb(categories), 'breakGlassId', ground_break_glass_id)
         FROM moved WHERE flag_kind IS NOT NULL`,
      [entries.map((e) => e.id), seqs, prevs, hashes],
    );
    return entries.length;
  }
}
