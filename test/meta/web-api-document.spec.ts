import { readFileSync, writeFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The web app's typed client is generated from a copy of the API's OpenAPI document
 * (apps/web/src/api/openapi.json, turned into types by `npm run web:types`). This test holds the copy
 * equal to what the running API serves, so a changed API fails here and then, once the copy is
 * renewed, in the web app's type-check, not in a user's browser. Renew with `npm run web:openapi`.
 */
const COPY = 'apps/web/src/api/openapi.json';

describe("the web app's copy of the API document", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is what the API serves', async () => {
    const served = `${JSON.stringify((await t.http.get('/docs/openapi.json')).body, null, 2)}\n`;
    if (process.env.UPDATE_WEB_OPENAPI === '1') writeFileSync(COPY, served);
    const copy = readFileSync(COPY, 'utf8');
    expect(copy === served ? 'equal' : `${COPY} differs from /docs/openapi.json: run npm run web:openapi`).toBe('equal');
  });
});
