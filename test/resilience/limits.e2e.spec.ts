import { RateLimits } from '@app/auth';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** OWASP API4: per-user and per-address request limits, throttled exports, bounded database waits. */
describe('resource limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ rateLimits: { perUserPerMinute: 15, perAddressPerMinute: 70, exportsPerUserPerHour: 2 } });
  });
  afterAll(() => t.close());

  // The per-request limits count in fixed, clock-aligned minutes (the same window in every process):
  // a test that counts to a limit starts well inside one, or its count would be cut in two.
  const insideOneMinute = async (seconds = 10) => {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
  };

  const limited = (response: { status: number; headers: Record<string, string>; body: any }, code: string) => {
    expect(response.status).toBe(429);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe(code);
    const wait = Number(response.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(3600);
  };

  it('throttles CSV exports of the access report per user per hour', async () => {
    const { accessToken } = await t.signIn('privacy@ocmw-ranst.demo');
    const [{ person_id: client }] = await t.dataSource.query(
      `SELECT f.person_id FROM client_file f JOIN organisation o ON o.id = f.organisation_id WHERE o.name = 'OCMW Ranst' ORDER BY f.person_id LIMIT 1`,
    );
    const get = () => t.http.get(`/clients/${client}/access-report?format=csv`).auth(accessToken, { type: 'bearer' });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    limited(await get(), 'too-many-exports');
    // The JSON view is not an export.
    expect((await t.http.get(`/clients/${client}/access-report`).auth(accessToken, { type: 'bearer' })).status).toBe(200);
  });
  it('pages the referral queue: at most 100 a page, and the pages together are the whole box', async () => {
    const { accessToken } = await t.signIn('trajectory.guide@ocmw-ranst.demo');
    const get = (query: string) => t.http.get(`/handovers?${query}`).auth(accessToken, { type: 'bearer' });
    const tooMany = await get('box=outbox&limit=101');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
    const whole = await get('box=outbox&limit=100');
    expect(whole.status).toBe(200);
    expect(whole.body.items.length).toBeGreaterThan(2);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await get(`box=outbox&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      expect(page.body.counts).toEqual(whole.body.counts);
      paged.push(...page.body.items.map((r: { id: string }) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(whole.body.items.map((r: { id: string }) => r.id));
    expect((await get('box=outbox&cursor=not-a-cursor')).status).toBe(400);
  });

  it('refuses a user over the per-minute limit with 429 and Retry-After, and not another user', async () => {
    const { accessToken } = await t.signIn('mediator@vdab-antwerpen.demo');
    await insideOneMinute();
    const statuses: number[] = [];
    const remaining: number[] = [];
    let last: any;
    for (let i = 0; i < 18; i++) {
      last = await t.http.get('/me').auth(accessToken, { type: 'bearer' });
      statuses.push(last.status);
      remaining.push(Number(last.headers['ratelimit-remaining']));
    }
    expect(statuses.slice(0, 15).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(15)).toEqual([429, 429, 429]);
    limited(last, 'too-many-requests');
    // Each answer tells the caller where it stands (the tighter of its user and address limits).
    expect(remaining.slice(0, 15)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(last.headers['ratelimit-limit']).toBe('15');
    expect(last.headers['ratelimit-remaining']).toBe('0');
    expect(Number(last.headers['ratelimit-reset'])).toBeGreaterThan(0);
    const other = await t.signIn('team.lead@vdab-antwerpen.demo');
    expect((await t.http.get('/me').auth(other.accessToken, { type: 'bearer' })).status).toBe(200);
    // The count reaches the database, where every API process adds its own (window-limiter.spec.ts).
    await t.app.get(RateLimits).sync();
    const [row] = await t.dataSource.query(
      `SELECT points FROM rate_limit WHERE key LIKE 'w:user:' || (SELECT id FROM app_user WHERE email = 'mediator@vdab-antwerpen.demo') || ':%'`,
    );
    expect(row.points).toBe(15);
  }, 30_000); // insideOneMinute may wait up to 10 s for a fresh window

  it('refuses an address over its limit before authentication (kept in memory once over), but never the health probes', async () => {
    let last: any;
    await insideOneMinute();
    for (let i = 0; i < 75 && last?.status !== 429; i++) last = await t.http.get('/no/such/route');
    limited(last, 'too-many-requests');
    expect((await t.http.get('/health/live')).status).toBe(200);
  }, 30_000);
});
