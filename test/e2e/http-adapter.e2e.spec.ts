import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * What the HTTP layer answers at its edges, where a change of adapter (Express to Fastify, issue 15)
 * could change it without any route noticing: every error is still a problem document with the
 * security headers and the request id, bodies are read as before, and Express's conditional GETs,
 * charsets and lenient path matching are kept. Raw node:http requests, so nothing fills in a header.
 */
describe('the HTTP edge, whatever the adapter', () => {
  let t: TestApp;
  let server: http.Server;
  let port: number;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    token = (await t.signIn('admin@platform.demo')).accessToken;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await t.close();
  });

  const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, method, path, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      });
      request.on('error', reject);
      request.setTimeout(10_000, () => request.destroy(new Error(`no answer to ${method} ${path}`)));
      request.end(body);
    });
  const authorised = { authorization: '' };
  const json = (extra: Record<string, string> = {}) => ({ ...authorised, authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra });

  const expectProblem = (response: { status: number; headers: http.IncomingHttpHeaders; text: string }, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeDefined();
    const body = JSON.parse(response.text);
    expect(body).toMatchObject({ type: `urn:casework:problem:${code}`, status, code, requestId: response.headers['x-request-id'] });
    return body;
  };

  it('unknown routes and methods are 404 problems, OPTIONS included (no CORS configured)', async () => {
    expectProblem(await raw('GET', '/no/such/route'), 404, 'not-found');
    expectProblem(await raw('DELETE', '/health/live'), 404, 'not-found');
    expectProblem(await raw('OPTIONS', '/clients'), 404, 'not-found');
  });

  it('a URL the router cannot decode is a 400 problem, not the framework own error body', async () => {
    expectProblem(await raw('GET', '/users/%E0%A4%A'), 400, 'bad-request');
  });

  it('matches paths without regard to case or a trailing slash, as Express did', async () => {
    for (const path of ['/health/live/', '/HEALTH/LIVE', '/health/live?x=1&x=2']) expect((await raw('GET', path)).status).toBe(200);
  });

  it('HEAD answers the headers of GET without a body; a matching If-None-Match is a 304', async () => {
    const get = await raw('GET', '/health/live');
    expect(get.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(get.headers.etag).toMatch(/^W\/"f-/);
    const head = await raw('HEAD', '/health/live');
    expect(head).toMatchObject({ status: 200, text: '' });
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    const again = await raw('GET', '/health/live', { 'if-none-match': get.headers.etag! });
    expect(again).toMatchObject({ status: 304, text: '' });
    expect(again.headers['content-type']).toBeUndefined();
  });

  it('keeps the version ETag a route sets, and answers a conditional GET of that version with 304', async () => {
    const created = await raw('POST', '/organisations', json(), JSON.stringify({ name: 'PWA Edge', kind: 'PWA', kboNumber: '0123.456.749' }));
    expect(created.status).toBe(201);
    const id = JSON.parse(created.text).id;
    expect(created.headers).toMatchObject({ location: `/organisations/${id}`, etag: '"1"', 'ratelimit-limit': expect.any(String) });
    expect((await raw('GET', `/organisations/${id}`, { authorization: `Bearer ${token}`, 'if-none-match': '"1"' })).status).toBe(304);
  });

  it('reads JSON bodies as before: malformed, too large, not an object, wrong charset or encoding', async () => {
    expectProblem(await raw('POST', '/organisations', json(), '{"name": "x",'), 400, 'malformed-json');
    expectProblem(await raw('POST', '/organisations', json(), '"just a string"'), 400, 'malformed-json');
    expectProblem(await raw('POST', '/organisations', json(), '   '), 400, 'malformed-json');
    expectProblem(await raw('POST', '/organisations', json(), JSON.stringify({ filler: 'x'.repeat(1024 * 1024) })), 413, 'payload-too-large');
    expectProblem(await raw('POST', '/organisations', json({ 'content-type': 'application/json; charset=latin1' }), '{}'), 415, 'unsupported-media-type');
    expectProblem(await raw('POST', '/organisations', json({ 'content-encoding': 'x-unknown' }), '{}'), 415, 'unsupported-media-type');
    // gzip is inflated, and the 1 MB limit holds for what it inflates to.
    const small = expectProblem(await raw('POST', '/organisations', json({ 'content-encoding': 'gzip' }), gzipSync('{"name":"x"}')), 400, 'validation-failed');
    expect(small.errors.map((e: { field: string }) => e.field)).toContain('kind');
    const bomb = gzipSync(JSON.stringify({ filler: ' '.repeat(3 * 1024 * 1024) }));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expectProblem(await raw('POST', '/organisations', json({ 'content-encoding': 'gzip' }), bomb), 413, 'payload-too-large');
  }, 30_000);

  it('refuses a Content-Length over the limit at once, without waiting for the body (Express waited for it)', async () => {
    expectProblem(await raw('POST', '/organisations', json({ 'content-length': String(2 * 1024 * 1024) }), '{}'), 413, 'payload-too-large');
  });

  it('does not read bodies of other types, as if none were sent; an empty JSON body is {}', async () => {
    const none = expectProblem(await raw('POST', '/organisations', { authorization: `Bearer ${token}` }, '{"name":"x"}'), 400, 'validation-failed');
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/vnd.api+json']) {
      const body = expectProblem(await raw('POST', '/organisations', json({ 'content-type': type }), '{"name":"x"}'), 400, 'validation-failed');
      expect(body.errors).toEqual(none.errors);
    }
    const empty = expectProblem(await raw('POST', '/auth/login', { 'content-type': 'application/json', 'content-length': '0' }), 400, 'validation-failed');
    expect(empty.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('checks the query for control characters on every path, before any guard', async () => {
    const body = expectProblem(await raw('GET', '/no/such/route?search=a%00b'), 400, 'validation-failed');
    expect(body.errors).toEqual([expect.objectContaining({ field: 'search', code: 'control-characters' })]);
  });

  it('answers in the language Accept-Language asks for, by prefix and q-value', async () => {
    expect((await raw('GET', '/no/such/route', { 'accept-language': 'fr-BE, nl;q=0.5' })).headers['content-language']).toBe('fr');
    expect((await raw('GET', '/no/such/route', { 'accept-language': 'de, en;q=0.8, nl;q=0.9' })).headers['content-language']).toBe('nl');
    expect((await raw('GET', '/no/such/route', { 'accept-language': 'en-GB' })).headers['content-language']).toBe('en');
  });

  it('serves the API docs with their assets and types', async () => {
    const ui = await raw('GET', '/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toBe('text/html; charset=utf-8');
    const css = await raw('GET', '/docs/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await raw('GET', '/docs/openapi.yaml')).headers['content-type']).toBe('text/yaml; charset=utf-8');
    expect(JSON.parse((await raw('GET', '/docs/openapi.json')).text).openapi).toMatch(/^3\./);
    expectProblem(await raw('GET', '/docs/LICENSE'), 404, 'not-found');
  });
});
