import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** A DataSource (pooled, chains verified in parallel) or one connection's EntityManager (in order). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

interface Pool extends Queryable {
  transaction<T>(work: (manager: Queryable) => Promise<T>): Promise<T>;
  isInitialized: boolean;
}

/** A DataSource opens its own transactions; an EntityManager is already inside one. */
function isPool(q: Queryable): q is Pool {
  return typeof (q as Partial<Pool>).transaction === 'function' && 'isInitialized' in q;
}
import { checkpointPayload } from './audit-checkpointer.js';

export interface BrokenLink {
  seq: number;
  reason: 'hash' | 'link' | 'sequence' | 'truncated' | 'checkpoint-mismatch' | 'checkpoint-signature';
}

export interface ChainReport {
  chain: string;
  events: number;
  ok: boolean;
  firstBroken?: BrokenLink;
  /** every broken row found (up to 1,000 from the scan, plus checkpoint problems), in seq order */
  broken?: BrokenLink[];
}

export interface VerificationReport {
  ok: boolean;
  chains: ChainReport[];
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Recomputes every chain in the database (SHA-256 over the canonical text, one scan per chain) and
 * checks it against the signed checkpoints. Detects an edited, deleted, inserted or reordered event
 * (every one is named, so a later tampering cannot hide behind an earlier break), and a truncated tail (shorter than its last signed head). Runs as the
 * owner, outside row-level security: it returns hashes and positions, never event content.
 */
export async function verifyAuditChains(
  dataSource: Queryable,
  publicKeyPem: string,
  options: { chains?: string[]; concurrency?: number } = {},
): Promise<VerificationReport> {
  const publicKey = createPublicKey(publicKeyPem);
  const started = performance.now();
  const chains: string[] =
    options.chains ??
    (
      await dataSource.query(
        `SELECT chain_id FROM audit_chain UNION SELECT chain_id FROM audit_checkpoint
         UNION SELECT DISTINCT chain_id FROM audit_event ORDER BY 1`,
      )
    ).map((r: { chain_id: string }) => r.chain_id);
  // One query per worker over its share of the chains: the chain scans run inside one statement,
  // where PostgreSQL plans the verification once instead of once per chain.
  const workers = Math.max(1, Math.min(options.concurrency ?? 1, chains.length));
  const shares = Array.from({ length: workers }, (_, w) => chains.filter((_, i) => i % workers === w));
  const reports = (await Promise.all(shares.map((share) => verifyShare(dataSource, publicKey, share)))).flat();
  reports.sort((a, b) => a.chain.localeCompare(b.chain));
  const seconds = (performance.now() - started) / 1000;
  const events = reports.reduce((sum, r) => sum + r.events, 0);
  return { ok: reports.every((r) => r.ok), chains: reports, events, seconds, eventsPerSecond: Math.round(events / Math.max(seconds, 1e-6)) };
}

async function verifyShare(dataSource: Queryable, publicKey: KeyObject, chains: string[]): Promise<ChainReport[]> {
  if (chains.length === 0) return [];
  type Row = { chain_id: string; events: string; last_seq: string | null; broken_seqs: string[]; broken_reasons: Array<BrokenLink['reason']> };
  // The window over the chains sorts them; with the default 4 MB of work_mem a million events spill to disk.
  const run = async (q: Queryable): Promise<Row[]> => {
    await q.query(`SET LOCAL work_mem = '256MB'`);
    return q.query(`SELECT chain_id, events, last_seq, broken_seqs, broken_reasons FROM audit_verify_chains($1)`, [chains]);
  };
  const rows = isPool(dataSource) ? await dataSource.transaction(run) : await run(dataSource);
  const byChain = new Map(rows.map((r) => [r.chain_id, r]));
  const reports: ChainReport[] = [];
  for (const chain of chains) {
    // a chain with no events left (all deleted) still has its checkpoints to answer to
    const row = byChain.get(chain) ?? { chain_id: chain, events: '0', last_seq: null, broken_seqs: [], broken_reasons: [] };
    reports.push(await checkAgainstCheckpoints(dataSource, publicKey, { ...row, chain }));
  }
  return reports;
}

async function checkAgainstCheckpoints(
  dataSource: Queryable,
  publicKey: KeyObject,
  result: { chain: string; events: string; last_seq: string | null; broken_seqs: string[]; broken_reasons: Array<BrokenLink['reason']> },
): Promise<ChainReport> {
  const chain = result.chain;
  const events = Number(result.events);
  const lastSeq = result.last_seq === null ? 0 : Number(result.last_seq);
  const broken: BrokenLink[] = result.broken_seqs.map((seq, i) => ({ seq: Number(seq), reason: result.broken_reasons[i] }));

  const checkpoints: Array<{ seq: string; head_hash: Buffer; signed_at: Date; signature: Buffer; event_hash: Buffer | null }> = await dataSource.query(
    `SELECT k.seq, k.head_hash, k.signed_at, k.signature,
            (SELECT e.hash FROM audit_event e WHERE e.chain_id = k.chain_id AND e.seq = k.seq ORDER BY e.occurred_at LIMIT 1) AS event_hash
       FROM audit_checkpoint k WHERE k.chain_id = $1 ORDER BY k.seq`,
    [chain],
  );
  const note = (link: BrokenLink) => broken.push(link);
  for (const k of checkpoints) {
    const seq = Number(k.seq);
    const payload = checkpointPayload({ chain, seq, headHash: k.head_hash.toString('hex'), time: k.signed_at.toISOString() });
    if (!verify(null, payload, publicKey, k.signature)) note({ seq, reason: 'checkpoint-signature' });
    else if (seq > lastSeq) note({ seq: lastSeq + 1, reason: 'truncated' });
    else if (!k.event_hash || !k.event_hash.equals(k.head_hash)) note({ seq, reason: 'checkpoint-mismatch' });
  }
  broken.sort((a, b) => a.seq - b.seq);
  return { chain, events, ok: broken.length === 0, ...(broken.length > 0 ? { firstBroken: broken[0], broken } : {}) };
}
