import { createHmac } from 'node:crypto';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

const SOCIAL_WORKER = 'social.worker@ocmw-ranst.demo';

describe('authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('signs in a demo social worker and GET /me shows organisation, roles and certifications', async () => {
    const { accessToken, refreshToken } = await t.signIn(SOCIAL_WORKER);
    expect(refreshToken).toEqual(expect.any(String));
    const me = await t.http.get('/me').auth(accessToken, { type: 'bearer' });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: SOCIAL_WORKER,
      organisation: { name: 'OCMW Ranst', kind: 'OCMW' },
      roles: ['SOCIAL_WORKER'],
      certifications: [{ kind: 'PARTNER_PORTAL_BASIC', valid: true }],
    });
  });

  it('puts only identity and versions in the access token, never roles', async () => {
    const { accessToken } = await t.signIn(SOCIAL_WORKER);
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'sid', 'sub', 'ver']);
  });

  it('answers wrong credentials and unknown accounts with the same 401 problem', async () => {
    const wrong = await t.http.post('/auth/login').send({ email: 'mediator@vdab-antwerpen.demo', password: 'not-the-password' });
    const unknown = await t.http.post('/auth/login').send({ email: 'nobody@nowhere.demo', password: 'not-the-password' });
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('invalid-credentials');
    }
    expect({ ...wrong.body, requestId: 0 }).toEqual({ ...unknown.body, requestId: 0 });
  });

  it('requires a valid bearer token everywhere that is not public', async () => {
    const none = await t.http.get('/me');
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  describe('rejects forged and stale tokens with 401', () => {
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    let claims: Record<string, unknown>;
    beforeAll(async () => {
      const { accessToken } = await t.signIn(SOCIAL_WORKER);
      claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
    });
    const sign = (header: object, payload: object, secret: string) => {
      const head = `${b64(header)}.${b64(payload)}`;
      return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
    };
    const expectRejected = async (token: string) => {
      const response = await t.http.get('/me').auth(token, { type: 'bearer' });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('invalid-token');
    };

    it('a correctly signed token is accepted (control)', async () => {
      const token = sign({ alg: 'HS256', typ: 'JWT' }, claims, t.config.auth.jwtSecret);
      expect((await t.http.get('/me').auth(token, { type: 'bearer' })).status).toBe(200);
    });
    it('alg: none', () => expectRejected(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`));
    it('a foreign key', () => expectRejected(sign({ alg: 'HS256', typ: 'JWT' }, claims, 'another-secret-'.padEnd(48, 'y'))));
    it('a wrong issuer', () => expectRejected(sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'someone-else' }, t.config.auth.jwtSecret)));
    it('a wrong audience', () => expectRejected(sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, aud: 'other-api' }, t.config.auth.jwtSecret)));
    it('a past expiry', () => {
      const past = Math.floor(Date.now() / 1000) - 60;
      return expectRejected(sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: past - 900, exp: past }, t.config.auth.jwtSecret));
    });
    it('an old token version', () => expectRejected(sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, ver: Number(claims.ver) + 1 }, t.config.auth.jwtSecret)));
  });

  it('rotates refresh tokens, and a replayed refresh token ends the whole session', async () => {
    const first = await t.signIn('mediator2@vdab-antwerpen.demo');
    const second = await t.http.post('/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await t.http.get('/me').auth(second.body.accessToken, { type: 'bearer' })).status).toBe(200);

    const replay = await t.http.post('/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('invalid-refresh-token');
    // The session is revoked: the newer tokens die with it.
    expect((await t.http.get('/me').auth(second.body.accessToken, { type: 'bearer' })).status).toBe(401);
    expect((await t.http.post('/auth/refresh').send({ refreshToken: second.body.refreshToken })).status).toBe(401);
  });

  it('logout revokes the session: its access and refresh tokens stop working at once', async () => {
    const { accessToken, refreshToken } = await t.signIn('team.lead@vdab-antwerpen.demo');
    const logout = await t.http.post('/auth/logout').auth(accessToken, { type: 'bearer' });
    expect(logout.status).toBe(204);
    expect((await t.http.get('/me').auth(accessToken, { type: 'bearer' })).status).toBe(401);
    expect((await t.http.post('/auth/refresh').send({ refreshToken })).status).toBe(401);
  });

  it('validates the sign-in body before checking credentials', async () => {
    const response = await t.http.post('/auth/login').send({ email: 'not-an-email', password: 'x', remember: true });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'email', code: 'isEmail' }),
        expect.objectContaining({ field: 'remember', code: 'whitelistValidation' }),
      ]),
    );
  });
});

/**
 * Progressive delays instead of a lock-out: TRUST_PROXY lets the tests speak from several client
 * addresses through X-Forwarded-For. 3 free failures per account and address, then waits of 1, 2, 4 s
 * (the cap) between attempts.
 */
describe('sign-in throttling per account and address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ freeFailuresPerAccountAddress: 3, freeFailuresPerAddress: 1000, delayBaseSeconds: 1, delayMaxSeconds: 4 }, undefined, {
      TRUST_PROXY: 'true',
    });
  });
  afterAll(() => t.close());

  const attempt = (address: string, email: string, password: string) => t.http.post('/auth/login').set('X-Forwarded-For', address).send({ email, password });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('cannot be turned into a lock-out: the right password from another address signs in while one address hammers the account', async () => {
    const email = 'social.worker@ocmw-schelle.demo';
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await attempt('203.0.113.10', email, `wrong-${i}`)).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(16);

    const elsewhere = await attempt('198.51.100.20', email, DEMO_PASSWORD);
    expect(elsewhere.status).toBe(200);
    // The hammering address waits, even with the right password: the password is not even checked.
    const same = await attempt('203.0.113.10', email, DEMO_PASSWORD);
    expect(same.status).toBe(429);
    expect(same.body.code).toBe('too-many-sign-in-attempts');
    expect(Number(same.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('makes each attempt after the free failures wait twice as long as the last, up to the cap; a success starts over', async () => {
    const email = 'admin@ocmw-schelle.demo';
    const address = '203.0.113.11';
    for (let i = 0; i < 3; i++) expect((await attempt(address, email, 'wrong-password')).status).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const refused = await attempt(address, email, 'wrong-password');
      expect(refused.status).toBe(429);
      waits.push(Number(refused.headers['retry-after']));
      await sleep(waits[i] * 1000 + 100);
      expect((await attempt(address, email, 'wrong-password')).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 4]);
    const refused = await attempt(address, email, DEMO_PASSWORD);
    expect(refused.status).toBe(429);
    await sleep(Number(refused.headers['retry-after']) * 1000 + 100);
    expect((await attempt(address, email, DEMO_PASSWORD)).status).toBe(200);
    expect((await attempt(address, email, 'wrong-password')).status).toBe(401);
  }, 30_000);

  it('lets no parallel burst of guesses past the delay', async () => {
    const responses = await Promise.all(Array.from({ length: 15 }, () => attempt('203.0.113.12', 'coach@atb-antwerpen.demo', 'wrong-password')));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(11);
  });
});

describe('sign-in throttling per address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ freeFailuresPerAccountAddress: 100, freeFailuresPerAddress: 10, delayBaseSeconds: 60, delayMaxSeconds: 900 }, undefined, {
      TRUST_PROXY: 'true',
    });
  });
  afterAll(() => t.close());

  it('slows down an address that fails across many accounts, and no other address', async () => {
    const from = (address: string, email: string, password: string) => t.http.post('/auth/login').set('X-Forwarded-For', address).send({ email, password });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await from('203.0.113.30', `someone-${i}@nowhere.demo`, 'guess-guess')).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const other = await from('203.0.113.30', 'admin@kina.demo', DEMO_PASSWORD);
    expect(other.status).toBe(429);
    expect(Number(other.headers['retry-after'])).toBeGreaterThan(50);
    expect((await from('198.51.100.31', 'admin@kina.demo', DEMO_PASSWORD)).status).toBe(200);
  });

  it('counts failures only: many good sign-ins from one address (an office) are never slowed down', async () => {
    const from = (email: string, password: string) => t.http.post('/auth/login').set('X-Forwarded-For', '198.51.100.40').send({ email, password });
    for (let i = 0; i < 9; i++) expect((await from(`typo-${i}@nowhere.demo`, 'guess-guess')).status).toBe(401);
    for (let i = 0; i < 15; i++) expect((await from('admin@kina.demo', DEMO_PASSWORD)).status).toBe(200);
    expect((await from('typo-x@nowhere.demo', 'guess-guess')).status).toBe(401); // the tenth failure
    expect((await from('admin@kina.demo', DEMO_PASSWORD)).status).toBe(429);
  });
});
