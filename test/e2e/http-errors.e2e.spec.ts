import { startTestApp, type TestApp } from '../support/test-app.js';

describe('HTTP error handling', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    token = (await t.signIn('admin@platform.demo')).accessToken;
  });
  afterAll(() => t.close());

  const expectProblem = (response: { status: number; headers: Record<string, string>; text: string; body: any }, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: `urn:casework:problem:${code}`, status, code, title: expect.any(String) });
    expect(response.text).not.toMatch(/stack|at \w+ \(|SELECT|INSERT|node_modules/);
  };

  it('malformed JSON is a 400', async () => {
    const response = await t.http.post('/organisations').auth(token, { type: 'bearer' }).set('Content-Type', 'application/json').send('{"name": "x",');
    expectProblem(response, 400, 'malformed-json');
  });

  it('a body over 1 MB is a 413, and nothing is written', async () => {
    const response = await t.http
      .post('/organisations')
      .auth(token, { type: 'bearer' })
      .send({ name: 'Huge', kind: 'PWA', kboNumber: '0123.456.749', filler: 'x'.repeat(1024 * 1024) });
    expectProblem(response, 413, 'payload-too-large');
    expect(await t.dataSource.query(`SELECT 1 FROM organisation WHERE name = 'Huge'`)).toHaveLength(0);
  });

  it('an unknown property is a 400 that names it', async () => {
    const response = await t.http
      .post('/organisations')
      .auth(token, { type: 'bearer' })
      .send({ name: 'PWA Test', kind: 'PWA', kboNumber: '0123.456.749', headquarters: 'Ranst' });
    expectProblem(response, 400, 'validation-failed');
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'headquarters', code: 'whitelistValidation' })]);
  });

  it('a body that is not an object is a 400', async () => {
    const response = await t.http.post('/organisations').auth(token, { type: 'bearer' }).send([1, 2]);
    expectProblem(response, 400, 'validation-failed');
  });

  it('a malformed id is a 400 naming the parameter', async () => {
    const response = await t.http.get('/users/not-a-uuid').auth(token, { type: 'bearer' });
    expectProblem(response, 400, 'validation-failed');
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'id', code: 'isUUID' })]);
  });

  it('an unknown route is a 404 problem', async () => {
    expectProblem(await t.http.get('/no/such/route'), 404, 'not-found');
  });

  it('always answers with its own request id; a well-formed X-Request-Id comes back as the correlation id only', async () => {
    const given = await t.http.get('/health/live').set('X-Request-Id', 'trace-abc-123');
    expect(given.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(given.headers['x-correlation-id']).toBe('trace-abc-123');
    const generated = await t.http.get('/no/such/route').set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers['x-correlation-id']).toBeUndefined();
    expect(generated.body.requestId).toBe(generated.headers['x-request-id']);
    const none = await t.http.get('/health/live');
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(none.headers['x-request-id']).not.toBe(given.headers['x-request-id']);
  });

  it('sends security headers and no CORS headers unless origins are configured', async () => {
    const response = await t.http.get('/health/live').set('Origin', 'https://evil.example');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('health: live and ready', async () => {
    expect((await t.http.get('/health/live')).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/health/ready')).body).toEqual({ status: 'ok', database: 'up', migrations: 'applied' });
  });
});
