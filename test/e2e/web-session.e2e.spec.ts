import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

const WEB = { 'X-Requested-With': 'casework-web' };
const COOKIE = 'casework_refresh';

/** The Set-Cookie line for the refresh cookie, split into its value and attributes (names lower-cased). */
function refreshCookieOf(response: { headers: Record<string, unknown> }): { value: string; attributes: Record<string, string | true> } | undefined {
  const lines = ([] as string[]).concat((response.headers['set-cookie'] as string[] | string | undefined) ?? []);
  const line = lines.find((l) => l.startsWith(`${COOKIE}=`));
  if (!line) return undefined;
  const [pair, ...rest] = line.split(';').map((part) => part.trim());
  const attributes: Record<string, string | true> = {};
  for (const attribute of rest) {
    const [name, ...value] = attribute.split('=');
    attributes[name.toLowerCase()] = value.length > 0 ? value.join('=') : true;
  }
  return { value: decodeURIComponent(pair.slice(COOKIE.length + 1)), attributes };
}

/** A cleared cookie: empty and already expired. */
function expectCleared(response: { headers: Record<string, unknown> }) {
  const cookie = refreshCookieOf(response);
  expect(cookie).toBeDefined();
  expect(cookie!.value).toBe('');
  expect(cookie!.attributes.path).toBe('/auth/session');
  const expires = cookie!.attributes.expires;
  expect(typeof expires === 'string' && Date.parse(expires) < Date.now()).toBe(true);
}

const sessionOf = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).sid as string;

describe('browser session: refresh token in an HttpOnly cookie', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ sessionTtlSeconds: 7200 });
  });
  afterAll(() => t.close());

  const signIn = (email: string, password = DEMO_PASSWORD) => t.http.post('/auth/session').set(WEB).send({ email, password });
  const refresh = (value: string | undefined, headers: Record<string, string> = WEB) => {
    const call = t.http.post('/auth/session/refresh').set(headers);
    return value === undefined ? call : call.set('Cookie', `${COOKIE}=${encodeURIComponent(value)}`);
  };
  const me = (accessToken: string) => t.http.get('/me').auth(accessToken, { type: 'bearer' });

  it('signs in: the access token in the body, the refresh token only in a strict HttpOnly cookie', async () => {
    const response = await signIn('mediator@vdab-antwerpen.demo');
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['accessToken', 'expiresIn']);
    expect(response.body.expiresIn).toBe(t.config.auth.accessTokenTtlSeconds);
    const cookie = refreshCookieOf(response);
    expect(cookie?.value.length).toBeGreaterThanOrEqual(20);
    expect(JSON.stringify(response.body)).not.toContain(cookie!.value);
    expect(cookie!.attributes).toMatchObject({ httponly: true, samesite: 'Strict', path: '/auth/session', 'max-age': '7200' });
    // plain http to 127.0.0.1 outside production: not Secure, or no browser would store it
    expect(cookie!.attributes.secure).toBeUndefined();
    expect((await me(response.body.accessToken)).status).toBe(200);
  });

  it('marks the cookie Secure for any other host', async () => {
    const response = await signIn('mediator@vdab-antwerpen.demo').set('Host', 'casework.example.org');
    expect(response.status).toBe(200);
    expect(refreshCookieOf(response)!.attributes.secure).toBe(true);
  });

  it('validates and checks credentials as /auth/login does, without setting a cookie', async () => {
    const invalid = await signIn('not-an-email');
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'email', code: 'isEmail' })]));
    const wrong = await signIn('mediator@vdab-antwerpen.demo', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrong.body.code).toBe('invalid-credentials');
    for (const response of [invalid, wrong]) expect(refreshCookieOf(response)).toBeUndefined();
  });

  it('refuses sign-in and refresh without the web app header (CSRF): 403 problem, nothing set or spent', async () => {
    const login = await t.http.post('/auth/session').send({ email: 'mediator@vdab-antwerpen.demo', password: DEMO_PASSWORD });
    expect(login.status).toBe(403);
    expect(login.body.code).toBe('web-client-header-missing');
    expect(refreshCookieOf(login)).toBeUndefined();

    const session = await signIn('mediator@vdab-antwerpen.demo');
    const value = refreshCookieOf(session)!.value;
    for (const headers of [{}, { 'X-Requested-With': 'XMLHttpRequest' }] as Array<Record<string, string>>) {
      const forged = await refresh(value, headers);
      expect(forged.status).toBe(403);
      expect(forged.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(forged.body.code).toBe('web-client-header-missing');
      expect(refreshCookieOf(forged)).toBeUndefined();
    }
    // the cookie was not spent by the refused attempts
    expect((await refresh(value)).status).toBe(200);
  });

  it('answers a refresh without a cookie, or with an unknown one, with 401 and clears the cookie', async () => {
    for (const value of [undefined, 'x'.repeat(43), 'y'.repeat(500)]) {
      const response = await refresh(value);
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('invalid-refresh-token');
      expectCleared(response);
    }
  });

  it('rotates the cookie on refresh; the old value replayed is a 401 that ends the session', async () => {
    const session = await signIn('mediator2@vdab-antwerpen.demo');
    const first = refreshCookieOf(session)!.value;
    const rotated = await refresh(first);
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body).sort()).toEqual(['accessToken', 'expiresIn']);
    const second = refreshCookieOf(rotated)!;
    expect(second.value).not.toBe(first);
    expect(second.attributes).toMatchObject({ httponly: true, samesite: 'Strict', path: '/auth/session', 'max-age': '7200' });
    expect(sessionOf(rotated.body.accessToken)).toBe(sessionOf(session.body.accessToken));
    expect((await me(rotated.body.accessToken)).status).toBe(200);

    const replay = await refresh(first);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('invalid-refresh-token');
    expectCleared(replay);
    // as with /auth/refresh, the whole session is over: the newer access token and cookie too
    expect((await me(rotated.body.accessToken)).status).toBe(401);
    expect((await refresh(second.value)).status).toBe(401);
  });

  it('ends the session of the cookie a browser still held when someone signs in there, and only that one', async () => {
    // the previous user left without signing out; the next one signs in at the same browser
    const previous = await signIn('privacy@ocmw-ranst.demo');
    const elsewhere = await signIn('privacy@ocmw-ranst.demo'); // her own session in another browser
    const next = await t.http
      .post('/auth/session')
      .set(WEB)
      .set('Cookie', `${COOKIE}=${encodeURIComponent(refreshCookieOf(previous)!.value)}`)
      .send({ email: 'mediator@vdab-antwerpen.demo', password: DEMO_PASSWORD });
    expect(next.status).toBe(200);
    expect((await me(previous.body.accessToken)).status).toBe(401);
    expect((await refresh(refreshCookieOf(previous)!.value)).status).toBe(401);
    expect((await me(elsewhere.body.accessToken)).status).toBe(200);
    expect((await me(next.body.accessToken)).status).toBe(200);
    const [ended] = await t.dataSource.query(`SELECT revoke_reason FROM auth_session WHERE id = $1`, [sessionOf(previous.body.accessToken)]);
    expect(ended.revoke_reason).toBe('REPLACED_BY_SIGN_IN');
    const events = await t.dataSource.query(`SELECT 1 FROM audit_event WHERE action = 'auth.session-replaced' AND resource_id = $1`, [
      sessionOf(previous.body.accessToken),
    ]);
    expect(events).toHaveLength(1);
  });

  it('signs out: 204, the cookie cleared, the access token and the cookie stop working', async () => {
    const session = await signIn('team.lead@vdab-antwerpen.demo');
    const value = refreshCookieOf(session)!.value;
    expect((await t.http.post('/auth/session/sign-out')).status).toBe(401);
    const out = await t.http.post('/auth/session/sign-out').auth(session.body.accessToken, { type: 'bearer' });
    expect(out.status).toBe(204);
    expectCleared(out);
    expect((await me(session.body.accessToken)).status).toBe(401);
    expect((await refresh(value)).status).toBe(401);
  });

  it('signs out everywhere: every session of the caller ends, another user’s stays, one audit event', async () => {
    const email = 'social.worker@ocmw-ranst.demo';
    const browser = await signIn(email);
    const laptop = await signIn(email);
    const api = await t.signIn(email); // a non-browser session of the same user ends too
    const other = await signIn('social.worker@ocmw-schelle.demo');
    const sessions = [browser, laptop].map((r) => ({ accessToken: r.body.accessToken as string, cookie: refreshCookieOf(r)!.value }));
    for (const s of sessions) expect((await me(s.accessToken)).status).toBe(200);

    const everywhere = await t.http.post('/auth/sign-out-everywhere').auth(sessions[0].accessToken, { type: 'bearer' });
    expect(everywhere.status).toBe(204);
    expectCleared(everywhere);

    for (const s of sessions) {
      expect((await me(s.accessToken)).status).toBe(401);
      expect((await refresh(s.cookie)).status).toBe(401);
    }
    expect((await me(api.accessToken)).status).toBe(401);
    expect((await t.http.post('/auth/refresh').send({ refreshToken: api.refreshToken })).status).toBe(401);

    expect((await me(other.body.accessToken)).status).toBe(200);
    const otherRotated = await refresh(refreshCookieOf(other)!.value);
    expect(otherRotated.status).toBe(200);

    const userId = await t.userId(email);
    const events = await t.dataSource.query(
      `SELECT action, decision, resource_type, resource_id, categories FROM audit_event WHERE actor_user_id = $1 AND action LIKE 'auth.sign-out%'`,
      [userId],
    );
    expect(events).toEqual([
      {
        action: 'auth.sign-out-everywhere',
        decision: 'ALLOW',
        resource_type: 'Session',
        resource_id: sessionOf(sessions[0].accessToken),
        categories: ['SESSIONS:3'],
      },
    ]);
    // and a fresh sign-in works again
    expect((await signIn(email)).status).toBe(200);
  });

  it('documents the cookie routes in OpenAPI', async () => {
    const doc = (await t.http.get('/docs/openapi.json')).body;
    expect(doc.components.securitySchemes['refresh-cookie']).toEqual(expect.objectContaining({ type: 'apiKey', in: 'cookie', name: COOKIE }));
    expect(doc.paths['/auth/session/refresh'].post.security).toEqual([{ 'refresh-cookie': [] }]);
    expect(doc.paths['/auth/session'].post.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'X-Requested-With', in: 'header', required: true })]),
    );
    expect(doc.paths['/auth/sign-out-everywhere'].post.security).toEqual([{ bearer: [] }]);
  });
});

describe('the web app under /app/', () => {
  let t: TestApp;
  const indexHtml = `<!doctype html><title>Casework ${Date.now()}</title><script type="module" src="/app/assets/index-abc123.js"></script>`;
  const asset = `console.log(${Math.random()});`;
  const SECRET = `secret-${Date.now()}`;
  beforeAll(async () => {
    // the web root in a folder that also holds a secret, one level up: what traversal would reach
    const parent = mkdtempSync(join(tmpdir(), 'casework-web-'));
    writeFileSync(join(parent, 'secret.txt'), SECRET);
    const root = join(parent, 'web');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), indexHtml);
    writeFileSync(join(root, 'assets', 'index-abc123.js'), asset);
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await startTestApp({}, undefined, { WEB_ROOT: root });
  });
  afterAll(() => t.close());

  it("keeps the API's answers out of any cache (client data), the web app's files in it", async () => {
    const token = (await t.signIn('social.worker@ocmw-ranst.demo')).accessToken;
    for (const path of ['/clients', '/me', '/health/live']) {
      const response = await t.http.get(path).set('Authorization', `Bearer ${token}`);
      expect({ path, status: response.status, cache: response.headers['cache-control'] }).toEqual({ path, status: 200, cache: 'no-store' });
    }
    expect((await t.http.get('/app/')).headers['cache-control']).toBe('no-cache');
  });

  it.each(['/app/', '/app', '/app/clients/x', '/app/clients/123/handovers'])('%s answers index.html, revalidated on every load', async (path) => {
    const response = await t.http.get(path);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toBe(indexHtml);
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('serves a hashed asset with immutable caching, and other files with no-cache', async () => {
    const js = await t.http.get('/app/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.text).toBe(asset);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await t.http.get('/app/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing asset with a 404 problem, not the page', async () => {
    const response = await t.http.get('/app/assets/gone-999.js');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('never serves a file outside the web root', async () => {
    for (const path of ['/app/..%2fsecret.txt', '/app/%2e%2e/secret.txt', '/app/assets/..%2F..%2Fsecret.txt', '/app/assets/%2e%2e%2f%2e%2e%2fsecret.txt']) {
      const response = await t.http.get(path);
      expect({ path, status: response.status < 500, leaked: response.text.includes(SECRET) }).toEqual({ path, status: true, leaked: false });
    }
  });

  it('keeps the security headers, with scripts from the own origin only', async () => {
    const response = await t.http.get('/app/clients/x');
    const csp = response.headers['content-security-policy'];
    expect(csp).toMatch(/script-src 'self'/);
    const scriptSrc = csp.split(';').find((directive: string) => directive.trim().startsWith('script-src '));
    expect(scriptSrc).not.toContain('unsafe-inline');
    // not in production: Safari would upgrade http://localhost and lose the app's scripts
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('redirects / to the app', async () => {
    const response = await t.http.get('/');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/app/');
  });

  it('leaves the API where it was', async () => {
    expect((await t.http.get('/health/ready')).status).toBe(200);
    expect((await t.http.get('/clients')).status).toBe(401);
    expect((await t.http.get('/docs/openapi.json')).status).toBe(200);
  });
});

describe('in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, undefined, { NODE_ENV: 'production' });
  });
  afterAll(() => t.close());

  it('marks the cookie Secure even for http://127.0.0.1, and has browsers upgrade to https', async () => {
    const response = await t.http.post('/auth/session').set(WEB).send({ email: 'mediator@vdab-antwerpen.demo', password: DEMO_PASSWORD });
    expect(response.status).toBe(200);
    expect(refreshCookieOf(response)!.attributes.secure).toBe(true);
    expect(response.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});

describe('the web app when it was not built', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, undefined, { WEB_ROOT: mkdtempSync(join(tmpdir(), 'casework-no-web-')) });
  });
  afterAll(() => t.close());

  it.each(['/app/', '/app/clients/x'])('%s answers a 404 problem saying how to build it', async (path) => {
    const response = await t.http.get(path).set('Accept-Language', 'en');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('web-app-not-built');
    expect(response.body.title).toContain('npm run build');
  });
});
