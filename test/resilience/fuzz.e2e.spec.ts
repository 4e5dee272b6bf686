import fc from 'fast-check';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Hostile input, driven by the OpenAPI document: for every operation, fast-check generates requests
 * from the documented schemas and then breaks them (wrong types, oversized strings, malformed ids,
 * extra properties naming protected fields, junk bodies and headers), sent as several roles and
 * anonymously. No answer may be a 5xx or show a stack trace or SQL; no request carrying an extra
 * property may succeed; fields no endpoint may change stay as they were.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const PROTECTED = ['organisationId', 'ownerOrganisationId', 'version', 'roles', 'revokedAt', 'status', 'id', 'createdAt', 'kind', 'tokenVersion', 'consentState', 'personId'];
const EMAILS = ['social.worker@ocmw-ranst.demo', 'mediator@vdab-antwerpen.demo', 'privacy@ocmw-ranst.demo', 'admin@platform.demo', 'coach@atb-antwerpen.demo'];
const SECRETS = /\n\s+at |node_modules|QueryFailedError|TypeORMError|SELECT |INSERT |syntax error|stack/;

/** Any generated value as query text (fast-check's objects may have no prototype, which String() refuses). */
const asText = (value: unknown): string => (value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));

type Schema = { $ref?: string; type?: string; enum?: unknown[]; format?: string; items?: Schema; properties?: Record<string, Schema>; required?: string[]; minimum?: number; maximum?: number; minLength?: number; maxLength?: number; allOf?: Schema[]; oneOf?: Schema[]; anyOf?: Schema[] };
type Operation = { method: string; path: string; parameters?: Array<{ name: string; in: string; schema?: Schema; required?: boolean }>; requestBody?: { content?: Record<string, { schema?: Schema }> } };

describe('fuzzing every route from the OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
  const tokens: Array<string | undefined> = [undefined];
  const ids: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/docs/openapi.json')).body;
    for (const email of EMAILS) tokens.push((await t.signIn(email)).accessToken);
    // Real ids, so some requests reach deep into the handlers instead of stopping at "not found".
    for (const sql of [
      `SELECT person_id AS id FROM client_file LIMIT 5`, `SELECT id FROM organisation LIMIT 5`, `SELECT id FROM app_user LIMIT 5`,
      `SELECT id FROM consent LIMIT 3`, `SELECT id FROM referral LIMIT 5`, `SELECT id FROM trajectory LIMIT 3`, `SELECT id FROM agreement LIMIT 3`,
      `SELECT id FROM involvement LIMIT 3`, `SELECT id FROM audit_flag LIMIT 2`,
    ]) {
      ids.push(...(await t.dataSource.query(sql)).map((r: { id: string }) => r.id));
    }
  });
  afterAll(() => t.close());

  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf) return schema.allOf.map(resolve).reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties }, required: [...(a.required ?? []), ...(b.required ?? [])] }), {});
    if (schema.oneOf || schema.anyOf) return resolve((schema.oneOf ?? schema.anyOf)![0]);
    return schema;
  };

  const junk = fc.oneof(
    fc.string(),
    fc.string({ minLength: 5000, maxLength: 20_000 }),
    fc.constantFrom('', ' ', 'null', '../../etc/passwd', "' OR 1=1 --", '%00', '\u0000', '<script>', '{"$ne":null}', '9'.repeat(400), 'é'.repeat(300)),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.anything(), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 10 }), fc.anything(), { maxKeys: 5 }),
  );
  const uuidish = fc.oneof(fc.constantFrom(...(ids.length ? ids : ['00000000-0000-4000-8000-000000000000'])), fc.uuid(), fc.string({ maxLength: 60 }));

  /** A value from the schema most of the time, junk otherwise. */
  const fromSchema = (raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> => {
    const s = resolve(raw);
    const valid: fc.Arbitrary<unknown> = (() => {
      if (s.enum) return fc.constantFrom(...s.enum);
      switch (s.type) {
        case 'string':
          if (s.format === 'uuid') return fc.oneof(fc.constantFrom(...ids), fc.uuid());
          if (s.format === 'date') return fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
          if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
          if (s.format === 'email') return fc.emailAddress();
          return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 200) });
        case 'integer':
          return fc.integer({ min: s.minimum ?? -5, max: s.maximum ?? 1000 });
        case 'number':
          return fc.double({ min: s.minimum ?? -5, max: s.maximum ?? 1000, noNaN: true });
        case 'boolean':
          return fc.boolean();
        case 'array':
          return depth > 3 ? fc.constant([]) : fc.array(fromSchema(s.items, depth + 1), { maxLength: 4 });
        case 'object':
        default:
          if (!s.properties || depth > 3) return fc.constant({});
          return fc.record(Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, fromSchema(v, depth + 1)])), {
            requiredKeys: s.required?.filter((k) => k in s.properties!) ?? [],
          });
      }
    })();
    return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: junk, weight: 1 });
  };

  it(`answers ${RUNS.toLocaleString('en')} hostile requests without a 5xx, a stack trace or a mass assignment`, async () => {
    const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).filter(([m]) => ['get', 'post', 'patch', 'put', 'delete'].includes(m)).map(([method, op]) => ({ ...op, method, path })),
    );
    expect(operations.length).toBeGreaterThan(50);
    const snapshot = () =>
      t.dataSource.query(`
        SELECT 'user' AS t, u.id::text AS id, u.organisation_id::text AS v FROM app_user u
        UNION ALL SELECT 'file', f.person_id::text, f.organisation_id::text FROM client_file f
        UNION ALL SELECT 'consent', c.id::text, concat_ws('|', c.organisation_id, c.person_id, c.categories, c.purposes, c.legal_basis, c.valid_from) FROM consent c
        UNION ALL SELECT 'organisation', o.id::text, concat_ws('|', o.kind, o.kbo_number) FROM organisation o
        UNION ALL SELECT 'referral', r.id::text, concat_ws('|', r.from_organisation_id, r.to_organisation_id, r.person_id, r.kind) FROM referral r
        UNION ALL SELECT 'audit', e.chain_id::text || ':' || e.seq, encode(e.hash, 'hex') FROM audit_event e
        ORDER BY 1, 2`);
    const before: Array<{ t: string; id: string; v: string }> = await snapshot();

    let sent = 0;
    const statuses: Record<number, number> = {};
    const request = fc.record({
      op: fc.nat({ max: operations.length - 1 }),
      token: fc.nat({ max: tokens.length - 1 }),
      inject: fc.option(fc.tuple(fc.constantFrom(...PROTECTED), fc.oneof(uuidish, fc.integer(), fc.array(fc.string(), { maxLength: 3 }))), { freq: 3 }),
      bodyKind: fc.constantFrom('schema', 'schema', 'schema', 'junk', 'text'),
      seed: fc.integer(),
      purpose: fc.option(fc.oneof(fc.constantFrom('MEDIATION', 'ACTIVATION', 'ADVICE', 'TWE'), fc.string({ maxLength: 30 })), { freq: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ op: index, token, inject, bodyKind, seed, purpose }) => {
        const op = operations[index];
        const sample = <T,>(arb: fc.Arbitrary<T>) => fc.sample(arb, { numRuns: 1, seed })[0];
        const path = op.path.replace(/\{(\w+)\}/g, () => encodeURIComponent(String(sample(uuidish))));
        const query: Record<string, string> = {};
        for (const p of op.parameters ?? []) {
          if (p.in === 'query' && (p.required || sample(fc.boolean()))) query[p.name] = asText(sample(fromSchema(p.schema)));
        }
        const bodySchema = op.requestBody?.content?.['application/json']?.schema;
        let req = (t.http as any)[op.method](path).query(query);
        if (tokens[token]) req = req.auth(tokens[token], { type: 'bearer' });
        if (purpose) req = req.set('X-Purpose', purpose);
        let body: unknown;
        if (op.method !== 'get') {
          if (bodyKind === 'text') req = req.set('Content-Type', 'application/json').send(sample(fc.string({ maxLength: 200 })));
          else {
            body = bodyKind === 'junk' ? sample(junk) : sample(fromSchema(bodySchema));
            if (inject && body && typeof body === 'object' && !Array.isArray(body)) body = { ...body, [inject[0]]: inject[1] };
            else if (inject) body = { [inject[0]]: inject[1] };
            const text = JSON.stringify(body); // superagent cannot send a bare boolean or number
            req = req.set('Content-Type', 'application/json').send(text ?? '');
          }
        }
        const response = await req;
        sent += 1;
        // A fuzzed logout (or deactivation) ends that role's session: sign in again to keep fuzzing deep.
        if (response.status === 401 && tokens[token]) tokens[token] = await t.signIn(EMAILS[token - 1]).then((r) => r.accessToken, () => tokens[token]);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        const shown = `${op.method.toUpperCase()} ${path} -> ${response.status} ${response.text?.slice(0, 300)}`;
        if (response.status >= 500) throw new Error(`5xx: ${shown}`);
        if (SECRETS.test(response.text ?? '')) throw new Error(`leaks internals: ${shown}`);
        // An extra property naming a protected field is never accepted by an operation that takes a body:
        // whitelist validation refuses it. (Operations without a body ignore one.)
        const schemaProps = resolve(bodySchema).properties ?? {};
        if (inject && bodySchema && op.method !== 'get' && bodyKind !== 'text' && !(inject[0] in schemaProps) && response.status < 300) {
          throw new Error(`accepted an extra property ${inject[0]}: ${shown}`);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261123), endOnFailure: true },
    );
    expect(sent).toBeGreaterThanOrEqual(RUNS);

    // Rows that existed before keep their protected fields (new rows from valid requests are fine).
    const after = new Map((await snapshot()).map((r: { t: string; id: string; v: string }) => [`${r.t}:${r.id}`, r.v]));
    const changed = before.filter((r) => after.get(`${r.t}:${r.id}`) !== r.v).map((r) => `${r.t}:${r.id}`);
    expect(changed).toEqual([]);
    console.log(`fuzz: ${sent.toLocaleString('en')} requests over ${operations.length} operations, statuses ${JSON.stringify(statuses)}; 0 5xx, no protected field changed`);
  }, 600_000);
});
