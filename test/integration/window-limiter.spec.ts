import { DataSource } from 'typeorm';
import { WindowLimiter } from '../../libs/auth/src/throttling/window-limiter.js';
import { createDataSource } from '../../apps/api/src/database/data-source.js';
import { createTestDatabase } from '../support/test-app.js';

/**
 * The per-request rate limit (issue 15): counted in memory, reconciled through PostgreSQL. Two limiters
 * on one database stand for two API processes.
 */
describe('window limiter', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url, 2);
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const minuteStart = () => Math.floor(Date.now() / 60_000) * 60_000;

  it('is exact within one process, and says when the window ends', async () => {
    const limiter = new WindowLimiter(ds, 'test-one', 10, 60, 60_000);
    const now = minuteStart() + 15_000;
    const decisions = Array.from({ length: 12 }, () => limiter.consume('u1', now));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(decisions[9]).toEqual({ allowed: true, remaining: 0, resetMs: 45_000 });
    expect(decisions[10]).toEqual({ allowed: false, resetMs: 45_000 });
    // another key, and the next window, start afresh
    expect(limiter.consume('u2', now)).toMatchObject({ allowed: true, remaining: 9 });
    expect(limiter.consume('u1', now + 60_000)).toMatchObject({ allowed: true, remaining: 9 });
    await limiter.stop();
  });

  it('holds across processes within what the others accepted since their last reconciliation', async () => {
    const a = new WindowLimiter(ds, 'test-two', 10, 60, 60_000);
    const b = new WindowLimiter(ds, 'test-two', 10, 60, 60_000);
    for (let i = 0; i < 6; i++) expect(a.consume('u').allowed).toBe(true);
    await a.sync();
    // b has not reconciled yet: it counts only its own
    for (let i = 0; i < 4; i++) expect(b.consume('u').allowed).toBe(true);
    await b.sync(); // b learns of a's 6: 10 in all
    expect(b.consume('u').allowed).toBe(false);
    // a has not heard of b's 4 yet: it accepts up to its own view (the stated error: b's unsynced 4)
    const overshoot = Array.from({ length: 6 }, () => a.consume('u')).filter((d) => d.allowed).length;
    expect(overshoot).toBe(4);
    await a.sync();
    expect(a.consume('u').allowed).toBe(false);
    const [row] = await ds.query(`SELECT points FROM rate_limit WHERE key LIKE 'w:test-two:u:%'`);
    expect(row.points).toBe(14); // 10 + the 4 b accepted before a heard of them
    await Promise.all([a.stop(), b.stop()]);
  });

  it('keeps counting when the database cannot be asked, and adds the counts when it can', async () => {
    const broken = { query: () => Promise.reject(new Error('connection refused')) } as unknown as DataSource;
    const limiter = new WindowLimiter(broken, 'test-down', 3, 60, 60_000);
    expect([1, 2, 3, 4].map(() => limiter.consume('u').allowed)).toEqual([true, true, true, false]);
    await expect(limiter.sync()).rejects.toThrow('connection refused');
    expect(limiter.consume('u').allowed).toBe(false); // still counted here
  });
});
