import { randomUUID } from 'node:crypto';
import { DATA_CATEGORIES, type DataCategory, type Purpose } from '@app/kernel';
import { CATEGORY_KEY } from '@app/domain';
import { buildMatrix, canary, oracle, writeMatrix, MATRIX_PASSWORD, type Matrix, type MatrixScenario, type MatrixUser } from '../support/sharing-matrix.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SEED = 20261123;
const SCENARIOS = 1800; // x 6 categories = 10,800 cases

/**
 * The sharing rule through the HTTP API, against an independent oracle, over a generated matrix of
 * organisation kind x role x involvement x agreement state x consent state x category x purpose x
 * certification. Every case must agree; canaries planted in every section must show up exactly where
 * the rule allows and nowhere else.
 */
describe('sharing rule matrix through the API', () => {
  let t: TestApp;
  let m: Matrix;
  const tokens = new Map<string, string>();
  const mismatches: string[] = [];
  const counts = { cases: 0, allowed: 0, denied: 0, forbidden: 0, notFound: 0 };

  const tokenOf = async (user: MatrixUser) => {
    if (!tokens.has(user.id)) tokens.set(user.id, (await t.signIn(user.email, MATRIX_PASSWORD)).accessToken);
    return tokens.get(user.id)!;
  };
  const get = async (user: MatrixUser, url: string, purpose: Purpose | null) => {
    const request = t.http.get(url).set('Authorization', `Bearer ${await tokenOf(user)}`);
    return purpose ? request.set('X-Purpose', purpose) : request;
  };
  const caseworker = (user: MatrixUser) => ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD'].includes(user.role);
  const filesOf = (s: MatrixScenario) => [s.owner, ...(s.viewerOwnsFile ? [s.viewer] : [])];

  /** What the oracle says the user may see of the scenario's person: own file, and categories per partner file. */
  const expected = (user: MatrixUser, purpose: Purpose | null, s: MatrixScenario) => {
    const own = caseworker(user) && filesOf(s).includes(user.organisationId);
    const shared = new Map<string, DataCategory[]>();
    for (const owner of filesOf(s)) {
      if (owner === user.organisationId) continue;
      const categories = oracle(m, user, purpose, s, owner);
      if (categories.length > 0) shared.set(owner, categories);
    }
    return { own, shared, visible: own || shared.size > 0 };
  };

  beforeAll(async () => {
    t = await startTestApp();
    m = buildMatrix(SEED, SCENARIOS, 'm1');
    await writeMatrix(t.dataSource, m, '0777');
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it(`agrees with the oracle on every case of ${SCENARIOS} generated scenarios x ${DATA_CATEGORIES.length} categories`, async () => {
    for (const s of m.scenarios) {
      const response = await get(s.user, `/clients/${s.personId}`, s.purpose);
      const want = expected(s.user, s.purpose, s);
      const where = `person ${s.personId} as ${s.user.role}/${s.user.certification} purpose ${s.purpose}`;
      counts.cases += DATA_CATEGORIES.length;
      if (!caseworker(s.user)) {
        counts.forbidden += DATA_CATEGORIES.length;
        if (response.status !== 403) mismatches.push(`${where}: expected 403, got ${response.status}`);
        continue;
      }
      if (!want.visible) {
        counts.notFound += DATA_CATEGORIES.length;
        counts.denied += DATA_CATEGORIES.length;
        if (response.status !== 404) mismatches.push(`${where}: expected 404, got ${response.status}`);
        continue;
      }
      if (response.status !== 200) {
        mismatches.push(`${where}: expected 200, got ${response.status}`);
        continue;
      }
      const body = response.body;
      if (Boolean(body.ownFile) !== want.own) mismatches.push(`${where}: own file ${Boolean(body.ownFile)} != ${want.own}`);
      const got = new Map<string, DataCategory[]>(
        body.shared.map((f: Record<string, unknown>) => [f.organisationId, DATA_CATEGORIES.filter((k) => f[CATEGORY_KEY[k]] !== undefined)]),
      );
      const text = JSON.stringify(body);
      for (const owner of filesOf(s)) {
        if (owner === s.user.organisationId) continue;
        const allowed = want.shared.get(owner) ?? [];
        const shown = got.get(owner) ?? [];
        const file = body.shared.find((f: { organisationId: string }) => f.organisationId === owner);
        for (const k of DATA_CATEGORIES) {
          const ok = allowed.includes(k);
          if (ok) counts.allowed++;
          else counts.denied++;
          if (shown.includes(k) !== ok) mismatches.push(`${where}: ${k} of ${owner} shown=${shown.includes(k)} oracle=${ok}`);
          if (text.includes(canary(owner, s.personId, k)) !== ok) mismatches.push(`${where}: canary ${k} of ${owner} leaked=${!ok}`);
          if (file && file.withheld.includes(k) === ok) mismatches.push(`${where}: ${k} withheld list wrong`);
        }
      }
      if (want.own) {
        for (const k of DATA_CATEGORIES) {
          if (!text.includes(canary(s.user.organisationId, s.personId, k))) mismatches.push(`${where}: own ${k} missing`);
        }
      }
    }
    console.log(
      `sharing matrix: ${counts.cases} cases (${counts.allowed} allow, ${counts.denied} deny, ${counts.forbidden} refused by role), ${mismatches.length} mismatches`,
    );
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(counts.cases).toBeGreaterThanOrEqual(10_000);
    // the matrix must exercise both answers in volume, or agreement would prove little
    expect(counts.allowed).toBeGreaterThan(500);
    expect(counts.denied).toBeGreaterThan(1000);
  }, 300_000);

  it('answers 404 for ids that do not exist, exactly like ids the caller may not see', async () => {
    const user = m.scenarios[0].user.role === 'PRIVACY_OFFICER' ? m.scenarios[1].user : m.scenarios[0].user;
    for (let i = 0; i < 50; i++) {
      const response = await get(user, `/clients/${randomUUID()}`, 'MEDIATION');
      expect([404, 403]).toContain(response.status);
      if (caseworker(user)) expect(response.body.code).toBe('client-not-found');
    }
  });

  it('lists, page by page, exactly the persons the oracle allows: no more, no fewer', async () => {
    const pairs = new Map<string, { user: MatrixUser; purpose: Purpose | null }>();
    for (const s of m.scenarios) {
      if (caseworker(s.user)) pairs.set(`${s.user.id}/${s.purpose}`, { user: s.user, purpose: s.purpose });
      if (pairs.size >= 120) break;
    }
    let checked = 0;
    let n = 0;
    for (const { user, purpose } of pairs.values()) {
      // every other pair in pages of 7, so the seams between pages (own files and partners' merged) are crossed often
      const limit = n++ % 2 === 0 ? 100 : 7;
      const want = new Set(m.scenarios.filter((s) => expected(user, purpose, s).visible).map((s) => s.personId));
      const got: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await get(user, `/clients?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, purpose);
        expect(response.status).toBe(200);
        got.push(...response.body.items.map((i: { id: string }) => i.id));
        cursor = response.body.nextCursor;
      } while (cursor);
      expect({ user: user.email, purpose, ids: [...got].sort() }).toEqual({ user: user.email, purpose, ids: [...want].sort() });
      expect(new Set(got).size).toBe(got.length);
      checked += want.size;
    }
    expect(checked).toBeGreaterThan(0);
  }, 120_000);
});
