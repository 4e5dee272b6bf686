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

  it('blocks an account after 10 wrong passwords with 429 and Retry-After, even for the right password', async () => {
    const email = 'social.worker@ocmw-schelle.demo';
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 10; i++) {
      last = await t.http.post('/auth/login').send({ email, password: `wrong-${i}` });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(401));
    expect(statuses[9]).toBe(429);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body.code).toBe('too-many-sign-in-attempts');

    const right = await t.http.post('/auth/login').send({ email, password: DEMO_PASSWORD });
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    // Other accounts are not affected by one account's lockout.
    await expect(t.signIn('admin@ocmw-schelle.demo')).resolves.toHaveProperty('accessToken');
  });
});

describe('per-address throttling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ maxFailuresPerAddress: 12 });
  });
  afterAll(() => t.close());

  it('blocks a client address that fails across many accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await t.http.post('/auth/login').send({ email: `someone-${i}@nowhere.demo`, password: 'guess-guess' });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 11)).toEqual(Array(11).fill(401));
    expect(statuses[11]).toBe(429);
    const other = await t.http.post('/auth/login').send({ email: 'admin@kina.demo', password: DEMO_PASSWORD });
    expect(other.status).toBe(429);
    expect(other.headers['retry-after']).toBeDefined();
  });
});
