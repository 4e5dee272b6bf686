import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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
import { checkpointPayload } from './canonical.js';

export interface BrokenLink {
  seq: number;
  /**
   * `checkpoint-deleted`: a checkpoint of the exported file is missing from the database and the event
   * it signed is gone or changed (events deleted together with their checkpoints, or a whole chain,
   * leave the file to tell). A checkpoint only the file has over an intact event is no break: a run
   * that died between writing the file and committing leaves one.
   */
  reason: 'hash' | 'link' | 'sequence' | 'truncated' | 'checkpoint-mismatch' | 'checkpoint-signature' | 'checkpoint-deleted';
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
  /**
   * Entries logged but not on their chains after `maxLagSeconds` (a sequencer that does not keep up,
   * or entries held back): a fault. Younger ones are normal and not counted.
   */
  unsequenced: { entries: number; oldest: string | null; maxLagSeconds: number };
  /** the exported checkpoint file: its checkpoints of the chains verified, and its lines that are not checkpoints (a fault) */
  checkpointFile?: { checkpoints: number; unreadableLines: number };
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

export interface VerifyOptions {
  chains?: string[];
  concurrency?: number;
  /** the checkpoints exported outside the database (AuditConfig.checkpointFile), checked as well */
  checkpointFile?: string;
  /** entries waiting longer than this are reported as a fault (default 60) */
  maxLagSeconds?: number;
}

/** A checkpoint from the exported file (a line the AuditCheckpointer appended), as signed. */
interface FileCheckpoint {
  chain: string;
  seq: number;
  headHash: string;
  time: string;
  /** base64 */
  signature: string;
}

/** The exported checkpoints by chain and seq (the last per seq), and the lines that are not checkpoints. */
interface CheckpointFile {
  byChain: Map<string, Map<number, FileCheckpoint>>;
  unreadableLines: number;
}

function readCheckpointFile(path: string, only?: readonly string[]): CheckpointFile {
  const byChain = new Map<string, Map<number, FileCheckpoint>>();
  if (!existsSync(path)) return { byChain, unreadableLines: 0 };
  const wanted = only ? new Set(only) : undefined;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  // a last line without its newline is a write in progress (or torn by a crash), not tampering
  if (!text.endsWith('\n')) lines.pop();
  let unreadableLines = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const c = JSON.parse(line) as Partial<FileCheckpoint>;
      if (
        typeof c.chain !== 'string' ||
        !Number.isSafeInteger(c.seq) ||
        typeof c.headHash !== 'string' ||
        typeof c.time !== 'string' ||
        typeof c.signature !== 'string'
      )
        throw new Error('not a checkpoint');
      const chain = c.chain.toLowerCase();
      if (wanted && !wanted.has(chain)) continue;
      if (!byChain.has(chain)) byChain.set(chain, new Map());
      byChain.get(chain)!.set(c.seq!, { chain, seq: c.seq!, headHash: c.headHash, time: c.time, signature: c.signature });
    } catch {
      unreadableLines += 1;
    }
  }
  return { byChain, unreadableLines };
}

/**
 * Recomputes every chain in the database (SHA-256 over the canonical text, one scan per chain) and
 * checks it against the signed checkpoints, those in the database and those in the exported file.
 * Detects an edited, deleted, inserted or reordered event
 * (every one is named, so a later tampering cannot hide behind an earlier break), and a truncated tail (shorter than its last signed head). Runs as the
 * owner, outside row-level security: it returns hashes and positions, never event content.
 */
export async function verifyAuditChains(dataSource: Queryable, publicKeyPem: string, options: VerifyOptions = {}): Promise<VerificationReport> {
  const publicKey = createPublicKey(publicKeyPem);
  const started = performance.now();
  const file = options.checkpointFile ? readCheckpointFile(options.checkpointFile, options.chains) : undefined;
  const fromFile = file?.byChain ?? new Map<string, Map<number, FileCheckpoint>>();
  const inDatabase: string[] =
    options.chains ??
    (
      await dataSource.query(
        `SELECT chain_id FROM audit_chain UNION SELECT chain_id FROM audit_checkpoint
         UNION SELECT DISTINCT chain_id FROM audit_event ORDER BY 1`,
      )
    ).map((r: { chain_id: string }) => r.chain_id);
  // a chain the file knows and the database has forgotten entirely is verified too (and found short)
  const chains = [...new Set([...inDatabase, ...fromFile.keys()])].sort();
  const maxLagSeconds = options.maxLagSeconds ?? 60;
  // One query per worker over its share of the chains: the chain scans run inside one statement,
  // where PostgreSQL plans the verification once instead of once per chain.
  const workers = Math.max(1, Math.min(options.concurrency ?? 1, chains.length));
  const shares = Array.from({ length: workers }, (_, w) => chains.filter((_, i) => i % workers === w));
  const reports = (await Promise.all(shares.map((share) => verifyShare(dataSource, publicKey, share, fromFile)))).flat();
  reports.sort((a, b) => a.chain.localeCompare(b.chain));
  const backlog = await unsequenced(dataSource, maxLagSeconds, options.chains);
  const seconds = (performance.now() - started) / 1000;
  const events = reports.reduce((sum, r) => sum + r.events, 0);
  return {
    ok: reports.every((r) => r.ok) && backlog.entries === 0 && (file?.unreadableLines ?? 0) === 0,
    chains: reports,
    unsequenced: { ...backlog, maxLagSeconds },
    ...(file ? { checkpointFile: { checkpoints: [...fromFile.values()].reduce((n, seqs) => n + seqs.size, 0), unreadableLines: file.unreadableLines } } : {}),
    events,
    seconds,
    eventsPerSecond: Math.round(events / Math.max(seconds, 1e-6)),
  };
}

async function verifyShare(
  dataSource: Queryable,
  publicKey: KeyObject,
  chains: string[],
  fromFile: Map<string, Map<number, FileCheckpoint>>,
): Promise<ChainReport[]> {
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
    reports.push(await checkAgainstCheckpoints(dataSource, publicKey, { ...row, chain }, [...(fromFile.get(chain)?.values() ?? [])]));
  }
  return reports;
}

async function checkAgainstCheckpoints(
  dataSource: Queryable,
  publicKey: KeyObject,
  result: { chain: string; events: string; last_seq: string | null; broken_seqs: string[]; broken_reasons: Array<BrokenLink['reason']> },
  fromFile: FileCheckpoint[],
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
  // The exported file: the chain must still hold the event each (validly signed) checkpoint signed;
  // one the database lost over a gone or changed event is a deletion the database alone would hide.
  const inDatabase = new Set(checkpoints.map((k) => `${Number(k.seq)}:${k.head_hash.toString('hex')}`));
  const onlyInFile = fromFile.filter((f) => !inDatabase.has(`${f.seq}:${f.headHash}`));
  if (onlyInFile.length > 0) {
    const hashes: Array<{ seq: string; hash: Buffer }> = await dataSource.query(
      `SELECT DISTINCT ON (e.seq) e.seq, e.hash FROM audit_event e WHERE e.chain_id = $1 AND e.seq = ANY ($2::bigint[]) ORDER BY e.seq, e.occurred_at`,
      [chain, onlyInFile.map((f) => f.seq)],
    );
    const eventHash = new Map(hashes.map((h) => [Number(h.seq), h.hash.toString('hex')]));
    for (const f of onlyInFile) {
      if (eventHash.get(f.seq) === f.headHash) continue; // the event it signed is intact
      if (!verify(null, checkpointPayload(f), publicKey, Buffer.from(f.signature, 'base64'))) continue; // not ours: proves nothing
      note({ seq: f.seq, reason: 'checkpoint-deleted' });
      if (f.seq > lastSeq) note({ seq: lastSeq + 1, reason: 'truncated' });
      else note({ seq: f.seq, reason: 'checkpoint-mismatch' });
    }
  }
  // the file and the database may name the same break (a truncated tail): once each
  const found = [...new Map(broken.map((b) => [`${b.seq}:${b.reason}`, b])).values()].sort((a, b) => a.seq - b.seq);
  return { chain, events, ok: found.length === 0, ...(found.length > 0 ? { firstBroken: found[0], broken: found } : {}) };
}

/**
 * The entries not on their chains yet, logged more than `olderThanSeconds` ago (all of them with 0),
 * bound for `chains` (every chain when not given), and the oldest one's time.
 */
export async function unsequenced(q: Queryable, olderThanSeconds = 0, chains?: string[]): Promise<{ entries: number; oldest: string | null }> {
  const [row] = await q.query(
    `SELECT count(*)::bigint AS entries, min(occurred_at) AS oldest FROM audit_entry
      WHERE occurred_at <= now() - make_interval(secs => $1) AND ($2::uuid[] IS NULL OR chain_id = ANY ($2::uuid[]))`,
    [olderThanSeconds, chains ?? null],
  );
  return { entries: Number(row.entries), oldest: row.oldest ? new Date(row.oldest).toISOString() : null };
}
