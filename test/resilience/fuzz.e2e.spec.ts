import fc from 'fast-check';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Hostile input, driven by the OpenAPI document: for every operation, fast-check generates requests
 * from the documented schemas and then breaks them (wrong types, oversized strings, malformed ids,
 * extra properties naming protected fields, junk bodies and headers), sent as several roles and
 * anonymously. `{id}` routes get real ids of the kind they take (loaded before any generator is
 * built), sometimes in upper case, so requests get past "not found" into the handlers; how many did is
 * counted and reported. No answer may be a 5xx or show a stack trace or SQL; no request carrying an
 * extra property may succeed; fields no endpoint may change stay as they were; the audit chains verify.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const PROTECTED = [
  'organisationId',
  'ownerOrganisationId',
  'version',
  'roles',
  'revokedAt',
  'status',
  'id',
  'createdAt',
  'kind',
  'tokenVersion',
  'consentState',
  'personId',
];
const EMAILS = ['social.worker@ocmw-ranst.demo', 'mediator@vdab-antwerpen.demo', 'privacy@ocmw-ranst.demo', 'admin@platform.demo', 'coach@atb-antwerpen.demo'];
const SECRETS = /\n\s+at |node_modules|QueryFailedError|TypeORMError|SELECT |INSERT |syntax error|stack/;

/** Any generated value as query text (fast-check's objects may have no prototype, which String() refuses). */
const asText = (value: unknown): string => (value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};
type Operation = {
  method: string;
  path: string;
  parameters?: Array<{ name: string; in: string; schema?: Schema; required?: boolean }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};

/** The real ids an `{id}` route takes, by the path it starts with (`/audit/users/{id}` takes a user id). */
const ID_KINDS: Array<[RegExp, string]> = [
  [/^\/clients\/\{id\}/, 'person'],
  [/^\/trajectories\/\{id\}/, 'trajectory'],
  [/^\/handovers\/\{id\}/, 'referral'],
  [/^\/consents\/\{id\}/, 'consent'],
  [/^\/agreements\/\{id\}/, 'agreement'],
  [/^\/involvements\/\{id\}/, 'involvement'],
  [/^\/(users|audit\/users)\/\{id\}/, 'user'],
  [/^\/organisations\/\{id\}/, 'organisation'],
  [/^\/audit\/flags\/\{id\}/, 'flag'],
  [/^\/notifications\/\{id\}/, 'notification'],
];
/** Path parameters other than `id`, by name. */
const PARAM_KINDS: Record<string, string> = { obstacleId: 'obstacle', activityId: 'activity' };

describe('fuzzing every route from the OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
  const tokens: Array<string | undefined> = [undefined];
  /** Real ids of the seeded database (plus the trajectories, notes and activities made here), per kind. */
  const idsOf: Record<string, string[]> = {};
  const ids: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/docs/openapi.json')).body;
    for (const email of EMAILS) tokens.push((await t.signIn(email)).accessToken);
    // The seed has no trajectory work, notes or notifications yet: a few, through the API, so that
    // their routes have real ids to reach.
    const worker = tokens[EMAILS.indexOf('social.worker@ocmw-ranst.demo') + 1]!;
    const [{ id: person }] = await t.dataSource.query(
      `SELECT f.person_id AS id FROM client_file f JOIN organisation o ON o.id = f.organisation_id WHERE o.name = 'OCMW Ranst' ORDER BY f.person_id LIMIT 1`,
    );
    const trajectory = await t.http.post('/trajectories').auth(worker, { type: 'bearer' }).send({ clientId: person, type: 'ACTIVATION' });
    if (trajectory.status !== 201) throw new Error(`fixture: trajectory ${trajectory.status} ${trajectory.text}`);
    const on = (path: string, body: object) => t.http.post(`/trajectories/${trajectory.body.id}${path}`).auth(worker, { type: 'bearer' }).send(body);
    await on('/obstacles', { kind: 'MOBILITY', actions: 'Bus pass' }).expect(201);
    await on('/activities', { kind: 'TRAINING', plannedFrom: '2027-01-11' }).expect(201);
    await on('/notes', { category: 'EMPLOYMENT', visibility: 'INTERNAL', body: 'Fuzz fixture' }).expect(201);
    for (const [kind, sql] of Object.entries({
      person: `SELECT DISTINCT person_id AS id FROM client_file ORDER BY 1 LIMIT 30`,
      trajectory: `SELECT id FROM trajectory ORDER BY id LIMIT 10`,
      referral: `SELECT id FROM referral ORDER BY id LIMIT 20`,
      note: `SELECT id FROM case_note ORDER BY id LIMIT 10`,
      consent: `SELECT id FROM consent ORDER BY id LIMIT 10`,
      agreement: `SELECT id FROM agreement ORDER BY id LIMIT 10`,
      involvement: `SELECT id FROM involvement ORDER BY id LIMIT 10`,
      user: `SELECT id FROM app_user ORDER BY id LIMIT 20`,
      organisation: `SELECT id FROM organisation ORDER BY id LIMIT 20`,
      flag: `SELECT id FROM audit_flag ORDER BY id LIMIT 5`,
      notification: `SELECT id FROM notification ORDER BY id LIMIT 10`,
      obstacle: `SELECT id FROM trajectory_obstacle ORDER BY id LIMIT 5`,
      activity: `SELECT id FROM trajectory_activity ORDER BY id LIMIT 5`,
    })) {
      idsOf[kind] = (await t.dataSource.query(sql)).map((r: { id: string }) => r.id);
      ids.push(...idsOf[kind]);
    }
    for (const kind of ['person', 'trajectory', 'referral', 'note', 'consent', 'agreement', 'user', 'organisation', 'obstacle', 'activity']) {
      if (idsOf[kind].length === 0) throw new Error(`fixture: no ${kind} ids`);
    }
  });
  afterAll(() => t.close());

  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf)
      return schema.allOf
        .map(resolve)
        .reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties }, required: [...(a.required ?? []), ...(b.required ?? [])] }), {});
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
  /**
   * A path parameter: built when the property runs (after beforeAll has loaded the ids). Mostly a real
   * id of the kind the route takes, sometimes in upper case (which must be served as the same id),
   * sometimes a real id of another kind, an unknown UUID or junk.
   */
  const pathParam = (kind: string | undefined): fc.Arbitrary<string> => {
    const own = kind && idsOf[kind]?.length ? idsOf[kind] : ids;
    return fc.oneof(
      { arbitrary: fc.constantFrom(...own), weight: 6 },
      { arbitrary: fc.constantFrom(...own).map((id) => id.toUpperCase()), weight: 1 },
      { arbitrary: fc.constantFrom(...ids), weight: 1 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    );
  };
  const monthsParam = fc.oneof({ arbitrary: fc.constantFrom('6', '12', '18', '24'), weight: 4 }, { arbitrary: fc.string({ maxLength: 10 }), weight: 1 });
  const uuidish = () => fc.oneof(fc.constantFrom(...ids), fc.uuid(), fc.string({ maxLength: 60 }));

  /** A value from the schema most of the time, junk otherwise. */
  const fromSchema = (raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> => {
    const s = resolve(raw);
    const valid: fc.Arbitrary<unknown> = (() => {
      if (s.enum) return fc.constantFrom(...s.enum);
      switch (s.type) {
        case 'string':
          if (s.format === 'uuid') return fc.oneof(fc.constantFrom(...ids), fc.uuid());
          if (s.format === 'date')
            return fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
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
      Object.entries(methods)
        .filter(([m]) => ['get', 'post', 'patch', 'put', 'delete'].includes(m))
        .map(([method, op]) => ({ ...op, method, path })),
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
    /** On `{id}` routes: every answer, and those that got past validation and lookup (neither 400 nor 404). */
    const idRoutes = { sent: 0, statuses: {} as Record<number, number>, pastValidation: 0, reachedHandler: 0 };
    const request = fc.record({
      op: fc.nat({ max: operations.length - 1 }),
      token: fc.nat({ max: tokens.length - 1 }),
      inject: fc.option(fc.tuple(fc.constantFrom(...PROTECTED), fc.oneof(uuidish(), fc.integer(), fc.array(fc.string(), { maxLength: 3 }))), { freq: 3 }),
      bodyKind: fc.constantFrom('schema', 'schema', 'schema', 'junk', 'text'),
      seed: fc.integer(),
      purpose: fc.option(fc.oneof(fc.constantFrom('MEDIATION', 'ACTIVATION', 'ADVICE', 'TWE'), fc.string({ maxLength: 30 })), { freq: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ op: index, token, inject, bodyKind, seed, purpose }) => {
        const op = operations[index];
        const sample = <T>(arb: fc.Arbitrary<T>) => fc.sample(arb, { numRuns: 1, seed })[0];
        const idKind = ID_KINDS.find(([prefix]) => prefix.test(op.path))?.[1];
        const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
          encodeURIComponent(sample(name === 'months' ? monthsParam : pathParam(name === 'id' ? idKind : PARAM_KINDS[name]))),
        );
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
        if (response.status === 401 && tokens[token])
          tokens[token] = await t.signIn(EMAILS[token - 1]).then(
            (r) => r.accessToken,
            () => tokens[token],
          );
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (op.path.includes('{')) {
          idRoutes.sent += 1;
          idRoutes.statuses[response.status] = (idRoutes.statuses[response.status] ?? 0) + 1;
          if (response.status !== 400 && response.status !== 404) idRoutes.pastValidation += 1;
          // Stricter: not stopped before the handler either (401, the policy guard's 403, limits).
          const beforeHandler =
            [400, 401, 404, 413, 415, 429, 431].includes(response.status) || (response.status === 403 && response.body?.code === 'forbidden');
          if (!beforeHandler) idRoutes.reachedHandler += 1;
        }
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
    // Upper-case ids and every other input left every audit chain verifiable.
    const admin = (await t.signIn('admin@platform.demo')).accessToken;
    const verified = await t.http.get('/audit/verify').auth(admin, { type: 'bearer' });
    expect(verified.status).toBe(200);
    expect(verified.body.chains.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    console.log(
      `fuzz: ${sent.toLocaleString('en')} requests over ${operations.length} operations, statuses ${JSON.stringify(statuses)}; 0 5xx, no protected field changed, audit chains verify\n` +
        `fuzz: {id} routes: ${idRoutes.sent.toLocaleString('en')} requests, statuses ${JSON.stringify(idRoutes.statuses)}; ` +
        `${idRoutes.pastValidation.toLocaleString('en')} got past validation and lookup (neither 400 nor 404), ` +
        `${idRoutes.reachedHandler.toLocaleString('en')} of them also past sign-in and the route policy`,
    );
    expect(idRoutes.pastValidation).toBeGreaterThan(0);
    expect(idRoutes.reachedHandler).toBeGreaterThan(0);
  }, 600_000);
});
