import { ModulesContainer } from '@nestjs/core';
import type { Type } from '@nestjs/common';
import { PERMISSIONS } from '@app/access';
import { routeInventory } from '../../apps/api/src/http/route-inventory.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every route the running application serves declares who may call it. The snapshot makes any change
 * of who can reach what a visible diff in review. (The docs at /docs are served by Swagger UI outside
 * the Nest router and are public by design.)
 */
describe('route access declarations', () => {
  let t: TestApp;
  let routes: ReturnType<typeof routeInventory>;
  beforeAll(async () => {
    t = await startTestApp();
    const controllers = [...t.app.get(ModulesContainer).values()].flatMap((module) =>
      [...module.controllers.values()].map((wrapper) => wrapper.metatype as Type),
    );
    routes = routeInventory(controllers);
  });
  afterAll(() => t.close());

  it('finds the routes of the running app', () => {
    expect(routes.length).toBeGreaterThanOrEqual(12);
  });

  it('has no route without a policy or @Public()', () => {
    expect(routes.filter((r) => r.access === 'NONE')).toEqual([]);
  });

  it('uses every permission of the table, and no other', () => {
    const used = new Set(routes.filter((r) => r.access !== 'public').map((r) => r.access.split(' ')[0]));
    expect([...used].sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  it('matches the reviewed route -> policy snapshot', () => {
    expect(routes.map((r) => `${r.method.padEnd(6)} ${r.path.padEnd(30)} ${r.access}`)).toMatchSnapshot();
  });

  it('documents every route in OpenAPI, with problem+json for each error status', async () => {
    const response = await t.http.get('/docs/openapi.json');
    expect(response.status).toBe(200);
    const doc = response.body;
    expect(doc.openapi).toMatch(/^3\./);
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      expect({ route: `${route.method} ${path}`, documented: Boolean(operation) }).toEqual({ route: `${route.method} ${path}`, documented: true });
      for (const [status, spec] of Object.entries<any>(operation.responses)) {
        if (Number(status) >= 400) {
          expect(spec.content?.['application/problem+json']?.schema?.$ref).toBe('#/components/schemas/ProblemDetailsDto');
        }
      }
      if (route.access !== 'public') expect(operation.security).toEqual([{ bearer: [] }]);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['ProblemDetailsDto', 'FieldErrorDto', 'LoginDto', 'CreateUserDto', 'UserDto', 'OrganisationDto']),
    );
    const ui = await t.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });
});
