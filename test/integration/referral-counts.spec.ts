import type { DataSource } from 'typeorm';
import { createDataSource } from '../../apps/api/src/database/data-source.js';
import { createTestDatabase } from '../support/test-app.js';

/**
 * The inbox and outbox counts kept as deltas (libs/domain/sql/55-referral-counts.sql) stay equal to a
 * count of the referrals themselves while handovers are created, moved and removed concurrently and
 * the deltas are folded at the same time, and folding leaves one row per key.
 */
describe('referral counts', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    ds = createDataSource(db.url, 8);
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await drop();
  });

  const counted = () =>
    ds.query(
      `SELECT organisation_id, box, status, n FROM (
         SELECT to_organisation_id AS organisation_id, 'inbox' AS box, status, count(*)::int AS n FROM referral GROUP BY 1, 3
         UNION ALL
         SELECT from_organisation_id, 'outbox', status, count(*)::int FROM referral GROUP BY 1, 3) c
        ORDER BY 1, 2, 3`,
    );
  const kept = () => ds.query(`SELECT organisation_id, box, status, sum(n)::int AS n FROM referral_count GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3`);

  it('match a count of the referrals under concurrent creates, moves, removals and folds', async () => {
    const [template] = await ds.query(`SELECT id FROM referral WHERE kind = 'WARM_HANDOVER' LIMIT 1`);
    expect(template).toBeDefined(); // the demo partnership has handovers
    expect(await kept()).toEqual(await counted()); // the migration's backfill

    const statuses = ['DRAFT', 'SENT', 'INFO_REQUESTED', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED', 'COMPLETED'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const copies: string[] = [];
    let folding = true;
    const folder = (async () => {
      let folds = 0;
      while (folding) {
        await ds.query(`SELECT referral_count_compact()`);
        folds += 1;
      }
      return folds;
    })();
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let i = 0; i < 60; i++) {
          const op = copies.length < 5 ? 0 : random(3);
          await ds
            .transaction(async (tx) => {
              if (op === 0) {
                const [{ id }] = await tx.query(
                  `INSERT INTO referral SELECT (jsonb_populate_record(r, jsonb_build_object('id', gen_random_uuid(), 'status', $2::text))).* FROM referral r
                  WHERE r.id = $1 RETURNING id`,
                  [template.id, statuses[random(statuses.length)]],
                );
                copies.push(id);
              } else if (op === 1) {
                await tx.query(`UPDATE referral SET status = $2 WHERE id = $1`, [copies[random(copies.length)], statuses[random(statuses.length)]]);
              } else {
                const [id] = copies.splice(random(copies.length), 1);
                await tx.query(`DELETE FROM referral WHERE id = $1`, [id]);
              }
              // some transactions roll back: their deltas must go with them
              if (random(10) === 0) throw new Error('rollback');
            })
            .catch((error: Error) => {
              if (error.message !== 'rollback') throw error;
            });
        }
      }),
    );
    folding = false;
    expect(await folder).toBeGreaterThan(1);
    expect(await kept()).toEqual(await counted());

    await ds.query(`SELECT referral_count_compact()`);
    const [{ most }] = await ds.query(
      `SELECT coalesce(max(c), 0)::int AS most FROM (SELECT count(*) AS c FROM referral_count GROUP BY organisation_id, box, status) k`,
    );
    expect(most).toBe(1);
    expect(await kept()).toEqual(await counted());
  }, 120_000);
});
