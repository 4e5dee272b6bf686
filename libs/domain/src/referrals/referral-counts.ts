import type { Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The repository of `referral_count`: the counts of an organisation's inbox and outbox per status,
 * kept as signed deltas by a trigger on `referral` (libs/domain/sql/55-referral-counts.sql). A count
 * reads the few rows of its key, whatever the size of the box; `compact` (a background job) folds
 * each key's rows into one.
 */
@Injectable()
export class ReferralCounts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Counts per status of the caller's organisation's box (the receiver never counts the sender's drafts). */
  async of(tx: Tx, box: 'inbox' | 'outbox', organisationId: string): Promise<Record<string, number>> {
    const rows = await tx.query(
      `SELECT status, sum(n)::int AS n FROM referral_count
        WHERE organisation_id = $1 AND box = $2 AND ($2 = 'outbox' OR status <> 'DRAFT')
        GROUP BY status HAVING sum(n) <> 0`,
      [organisationId, box],
    );
    return Object.fromEntries(rows.map((c: { status: string; n: number }) => [c.status, c.n]));
  }

  /** Folds every key's deltas into one row; the number of rows folded. Runs as the owner. */
  async compact(): Promise<number> {
    const [{ folded }] = await this.dataSource.query(`SELECT referral_count_compact() AS folded`);
    return Number(folded);
  }
}
