import Fastify, { type FastifyInstance } from 'fastify';
import request from 'supertest';
import { watchContract, type OpenApiContract } from '../support/openapi-contract.js';

/**
 * The checker every e2e answer passes through (test/support/test-app.ts) must catch what a validating
 * proxy in front of the API caught: a `null` where the document promises an object, an undocumented
 * status, an undocumented content type. Here it watches a small server that breaks each rule on purpose.
 */
const problem = { $ref: '#/components/schemas/ProblemDetailsDto' };
const DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'contract', version: '1' },
  paths: {
    '/trajectories/{id}': {
      get: {
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Trajectory' } } },
          },
          '404': { description: 'missing', content: { 'application/problem+json': { schema: problem } } },
          '500': { description: 'a bug', content: { 'application/problem+json': { schema: problem } } },
        },
      },
    },
    '/exports': { get: { responses: { '200': { description: 'file', content: { 'text/csv': { schema: { type: 'string' } } } } } } },
  },
  components: {
    schemas: {
      JobTarget: { type: 'object', properties: { occupation: { type: 'string' } }, required: ['occupation'] },
      Trajectory: {
        type: 'object',
        properties: { id: { type: 'string', format: 'uuid' }, jobTarget: { $ref: '#/components/schemas/JobTarget' } },
        required: ['id', 'jobTarget'],
      },
      ProblemDetailsDto: {
        type: 'object',
        properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'number' } },
        required: ['type', 'title', 'status'],
      },
    },
  },
};
const ID = '6f1c2b4e-3d5a-4c7b-9e8f-0a1b2c3d4e5f';

describe('the OpenAPI contract check of the e2e tests', () => {
  let server: FastifyInstance;
  let contract: OpenApiContract;
  let answer: { status: number; type: string; body: unknown };

  beforeAll(async () => {
    server = Fastify();
    contract = watchContract(server);
    server.get('/trajectories/:id', async (_request, reply) => reply.code(answer.status).type(answer.type).send(answer.body));
    server.get('/exports', async (_request, reply) => reply.code(answer.status).type(answer.type).send(answer.body));
    server.get('/docs/openapi.json', async () => DOCUMENT);
    await server.ready();
    contract.load(DOCUMENT);
  });
  afterAll(() => server.close());

  const get = async (path: string, status: number, type: string, body: unknown) => {
    answer = { status, type, body };
    contract.violations.length = 0;
    return request(server.server).get(path);
  };

  it('passes an answer that matches its schema', async () => {
    const response = await get(`/trajectories/${ID}`, 200, 'application/json', { id: ID, jobTarget: { occupation: 'lasser' } });
    expect(response.status).toBe(200);
    expect(contract.violations).toEqual([]);
  });

  it('catches a null where the document promises an object, and fails the request with the reason', async () => {
    const response = await get(`/trajectories/${ID}`, 200, 'application/json', { id: ID, jobTarget: null });
    expect(response.status).toBe(500);
    expect(response.body.title).toMatch(/GET \/trajectories\/\{id\} 200 breaks its schema: \/jobTarget must be object/);
    expect(contract.violations).toHaveLength(1);
  });

  it('catches a status the operation does not list', async () => {
    await get(`/trajectories/${ID}`, 409, 'application/problem+json', { type: 'x', title: 'x', status: 409 });
    expect(contract.violations).toEqual(['GET /trajectories/{id} answered 409, which the document does not list']);
  });

  it('catches a content type the document does not give for the status', async () => {
    await get(`/trajectories/${ID}`, 404, 'application/json', { type: 'x', title: 'x', status: 404 });
    expect(contract.violations[0]).toMatch(/answered application\/json; the document says application\/problem\+json/);
  });

  it('records a 500 as a bug unless the test asked for one', async () => {
    await get(`/trajectories/${ID}`, 500, 'application/problem+json', { type: 'x', title: 'x', status: 500 });
    expect(contract.violations).toEqual(['GET /trajectories/:id answered 500 (a bug, unless the test asked for it)']);
    contract.allowServerErrors(true);
    await get(`/trajectories/${ID}`, 500, 'application/problem+json', { type: 'x', title: 'x', status: 500 });
    contract.allowServerErrors(false);
    expect(contract.violations).toEqual([]);
  });

  it('records a JSON answer whose body is not JSON', async () => {
    await get(`/trajectories/${ID}`, 200, 'application/json', '{"id": ');
    expect(contract.violations).toEqual(['GET /trajectories/{id} 200 says application/json but its body is not JSON']);
  });

  it('checks a file by its type only, and an address no route has as a problem document', async () => {
    const file = await get('/exports', 200, 'text/csv', 'a;b\n');
    expect(file.status).toBe(200);
    expect(contract.violations).toEqual([]);
    const unknown = await get('/nowhere', 200, 'application/json', {});
    expect(unknown.status).toBe(500);
    expect(contract.violations[0]).toMatch(/GET \/nowhere 404 answered application\/json/);
  });
});
